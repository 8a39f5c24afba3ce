/**
 * `loadgate compare BEFORE_SWEEP/ AFTER_SWEEP/`: two sweeps compared on
 * their capacity at the SLA and, at every load both ran, step by step, with a
 * bootstrap interval on each step's P95 difference (after minus before, from
 * the two step logs). Gates on a capacity drop: FAIL when AFTER failed at a
 * load BEFORE passed (both conclusive), or at or below BEFORE's capacity.
 *
 * @module
 */

import { UsageError } from "../../../base/errors.ts";
import type { SweepComparisonJson, SweepJson, SweepStepDiff } from "../../shared/result_json.ts";
import { sweepComparisonLines } from "./text.ts";
import { verdictLine } from "../../../report/verdict_line.ts";
import { exitCodeFor, type VerdictState } from "../../../verdict/verdict.ts";
import type { UncertaintyOptions } from "../../../verdict/uncertainty.ts";
import { makeManifest } from "../../shared/manifest.ts";
import { writeSweepComparison } from "../../shared/result_json.ts";
import { readSweep, sharedStepDiffs } from "./inputs.ts";

export { isSweepFolder, readSweep } from "./inputs.ts";

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
  const steps = await sharedStepDiffs(o, { before, after }, confidence);
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
  await writeSweepComparison(`${o.outDir}/sweep_comparison.json`, json);
  for (const line of sweepComparisonLines(json)) io.out(line);
  const policy = o.uncertainty?.inconclusive ?? "code";
  io.out(verdictLine({ state, basis: "point", reasons: [reason] }, { policy, passDetail: reason }));
  io.out(`wrote ${o.outDir}/sweep_comparison.json`);
  return exitCodeFor(state, policy);
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
