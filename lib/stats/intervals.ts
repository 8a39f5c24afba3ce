/**
 * Distribution-free confidence intervals for percentiles, from order
 * statistics (the binomial method).
 *
 * Of n latencies, the number X that fall below the true p-th percentile is
 * Binomial(n, p/100), whatever the shape of the latency distribution. So the
 * interval [x(l), x(u)] between the l-th and u-th smallest latencies (1-based)
 * holds the true percentile with probability P(l <= X <= u - 1). We take the
 * largest l with P(X <= l - 1) <= alpha/2 and the smallest u with
 * P(X >= u) <= alpha/2, so each side misses at most alpha/2 of the time and
 * the interval holds at least the stated confidence (ties only raise it).
 *
 * When n is too small, no order statistic is far enough out: for P99 at 95%,
 * the largest of n latencies lies below the true P99 with probability
 * 0.99^n, which stays above 2.5% until n = 367. That side is then unbounded
 * (`null` in JSON, +-Infinity here) and a verdict on it is inconclusive.
 *
 * @example
 * ```ts
 * const sorted = Float64Array.from({ length: 400 }, (_, i) => i + 1);
 * percentileInterval(sorted, 95, 0.95); // { lower: 371, upper: 389, ... }
 * ```
 *
 * @module
 */

import { binomialTable } from "./binomial.ts";
import { percentile } from "./stats.ts";

/** A percentile's point estimate and its confidence interval. */
export interface PercentileInterval {
  /** 0..100. */
  percentile: number;
  /** Requests the interval rests on. */
  n: number;
  /** The point estimate (numpy linear interpolation); NaN when n = 0. */
  estimate: number;
  /** Lower bound; -Infinity when unbounded below. */
  lower: number;
  /** Upper bound; Infinity when unbounded above. */
  upper: number;
  /** 1-based rank of the lower bound, or 0 when unbounded. */
  lower_rank: number;
  /** 1-based rank of the upper bound, or n + 1 when unbounded. */
  upper_rank: number;
  /** The confidence asked for, 0..1. */
  confidence: number;
  /** The exact probability that this rank interval holds the true percentile. */
  coverage: number;
  /** Fewest requests for an interval bounded on both sides at this confidence. */
  min_requests: number;
}

/**
 * Terms below 1e-40 of the mode's are left out of the rank search's table: together they weigh
 * under n x 1e-40, far below a double's resolution of the 0.5 %-5 % tails compared here, so
 * the ranks and coverage are those of the full table (tests/stats/intervals_test.ts checks a grid),
 * from a table a third as wide: about 27,000 terms instead of 74,000 for P50 of a million requests.
 */
const RANK_TINY = 1e-40;

/** Rank intervals already worked out, by n, p and confidence (a few: a phase asks each twice). */
const RANKS = new Map<string, { lower: number; upper: number; coverage: number }>();

/**
 * The ranks `[l, u]` (1-based; 0 and n + 1 mean unbounded) and their exact coverage.
 * The last few answers are kept: P50 and successes-only P50 of a phase without failures
 * ask the same question, and for a million requests each costs a binomial table.
 */
export function orderStatisticRanks(
  n: number,
  p: number,
  confidence: number,
): { lower: number; upper: number; coverage: number } {
  checkConfidence(confidence);
  const key = `${n}:${p}:${confidence}`;
  let ranks = RANKS.get(key);
  if (ranks === undefined) {
    ranks = computeRanks(n, p, confidence);
    if (RANKS.size >= 32) RANKS.delete(RANKS.keys().next().value!);
    RANKS.set(key, ranks);
  }
  return { ...ranks };
}

function computeRanks(
  n: number,
  p: number,
  confidence: number,
): { lower: number; upper: number; coverage: number } {
  const tail = (1 - confidence) / 2;
  const b = binomialTable(n, p / 100, RANK_TINY);
  // Largest l in 1..n with P(X <= l - 1) <= tail; cdf is non-decreasing.
  let lower = 0;
  let lo = 1;
  let hi = n;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (b.cdf(mid - 1) <= tail) {
      lower = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Smallest u in 1..n with P(X >= u) <= tail; sf is non-increasing.
  let upper = n + 1;
  lo = 1;
  hi = n;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (b.sf(mid) <= tail) {
      upper = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  const missBelow = lower === 0 ? 0 : b.cdf(lower - 1);
  const missAbove = upper === n + 1 ? 0 : b.sf(upper);
  return { lower, upper, coverage: 1 - missBelow - missAbove };
}

/**
 * Fewest requests for which the `p`-th percentile has an interval bounded on
 * both sides at `confidence`: both (p/100)^n and (1 - p/100)^n must reach
 * (1 - confidence)/2. Infinity for p = 0 or 100 (the extremes never are).
 */
export function minRequestsFor(p: number, confidence: number): number {
  checkConfidence(confidence);
  const f = p / 100;
  if (!(f > 0 && f < 1)) return Infinity;
  const tail = (1 - confidence) / 2;
  const need = (share: number): number => {
    // The closed form, then a nudge either way in case rounding put it one off.
    let m = Math.max(1, Math.ceil(Math.log(tail) / Math.log(share)));
    while (m > 1 && share ** (m - 1) <= tail) m--;
    while (share ** m > tail) m++;
    return m;
  };
  return Math.max(need(f), need(1 - f));
}

/**
 * The `p`-th percentile (0..100) of ascending `sorted` with its interval at
 * `confidence` (0..1, for example 0.95).
 */
export function percentileInterval(
  sorted: ArrayLike<number>,
  p: number,
  confidence: number,
): PercentileInterval {
  const n = sorted.length;
  const { lower, upper, coverage } = orderStatisticRanks(n, p, confidence);
  return {
    percentile: p,
    n,
    estimate: percentile(sorted, p),
    lower: lower === 0 ? -Infinity : sorted[lower - 1]!,
    upper: upper === n + 1 ? Infinity : sorted[upper - 1]!,
    lower_rank: lower,
    upper_rank: upper,
    confidence,
    coverage,
    min_requests: minRequestsFor(p, confidence),
  };
}

/** Throws `RangeError` unless 0 < `confidence` < 1. */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`Cannot use confidence ${confidence}: not strictly between 0 and 1`);
  }
}
