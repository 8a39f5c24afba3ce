/**
 * The gate against history (`run --against-history`): this run's metric
 * against a prediction interval from the last comparable runs. Under a normal
 * model of the runs' values, a new run falls within
 *
 *   mean ± t_{(1+c)/2, n−1} · s · √(1 + 1/n)
 *
 * with probability c. The run fails when it lies outside that band on the
 * worse side *and* is worse than the history's mean by more than a practical
 * threshold (`--min-change`, percent or ms), so that neither noise nor a
 * negligible but steady shift fails it alone; too short a history is
 * inconclusive. Pure: values in, a judgement out.
 *
 * @module
 */

import { studentTQuantile } from "../stats/student_t.ts";
import { formatConfidence } from "./interval_verdict.ts";
import type { VerdictState } from "./verdict.ts";

/** The practical threshold: a relative change in percent, or an absolute one in ms. */
export interface MinChange {
  unit: "percent" | "ms";
  value: number;
}

/** What the gate judges. */
export interface HistoryGateInput {
  metric: string;
  /** This run's value; null when it has none (no requests behind it). */
  value: number | null;
  /** The metric over the comparable runs before this one, oldest first. */
  history: readonly number[];
  /** The prediction interval's confidence, 0 < c < 1. */
  confidence: number;
  minChange: MinChange;
  /** Fewer comparable runs than this is inconclusive (at least 3). */
  minRuns: number;
}

/** The gate's judgement. */
export interface HistoryGateResult {
  state: VerdictState;
  metric: string;
  value: number | null;
  runs: number;
  /** The history's mean, and the prediction interval; null when too short. */
  mean: number | null;
  lower: number | null;
  upper: number | null;
  /** Which way is worse for this metric. */
  worse: "higher" | "lower";
  /** How much worse than the mean (positive) or better (negative), ms/units and percent. */
  change: number | null;
  changePercent: number | null;
  /** One line: the band, where the run falls and the state. */
  line: string;
  /** Why it is not a pass; null on pass. */
  reason: string | null;
}

/** Throughput-like metrics get worse downwards; latencies, errors and the rest upwards. */
export function worseDirection(metric: string): "higher" | "lower" {
  return /throughput|per_s|goodput|capacity|^ok$/.test(metric) ? "lower" : "higher";
}

/** Parses `--min-change`: `5%`, `5` (percent) or `20ms`. */
export function parseMinChange(text: string): MinChange | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|ms)?\s*$/.exec(text);
  if (!m) return null;
  return { unit: m[2] === "ms" ? "ms" : "percent", value: Number(m[1]) };
}

/** The mean, sample standard deviation and prediction interval of `xs` at `confidence`. */
export function predictionInterval(
  xs: readonly number[],
  confidence: number,
): { mean: number; sd: number; lower: number; upper: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile((1 + confidence) / 2, n - 1) * sd * Math.sqrt(1 + 1 / n);
  return { mean, sd, lower: mean - half, upper: mean + half };
}

const fmt = (v: number) => String(Number(v.toFixed(3)));

/** Judges `input.value` against its history. */
export function judgeAgainstHistory(input: HistoryGateInput): HistoryGateResult {
  const { metric, value, history, confidence, minChange } = input;
  const worse = worseDirection(metric);
  const base = { metric, value, runs: history.length, worse };
  const level = `${formatConfidence(confidence)} prediction interval`;
  const none = { mean: null, lower: null, upper: null, change: null, changePercent: null };
  if (value === null || !Number.isFinite(value)) {
    const reason = `history ${metric}: this run has no value to compare (no requests behind it)`;
    return { ...base, ...none, state: "fail", line: `${reason}: FAIL`, reason };
  }
  if (history.length < Math.max(3, input.minRuns)) {
    const reason = `history ${metric}: ${history.length} comparable run(s), ` +
      `at least ${Math.max(3, input.minRuns)} needed for a ${level}`;
    return { ...base, ...none, state: "inconclusive", line: `${reason}: INCONCLUSIVE`, reason };
  }
  const band = predictionInterval(history, confidence);
  const change = worse === "higher" ? value - band.mean : band.mean - value;
  const changePercent = band.mean === 0 ? null : change / Math.abs(band.mean) * 100;
  const outside = worse === "higher" ? value > band.upper : value < band.lower;
  const practical = minChange.unit === "ms"
    ? change > minChange.value
    : changePercent !== null && changePercent > minChange.value;
  const where = value > band.upper ? "above" : value < band.lower ? "below" : "inside";
  const state: VerdictState = outside && practical ? "fail" : "pass";
  const pct = changePercent === null
    ? ""
    : ` (${changePercent >= 0 ? "+" : ""}${changePercent.toFixed(1)}% vs the mean)`;
  const line = `history ${metric}: ${fmt(value)} is ${where} the ${level} ` +
    `[${fmt(band.lower)}, ${fmt(band.upper)}] of ${history.length} runs ` +
    `(mean ${fmt(band.mean)})${pct}: ${state.toUpperCase()}`;
  const limit = minChange.unit === "ms" ? `${minChange.value} ms` : `${minChange.value}%`;
  const reason = state === "pass" ? null : `history ${metric} ${fmt(value)} is worse than the ` +
    `${level} [${fmt(band.lower)}, ${fmt(band.upper)}] of ${history.length} comparable runs ` +
    `and by more than ${limit}`;
  return {
    ...base,
    state,
    mean: band.mean,
    lower: band.lower,
    upper: band.upper,
    change,
    changePercent,
    line,
    reason,
  };
}
