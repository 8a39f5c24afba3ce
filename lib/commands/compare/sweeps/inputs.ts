/**
 * What comparing two sweeps reads: each folder's sweep.json, and at every
 * load both ran, the two step logs with a bootstrap interval on their P95
 * difference.
 *
 * @module
 */

import { UsageError } from "../../../base/errors.ts";
import { readLog } from "../../../log/csv/log.ts";
import { bootstrapDifference, type DifferenceInterval } from "../../../stats/bootstrap.ts";
import { sortedCopy } from "../../../stats/stats.ts";
import { measured } from "../../../stats/load_metrics.ts";
import type { SweepJson, SweepStepDiff, SweepStepJson } from "../../shared/result_json.ts";

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

/** Every load both sweeps ran, in load order: both steps and their P95 difference. */
export async function sharedStepDiffs(
  dirs: { before: string; after: string },
  sweeps: { before: SweepJson; after: SweepJson },
  confidence: number,
): Promise<SweepStepDiff[]> {
  const steps: SweepStepDiff[] = [];
  for (const b of byLoad(sweeps.before)) {
    const a = byLoad(sweeps.after).find((s) => s.load === b.load);
    if (a) steps.push(await stepDiff(dirs.before, b, dirs.after, a, confidence));
  }
  return steps;
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
