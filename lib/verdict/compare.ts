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

/**
 * What the outputs check compares: `exact` the response bytes' digests (the
 * stub, `--api raw`), `text` what the model generated (token ids where sent,
 * else the text; greedy decoding), `none` nothing (sampled output).
 */
export type OutputCheck = "exact" | "text" | "none";

/** The output check modes, for flags. */
export const OUTPUT_CHECKS: readonly OutputCheck[] = ["exact", "text", "none"];

/** The outputs check: its mode, requests compared and identical, and the ones that differ. */
export type OutputsCheck = Check & {
  mode: OutputCheck;
  compared: number;
  identical: number;
  mismatches: OutputMismatch[];
};

/** The comparison of two phases. */
export interface Comparison {
  baseline: PhaseSummary;
  optimized: PhaseSummary;
  /** optimized minus baseline, and optimized / baseline for latencies. */
  delta: Record<string, number>;
  checks: {
    inputs_identical: Check;
    outputs_identical: OutputsCheck;
    conditions_match: Check & { differences: string[] };
  };
}

const DELTA_KEYS = ["p50", "p95", "p99", "mean", "max", "throughput", "failed"] as const;

/** Compares two phases; `load` is null where a log came without its parameters. */
export function comparePhases(
  baseline: readonly Sample[],
  optimized: readonly Sample[],
  load: { baseline: LoadParams | null; optimized: LoadParams | null },
  outputs: OutputCheck = "exact",
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
      outputs_identical: checkOutputs(baseline, optimized, outputs),
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

/**
 * `text` when every successful request of both phases carries a digest of its
 * generated text (an LLM API's log: framing such as ids and `created` differs
 * between runs of a real server), else `exact`.
 */
export function defaultOutputCheck(
  baseline: readonly Sample[],
  optimized: readonly Sample[],
): OutputCheck {
  const texted = (s: Sample) => !s.ok || (s.textSha256 ?? "") !== "";
  const any = [...baseline, ...optimized].some((s) => s.ok);
  return any && baseline.every(texted) && optimized.every(texted) ? "text" : "exact";
}

const WHAT: Record<Exclude<OutputCheck, "none">, string> = {
  exact: "byte-identical",
  text: "text-identical",
};

/**
 * Requests that succeeded in both phases returned the same output: the same
 * response bytes (`exact`) or the same generated text (`text`); `none` is a
 * check not made.
 */
export function checkOutputs(
  baseline: readonly Sample[],
  optimized: readonly Sample[],
  mode: OutputCheck = "exact",
): OutputsCheck {
  const empty = { mode, compared: 0, identical: 0, mismatches: [] };
  if (mode === "none") {
    const detail = "not made: --output-check none (sampled output is not expected to repeat)";
    return { ...notMadeCheck(detail), ...empty };
  }
  const digest = mode === "text"
    ? (s: Sample) => s.textSha256 ?? ""
    : (s: Sample) => s.outputSha256;
  const undigested = (s: Sample) => s.ok && digest(s) === "";
  if (baseline.some(undigested) || optimized.some(undigested)) {
    const detail = mode === "text"
      ? "not made: a log has no generated-text digests (not an LLM API's log; --output-check exact)"
      : "not made: a log has no output digests (imported from another tool)";
    return { ...notMadeCheck(detail), ...empty };
  }
  const other = byId(optimized);
  const mismatches: OutputMismatch[] = [];
  let compared = 0;
  for (const s of baseline) {
    const t = other.get(s.requestId);
    if (!t || !s.ok || !t.ok) continue;
    compared++;
    if (digest(s) !== digest(t)) {
      mismatches.push({ request_id: s.requestId, baseline: digest(s), optimized: digest(t) });
    }
  }
  const identical = compared - mismatches.length;
  const ok = mismatches.length === 0 && compared > 0;
  const ids = mismatches.slice(0, 5).map((m) => m.request_id).join(", ");
  const what = mode === "text" ? "generated text" : "response bytes";
  const detail = mismatches.length > 0
    ? `${mismatches.length} of ${compared} outputs differ in ${what} (request ${ids}${
      mismatches.length > 5 ? ", ..." : ""
    }); ${identical} of ${compared} ${WHAT[mode]}`
    : compared === 0
    ? "no request succeeded in both phases, so no output could be compared"
    : `${identical} of ${compared} outputs ${WHAT[mode]}${
      mode === "text" ? " (generated text; ids and created not compared)" : ""
    }`;
  return { ok, detail, mode, compared, identical, mismatches };
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
