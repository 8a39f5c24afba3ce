/**
 * Pure statistics over samples: percentiles, counts, throughput.
 *
 * Percentiles use linear interpolation between closest ranks,
 * rank = p/100 * (n - 1): numpy's default, k6's and Excel's PERCENTILE.INC,
 * so a Python user's numbers match ours.
 *
 * @module
 */

import type { Sample } from "./sample.ts";

/**
 * The p-th percentile (0..100) of ascending `sorted`; NaN for an empty set.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2.5
 * ```
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`Cannot take percentile ${p}: not within 0..100`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

/** Ascending copy of `values` as a Float64Array (numeric sort). */
export function sortedCopy(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Summary of one phase. Times in ms; NaN where there is no data. */
export interface PhaseSummary {
  requests: number;
  ok: number;
  failed: number;
  /** failed / requests (0 when there are no requests). */
  error_rate: number;
  /** Over all requests, failed ones at their measured latency. */
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  min: number;
  /** Over successful requests only. */
  ok_p50: number;
  ok_p95: number;
  ok_p99: number;
  /** Requests completed per second over the phase (first send to last completion). */
  throughput: number;
  /** First send to last completion, seconds. */
  duration_s: number;
  /** Failures by kind. */
  errors: Record<string, number>;
}

/** Summarizes one phase's samples. */
export function summarize(samples: readonly Sample[]): PhaseSummary {
  const all = sortedCopy(samples.map((s) => s.latencyMs));
  const okOnly = sortedCopy(samples.filter((s) => s.ok).map((s) => s.latencyMs));
  const errors: Record<string, number> = {};
  let first = Infinity;
  let last = -Infinity;
  let sum = 0;
  for (const s of samples) {
    if (!s.ok) errors[s.error || "unknown"] = (errors[s.error || "unknown"] ?? 0) + 1;
    first = Math.min(first, s.sentMs);
    last = Math.max(last, s.sentMs + s.latencyMs);
    sum += s.latencyMs;
  }
  return summaryOf({
    all,
    okOnly,
    sum,
    durationS: samples.length === 0 ? 0 : (last - first) / 1000,
    errors,
  });
}

/** What a summary is made of: sorted latencies (all, successes only), their sum, the span. */
export interface SummaryParts {
  all: ArrayLike<number>;
  okOnly: ArrayLike<number>;
  sum: number;
  durationS: number;
  errors: Record<string, number>;
}

/** The summary of a phase from its parts (shared by {@linkcode summarize} and the sample store). */
export function summaryOf({ all, okOnly, sum, durationS, errors }: SummaryParts): PhaseSummary {
  const n = all.length;
  return {
    requests: n,
    ok: okOnly.length,
    failed: n - okOnly.length,
    error_rate: n === 0 ? 0 : (n - okOnly.length) / n,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    mean: n === 0 ? NaN : sum / n,
    max: n === 0 ? NaN : all[n - 1]!,
    min: n === 0 ? NaN : all[0]!,
    ok_p50: percentile(okOnly, 50),
    ok_p95: percentile(okOnly, 95),
    ok_p99: percentile(okOnly, 99),
    throughput: durationS > 0 ? n / durationS : 0,
    duration_s: durationS,
    errors,
  };
}
