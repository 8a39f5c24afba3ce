/**
 * `loadgate compare BEFORE_SWEEP/ AFTER_SWEEP/`: two sweeps compared on
 * their capacity at the SLA and, at every load both ran, step by step, with a
 * bootstrap interval on each step's P95 difference (after minus before, from
 * the two step logs). Gates on a capacity drop: FAIL when AFTER failed at a
 * load BEFORE passed (both conclusive), or at or below BEFORE's capacity.
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { readLog } from "../log/csv_log.ts";
import { bootstrapDifference, type DifferenceInterval } from "../stats/bootstrap.ts";
import { sortedCopy } from "../stats/stats.ts";
import { measured } from "../stats/load_metrics.ts";
import type { SweepJson, SweepStepJson } from "../report/sweep_data.ts";
import {
  type SweepComparisonJson,
  sweepComparisonLines,
  type SweepStepDiff,
} from "../report/sweep_compare_text.ts";
import { verdictLine } from "../report/verdict_line.ts";
import { exitCodeFor, type VerdictState } from "../verdict/verdict.ts";
import type { UncertaintyOptions } from "../verdict/uncertainty.ts";
import { makeManifest } from "./manifest.ts";
import { writeJson } from "./result_json.ts";

/** Whether `path` is a sweep's folder (it holds sweep.json). */
export async function isSweepFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory &&
      (await Deno.stat(`${path}/sweep.json`)).isFile;
  } catch {
    return false;
  }
}

/** Reads a sweep's sweep.json. Throws {@linkcode UsageError}. */
export async function readSweep(dir: string): Promise<SweepJson> {
  const path = `${dir}/sweep.json`;
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    throw new UsageError(
      `Cannot read sweep "${path}": ${err instanceof Error ? err.message : err}`,
    );
  }
  const j = value as Partial<SweepJson>;
  if (j?.command !== "sweep" || !Array.isArray(j.steps)) {
    throw new UsageError(`Cannot read sweep "${path}": not a sweep.json written by loadgate sweep`);
  }
  return j as SweepJson;
}

/** Compares two sweep folders; writes OUT/sweep_comparison.json; returns the exit code. */
export async function compareSweepsCommand(
  o: { before: string; after: string; outDir: string; uncertainty?: UncertaintyOptions },
  io: { out: (line: string) => void },
): Promise<number> {
  const before = await readSweep(o.before);
  const after = await readSweep(o.after);
  if (before.unit !== after.unit) {
    throw new UsageError(
      `Cannot compare a sweep in ${before.unit} with one in ${after.unit} (rates vs workers)`,
    );
  }
  const confidence = o.uncertainty?.confidence ?? 0.95;
  const steps: SweepStepDiff[] = [];
  for (const b of byLoad(before)) {
    const a = byLoad(after).find((s) => s.load === b.load);
    if (a) steps.push(await stepDiff(o.before, b, o.after, a, confidence));
  }
  const { state, reason } = capacityChange(before, after, steps);
  const json: SweepComparisonJson = {
    command: "compare",
    unit: before.unit,
    before: { folder: o.before, capacity: before.capacity, lowest_failed: before.lowest_failed },
    after: { folder: o.after, capacity: after.capacity, lowest_failed: after.lowest_failed },
    sla: { before: before.sla, after: after.sla },
    confidence,
    method: "percentile bootstrap of each step's P95 difference (after minus before), " +
      "each step log resampled independently",
    steps,
    verdict: state,
    reason,
    manifest: makeManifest({ command: "compare", before: o.before, after: o.after }),
  };
  await Deno.mkdir(o.outDir, { recursive: true });
  await writeJson(`${o.outDir}/sweep_comparison.json`, json);
  for (const line of sweepComparisonLines(json)) io.out(line);
  const policy = o.uncertainty?.inconclusive ?? "code";
  io.out(verdictLine({ state, basis: "point", reasons: [reason] }, { policy, passDetail: reason }));
  io.out(`wrote ${o.outDir}/sweep_comparison.json`);
  return exitCodeFor(state, policy);
}

/** The steps of a sweep by load (the last step at a load when a search probed it twice). */
function byLoad(j: SweepJson): SweepStepJson[] {
  const m = new Map<number, SweepStepJson>();
  for (const s of j.steps) m.set(s.load, s);
  return [...m.values()].sort((a, b) => a.load - b.load);
}

/** One shared load: both steps' figures and the interval on their P95 difference. */
async function stepDiff(
  beforeDir: string,
  b: SweepStepJson,
  afterDir: string,
  a: SweepStepJson,
  confidence: number,
): Promise<SweepStepDiff> {
  const latencies = async (dir: string, s: SweepStepJson) =>
    sortedCopy(measured(await readLog(`${dir}/${s.dir}/${s.dir}.csv`)).map((x) => x.latencyMs));
  const report = bootstrapDifference(await latencies(beforeDir, b), await latencies(afterDir, a), {
    percentiles: [95],
    confidence,
  });
  const d: DifferenceInterval = report.intervals[0]!;
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    load: b.load,
    before: pick(b),
    after: pick(a),
    p95_diff: {
      estimate: fin(d.estimate),
      lower: fin(d.lower),
      upper: fin(d.upper),
      direction: d.direction,
    },
  };
}

function pick(s: SweepStepJson): SweepStepDiff["before"] {
  return {
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    achieved_rate: s.achieved_rate,
    error_rate: s.error_rate,
    sla: s.overloaded ? "fail" : s.sla,
  };
}

/** Did the capacity drop? Decided on conclusive steps only. */
function capacityChange(
  before: SweepJson,
  after: SweepJson,
  steps: readonly SweepStepDiff[],
): { state: VerdictState; reason: string } {
  const u = before.unit;
  const dropped = steps.find((s) => s.before.sla === "pass" && s.after.sla === "fail");
  if (dropped) {
    return {
      state: "fail",
      reason: `capacity dropped: the SLA held at ${dropped.load} ${u} before, failed after`,
    };
  }
  if (
    after.lowest_failed !== null && before.capacity !== null &&
    after.lowest_failed <= before.capacity
  ) {
    return {
      state: "fail",
      reason: `capacity dropped: after failed at ${after.lowest_failed} ${u}, ` +
        `at or below the ${before.capacity} ${u} that passed before`,
    };
  }
  if (after.capacity !== null && (before.capacity === null || after.capacity >= before.capacity)) {
    return {
      state: "pass",
      reason: `capacity held: ${after.capacity} ${u} after, ${before.capacity ?? "none"} before`,
    };
  }
  return {
    state: "inconclusive",
    reason: `the steps do not settle it (capacity ${before.capacity ?? "none"} ${u} before, ` +
      `${after.capacity ?? "none"} after, at different loads)`,
  };
}
