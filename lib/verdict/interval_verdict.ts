/**
 * The three-state SLA verdict: a threshold on a percentile passes when its
 * whole confidence interval meets the threshold, fails when the whole
 * interval misses it, and is inconclusive otherwise; with an estimate of how
 * many requests would likely settle an inconclusive one. Pure functions.
 *
 * Thresholds on metrics without an interval (error_rate, mean, throughput,
 * ...) keep their point-estimate check: they describe this run, which is what
 * the error gate is about.
 *
 * @module
 */

import { binomialTable } from "../stats/binomial.ts";
import { orderStatisticRanks, type PercentileInterval } from "../stats/intervals.ts";
import type { FailureCounts } from "./failures.ts";
import { evaluate, holds, type Threshold } from "./threshold.ts";
import {
  type Checks,
  exitCodeFor,
  formatMeasured,
  type InconclusivePolicy,
  type Judged,
  judgePoint,
  noDataReason,
  onlyFailuresReason,
  type Verdict,
  verdictOf,
  type VerdictState,
} from "./verdict.ts";

/** Chance of settling that "would likely settle it" means. */
export const SETTLE_POWER = 0.8;
/** Above this many requests the estimate gives up (null). */
export const SETTLE_CAP = 10_000_000;

/** What an interval threshold rests on: the interval and the sorted data behind it. */
export interface IntervalEvidence {
  interval: PercentileInterval;
  /** The ascending latencies the interval came from. */
  sorted: ArrayLike<number>;
}

/** A threshold judged on its interval (or, without one, on its point value). */
export interface IntervalThresholdResult extends Threshold {
  basis: "interval" | "point";
  /** The point estimate; null when there was no data. */
  estimate: number | null;
  /** Interval bounds (-Infinity / Infinity when unbounded: null in JSON); the estimate on a point basis. */
  lower: number | null;
  upper: number | null;
  state: VerdictState;
  /** Requests in the phase that would give an 80% chance of a pass or fail; null when settled or out of reach. */
  requests_to_settle: number | null;
  /** Why `requests_to_settle` is what it is. */
  settle_note: string;
}

/** Judges each threshold; `evidence` holds the intervals by metric name (p50, p95, ok_p99, ...). */
export function evaluateIntervals(
  thresholds: readonly Threshold[],
  metrics: object,
  evidence: Readonly<Record<string, IntervalEvidence>>,
): IntervalThresholdResult[] {
  return thresholds.map((t) => {
    const ev = evidence[t.metric];
    if (!ev) {
      const [point] = evaluate([t], metrics);
      return {
        ...t,
        basis: "point",
        estimate: point!.actual,
        lower: point!.actual,
        upper: point!.actual,
        state: point!.pass ? "pass" : "fail",
        requests_to_settle: null,
        settle_note: "no interval for this metric: judged on its measured value",
      };
    }
    const { interval } = ev;
    const state = intervalState(interval, t);
    const settle = state === "inconclusive"
      ? requestsToSettle(ev.sorted, t, interval.confidence)
      : { requests: null, note: "settled" };
    return {
      ...t,
      basis: "interval",
      estimate: Number.isFinite(interval.estimate) ? interval.estimate : null,
      lower: interval.lower,
      upper: interval.upper,
      state,
      requests_to_settle: settle.requests,
      settle_note: settle.note,
    };
  });
}

/** pass when the whole interval meets `t`, fail when the whole interval misses it. */
export function intervalState(
  interval: Pick<PercentileInterval, "lower" | "upper" | "n">,
  t: Pick<Threshold, "op" | "value">,
): VerdictState {
  if (interval.n === 0) return "fail";
  const upperLimit = t.op === "<" || t.op === "<=";
  // The bound that must meet the threshold for a pass, and the one whose miss is a fail.
  const near = upperLimit ? interval.upper : interval.lower;
  const far = upperLimit ? interval.lower : interval.upper;
  if (holds(near, t.op, t.value)) return "pass";
  if (!holds(far, t.op, t.value)) return "fail";
  return "inconclusive";
}

/**
 * About how many requests the phase would need for an 80% chance that the
 * interval lands wholly on one side of the threshold, if further requests
 * look like these.
 *
 * Model: let s be the share of measured latencies on the passing side of the
 * threshold (for p95<=800: at or under 800). With N requests, the count K on
 * that side is Binomial(N, s); the interval [x(l), x(u)] is wholly under the
 * threshold exactly when K >= u, and wholly over it when K <= l - 1, with l
 * and u the ranks the binomial method picks for N. We search for the
 * smallest N with P(K >= u) + P(K <= l - 1) >= 0.8 (doubling, then
 * bisecting). It is a plug-in estimate from one run: read it as an order of
 * magnitude. When s equals the percentile's share (the estimate sits on the
 * threshold) no N settles it, and the answer is null.
 */
export function requestsToSettle(
  sorted: ArrayLike<number>,
  t: Pick<Threshold, "metric" | "op" | "value">,
  confidence: number,
  power = SETTLE_POWER,
  cap = SETTLE_CAP,
): { requests: number | null; note: string } {
  const n = sorted.length;
  if (n === 0) return { requests: null, note: "no requests to extrapolate from" };
  const p = percentileOf(t.metric);
  let good = 0;
  for (let i = 0; i < n; i++) if (holds(sorted[i]!, t.op, t.value)) good++;
  const share = good / n;
  const upperLimit = t.op === "<" || t.op === "<=";
  const chance = (m: number): number => {
    const { lower: l, upper: u } = orderStatisticRanks(m, p, confidence);
    const k = binomialTable(m, share);
    return upperLimit
      ? k.sf(u) + (l === 0 ? 0 : k.cdf(l - 1))
      : (l === 0 ? 0 : k.sf(m - l + 1)) + (u === m + 1 ? 0 : k.cdf(m - u));
  };
  const how =
    `${(power * 100).toFixed(0)}% chance, if the latency distribution stays as measured ` +
    `(${(share * 100).toFixed(2)}% of requests on the passing side of ${t.value})`;
  let lo = n;
  let hi = n;
  while (chance(hi) < power) {
    if (hi >= cap) {
      return {
        requests: null,
        note: `more than ${cap} requests: the estimate sits too close to the threshold (${how})`,
      };
    }
    lo = hi;
    hi = Math.min(cap, hi * 2);
  }
  if (hi === n) return { requests: n, note: how };
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (chance(mid) >= power) hi = mid;
    else lo = mid;
  }
  return { requests: hi, note: how };
}

/** The verdict on the intervals, with how it exits under its policy. */
export interface IntervalVerdict extends Verdict {
  inconclusive_policy: InconclusivePolicy;
  /** The exit code this verdict maps to under the policy. */
  exit_code: number;
}

/** A threshold judged on its interval, with the reason when it is not a pass. */
export function judgeInterval(
  r: IntervalThresholdResult,
  confidence: number,
  measured?: FailureCounts,
): Judged {
  if (r.basis === "point") {
    return judgePoint({ ...r, actual: r.estimate, pass: r.state === "pass" }, measured);
  }
  const onlyFailures = onlyFailuresReason(r, measured);
  if (onlyFailures !== null) return { state: "fail", reason: onlyFailures };
  if (r.state === "pass") return { state: "pass", reason: null };
  if (r.estimate === null) return { state: "fail", reason: noDataReason(r, measured) };
  const level = `${formatConfidence(confidence)} interval`;
  const bounds = formatInterval(r.lower, r.upper);
  if (r.state === "fail") {
    return {
      state: "fail",
      reason: `SLA ${r.expr} missed: the whole ${level} ${bounds} misses ${r.value}`,
    };
  }
  const settle = r.requests_to_settle === null
    ? "no feasible number of requests would likely settle it"
    : `about ${r.requests_to_settle} requests would likely settle it`;
  return {
    state: "inconclusive",
    reason: `SLA ${r.expr} inconclusive: the ${level} ${bounds} straddles ${r.value}; ${settle}`,
  };
}

/** The interval verdict ({@linkcode verdictOf} on interval judgements) and its exit code. */
export function decideIntervals(
  results: readonly IntervalThresholdResult[],
  checks: Checks,
  policy: InconclusivePolicy,
  confidence: number,
  measured?: FailureCounts,
): IntervalVerdict {
  const judged = results.map((r) => judgeInterval(r, confidence, measured));
  const verdict = verdictOf(judged, checks, "interval", measured);
  return {
    ...verdict,
    inconclusive_policy: policy,
    exit_code: exitCodeFor(verdict.state, policy),
  };
}

/**
 * `[12.3, 45.6]`, with `unbounded` for an infinite side: `digits` fixed
 * decimals, or by default up to 3 (as the point verdict's reasons print).
 */
export function formatInterval(
  lower: number | null,
  upper: number | null,
  digits?: number,
): string {
  const side = (v: number | null) =>
    v === null || !Number.isFinite(v)
      ? "unbounded"
      : digits === undefined
      ? formatMeasured(v)
      : v.toFixed(digits);
  return `[${side(lower)}, ${side(upper)}]`;
}

/** 0.95 -> "95%". */
export function formatConfidence(confidence: number): string {
  return `${Number((confidence * 100).toFixed(4))}%`;
}

/** The percentile (0..100) a metric name stands for: p95 and ok_p95 -> 95. */
export function percentileOf(metric: string): number {
  const m = /^(?:ok_)?p(\d+(?:\.\d+)?)$/.exec(metric);
  if (!m) throw new RangeError(`Cannot read a percentile from metric "${metric}"`);
  return Number(m[1]);
}
