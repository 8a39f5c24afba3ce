/**
 * Before vs after: summaries, deltas and the checks that make a comparison
 * fair (same inputs, same load) and the optimization safe (same outputs).
 * Pure: samples and load parameters in, a comparison out.
 *
 * @module
 */

import type { Sample } from "../stats/sample.ts";
import { type PhaseSummary, summarize } from "../stats/stats.ts";
import type { LoadParams } from "../load/load_params.ts";
import { type Check, notMadeCheck } from "./verdict.ts";

export type { Check, LoadParams };

/** A request whose output differs between phases. */
export interface OutputMismatch {
  request_id: number;
  baseline: string;
  optimized: string;
}

/** The comparison of two phases. */
export interface Comparison {
  baseline: PhaseSummary;
  optimized: PhaseSummary;
  /** optimized minus baseline, and optimized / baseline for latencies. */
  delta: Record<string, number>;
  checks: {
    inputs_identical: Check;
    outputs_identical: Check & { compared: number; mismatches: OutputMismatch[] };
    conditions_match: Check & { differences: string[] };
  };
}

const DELTA_KEYS = ["p50", "p95", "p99", "mean", "max", "throughput", "failed"] as const;

/** Compares two phases; `load` is null where a log came without its parameters. */
export function comparePhases(
  baseline: readonly Sample[],
  optimized: readonly Sample[],
  load: { baseline: LoadParams | null; optimized: LoadParams | null },
): Comparison {
  const b = summarize(baseline);
  const o = summarize(optimized);
  const delta: Record<string, number> = {};
  for (const k of DELTA_KEYS) delta[k] = o[k] - b[k];
  for (const k of ["p50", "p95", "p99"] as const) delta[`${k}_ratio`] = o[k] / b[k];
  return {
    baseline: b,
    optimized: o,
    delta,
    checks: {
      inputs_identical: checkInputs(baseline, optimized),
      outputs_identical: checkOutputs(baseline, optimized),
      conditions_match: checkConditions(load.baseline, load.optimized),
    },
  };
}

function byId(samples: readonly Sample[]): Map<number, Sample> {
  return new Map(samples.map((s) => [s.requestId, s]));
}

/** Every request id appears in both phases with the same input digest. */
export function checkInputs(baseline: readonly Sample[], optimized: readonly Sample[]): Check {
  if (baseline.some((s) => s.inputSha256 === "") || optimized.some((s) => s.inputSha256 === "")) {
    return notMadeCheck("not made: a log has no input digests (imported from another tool)");
  }
  if (baseline.length !== optimized.length) {
    return {
      ok: false,
      detail: `request counts differ: ${baseline.length} vs ${optimized.length}`,
    };
  }
  const other = byId(optimized);
  for (const s of baseline) {
    const t = other.get(s.requestId);
    if (!t) {
      return { ok: false, detail: `request ${s.requestId} is missing from the optimized phase` };
    }
    if (t.inputSha256 !== s.inputSha256) {
      return { ok: false, detail: `request ${s.requestId} sent different inputs` };
    }
  }
  return {
    ok: true,
    detail: `${baseline.length} requests, same input digest for every request id`,
  };
}

/** Requests that succeeded in both phases returned the same output digest. */
export function checkOutputs(
  baseline: readonly Sample[],
  optimized: readonly Sample[],
): Check & { compared: number; mismatches: OutputMismatch[] } {
  const undigested = (s: Sample) => s.ok && s.outputSha256 === "";
  if (baseline.some(undigested) || optimized.some(undigested)) {
    const detail = "not made: a log has no output digests (imported from another tool)";
    return { ...notMadeCheck(detail), compared: 0, mismatches: [] };
  }
  const other = byId(optimized);
  const mismatches: OutputMismatch[] = [];
  let compared = 0;
  for (const s of baseline) {
    const t = other.get(s.requestId);
    if (!t || !s.ok || !t.ok) continue;
    compared++;
    if (s.outputSha256 !== t.outputSha256) {
      mismatches.push({
        request_id: s.requestId,
        baseline: s.outputSha256,
        optimized: t.outputSha256,
      });
    }
  }
  const ok = mismatches.length === 0 && compared > 0;
  const ids = mismatches.slice(0, 5).map((m) => m.request_id).join(", ");
  const detail = mismatches.length > 0
    ? `${mismatches.length} of ${compared} outputs differ (request ${ids}${
      mismatches.length > 5 ? ", ..." : ""
    })`
    : compared === 0
    ? "no request succeeded in both phases, so no output could be compared"
    : `${compared} outputs compared, all identical`;
  return { ok, detail, compared, mismatches };
}

/** The load parameters of both phases are equal. */
export function checkConditions(
  baseline: LoadParams | null,
  optimized: LoadParams | null,
): Check & { differences: string[] } {
  if (!baseline || !optimized) {
    return {
      ...notMadeCheck("not made: load parameters unknown for a phase (no summary beside its log)"),
      differences: [],
    };
  }
  const keys = [...new Set([...Object.keys(baseline), ...Object.keys(optimized)])];
  const differences = (keys as (keyof LoadParams)[])
    .filter((k) => baseline[k] !== optimized[k])
    .map((k) => `${k}: ${baseline[k] ?? "none"} vs ${optimized[k] ?? "none"}`);
  return {
    ok: differences.length === 0,
    detail: differences.length === 0
      ? "same requests, concurrency, timeout, method, path, headers, bodies"
      : differences.join("; "),
    differences,
  };
}
