/**
 * What `compare` reads beside its two logs and adds to their comparison: the
 * load parameters from the summary JSON beside each log, the input check of
 * runs bounded by time, and the open-loop and streaming rows.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import type { GoodputSummary, LlmSummary, SchedTtftSummary } from "../../stats/llm/summary.ts";
import type { Check, Comparison, LoadParams } from "../../verdict/compare.ts";
import type { FullSummary, OpenLoopSummary, StreamingSummary } from "../../stats/load_metrics.ts";
import type { Sample } from "../../stats/sample.ts";

/** Reads the load parameters from the summary beside a log, or null. */
export async function loadParamsBeside(logPath: string): Promise<LoadParams | null> {
  const path = logPath.replace(/\.csv$/i, "") + ".json";
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return null;
  }
  try {
    const load = (JSON.parse(text) as { load?: LoadParams }).load;
    return load && typeof load === "object" ? load : null;
  } catch {
    throw new UsageError(`Cannot parse summary "${path}": not JSON`);
  }
}

/** A closed-loop run bounded by time sends as many requests as fit. */
export function isTimeBounded(load: LoadParams | null): boolean {
  return load !== null && load.duration_s !== undefined && load.load_model !== "open";
}

/**
 * For two runs bounded by time: every request id both sent has the same input
 * (both walk the same sequence of bodies; they differ only in how far they got).
 */
export function checkInputsPrefix(before: readonly Sample[], after: readonly Sample[]): Check {
  const other = new Map(after.map((s) => [s.requestId, s.inputSha256]));
  let common = 0;
  for (const s of before) {
    const t = other.get(s.requestId);
    if (t === undefined) continue;
    if (t !== s.inputSha256) {
      return { ok: false, detail: `request ${s.requestId} sent different inputs` };
    }
    common++;
  }
  if (common === 0) return { ok: false, detail: "no request id appears in both logs" };
  return {
    ok: true,
    detail: `${common} requests in both, same input digest for each; the runs were bounded ` +
      `by time and sent ${before.length} and ${after.length}`,
  };
}

/** A metric of the open-loop and streaming rows. */
export type ExtraKey =
  | keyof OpenLoopSummary
  | keyof StreamingSummary
  | keyof LlmSummary
  | keyof GoodputSummary
  | keyof SchedTtftSummary;

/** Open-loop and streaming rows of the table, when both logs have them. */
export const EXTRA_ROWS: ReadonlyArray<[ExtraKey, string]> = [
  ["sched_p50", "p50 from schedule (ms)"],
  ["sched_p95", "p95 from schedule (ms)"],
  ["sched_p99", "p99 from schedule (ms)"],
  ["lag_max", "max send lag (ms)"],
  ["late_requests", "late requests"],
  ["ttft_p50", "TTFT p50 (ms)"],
  ["ttft_p95", "TTFT p95 (ms)"],
  ["ttft_p99", "TTFT p99 (ms)"],
  ["itl_p50", "ITL p50 (ms)"],
  ["itl_p95", "ITL p95 (ms)"],
  ["tpot_p50", "TPOT p50 (ms)"],
  ["tpot_p95", "TPOT p95 (ms)"],
  ["output_tokens_per_s", "output tokens/s"],
  ["sched_ttft_p95", "TTFT p95 from schedule (ms)"],
  ["e2e_p95", "E2E p95, successful (ms)"],
  ["input_tokens_per_s", "input tokens/s"],
  ["total_tokens_per_s", "total tokens/s"],
  ["goodput_ratio", "goodput ratio"],
  ["goodput_per_s", "goodput (req/s)"],
];

/**
 * Puts the full summaries (open-loop and streaming metrics beside the base
 * ones, so thresholds see them) into the comparison, with deltas of the rows
 * both have; returns those rows.
 */
export function addExtraMetrics(
  comparison: Comparison,
  extra: { baseline: FullSummary; optimized: FullSummary },
): ReadonlyArray<[ExtraKey, string]> {
  comparison.baseline = extra.baseline;
  comparison.optimized = extra.optimized;
  const shared = EXTRA_ROWS.filter(([k]) =>
    typeof extra.baseline[k] === "number" && typeof extra.optimized[k] === "number"
  );
  for (const [k] of shared) comparison.delta[k] = extra.optimized[k]! - extra.baseline[k]!;
  return shared;
}

/** The open-loop and streaming rows as a terminal table. */
export function extraTable(
  b: FullSummary,
  o: FullSummary,
  rows: ReadonlyArray<[ExtraKey, string]>,
): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  const lines = [["", "baseline", "optimized", "delta"]];
  for (const [k, label] of rows) {
    const [x, y] = [b[k]!, o[k]!];
    const d = y - x;
    lines.push([label, f(x), f(y), `${d > 0 ? "+" : ""}${f(d)}`]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) =>
    l.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")
      .trimEnd()
  ).join("\n");
}
