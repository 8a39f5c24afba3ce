/**
 * A sweep's CI outputs (`--junit`, `--prom`, `--json`, the job summary):
 * each step's SLA verdict and the capacity gate as checks, each step's
 * figures as Prometheus gauges, sweep.json as the `--json` document.
 *
 * @module
 */

import type { SweepJson } from "../shared/result_json.ts";
import { type Checks, notMadeCheck, type Verdict } from "../../verdict/verdict.ts";
import { type CiTargets, publishGate } from "../shared/ci_outputs.ts";

/** Publishes the sweep's gate where CI reads it; returns the files written. */
export async function publishSweep(
  json: SweepJson,
  markdown: string,
  to: CiTargets,
  err: (line: string) => void,
): Promise<string[]> {
  return await publishGate(
    {
      command: "sweep",
      results: [],
      checks: sweepChecks(json),
      verdict: sweepVerdict(json),
      document: json,
      phases: json.steps.map((s) => ({
        phase: s.dir,
        target: json.url,
        summary: {
          load: s.load,
          achieved_rate: s.achieved_rate,
          requests: s.requests,
          p50: s.p50,
          p95: s.p95,
          p99: s.p99,
          error_rate: s.error_rate,
        },
      })),
      markdown,
    },
    to,
    err,
  );
}

/**
 * The capacity gate as the one check: a step that misses the SLA above the
 * capacity is what a sweep is for, not a failure. Without `--min-capacity`
 * the check is not made, and says what was measured.
 */
export function sweepChecks(json: SweepJson): Checks {
  if (json.gate) {
    return { min_capacity: { ok: json.gate.state === "pass", detail: json.gate.reason } };
  }
  const found = json.capacity === null
    ? "no load tried met the SLA"
    : `capacity ${json.capacity} ${json.unit}`;
  return { min_capacity: notMadeCheck(`not made: no --min-capacity given (${found})`) };
}

/** The sweep's one verdict: the capacity gate's; without a gate, a pass that gates nothing. */
function sweepVerdict(json: SweepJson): Verdict {
  if (!json.gate) return { state: "pass", basis: "point", reasons: [] };
  return { state: json.gate.state, basis: "point", reasons: [json.gate.reason] };
}
