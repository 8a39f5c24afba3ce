/**
 * A seeded percentile bootstrap of the difference between two phases'
 * percentiles (after minus before).
 *
 * Each of B resamples draws n latencies with replacement from each phase,
 * independently, and takes the difference of the resamples' percentiles
 * (numpy linear, as everywhere). The interval is the alpha/2 and 1 - alpha/2
 * percentiles of the B differences (the percentile bootstrap). The source of
 * randomness is `mulberry32` from a fixed seed, so the same logs always give
 * the same interval.
 *
 * Cost: a percentile of a resample needs only two of its order statistics,
 * and the k-th smallest of n indices drawn uniformly with replacement is
 * floor(n * U(k)), with U(k) the k-th smallest of n uniforms, distributed
 * Beta(k, n - k + 1). Drawing those (in rank order, each given the last)
 * yields exactly the bootstrap's distribution in constant time a resample,
 * so 2,000 resamples cost the same for 400 requests as for a million; only
 * the one sort of each phase grows with n. `tests/stats/bootstrap_test.ts` checks
 * the draws against plain resampling.
 *
 * @example
 * ```ts
 * const before = Float64Array.from([10, 11, 12, 13, 40]);
 * const after = Float64Array.from([5, 6, 7, 8, 20]);
 * bootstrapDifference(before, after, { percentiles: [50] });
 * ```
 *
 * @module
 */

import { mulberry32 } from "./random.ts";
import { percentile } from "./stats.ts";
import { betaVariate, type Uniform } from "./variates.ts";

/** Resamples by default: enough for stable 2.5% / 97.5% bounds, cheap at any n. */
export const DEFAULT_RESAMPLES = 2000;
/** The default seed of the bootstrap; recorded in comparison.json. */
export const DEFAULT_BOOTSTRAP_SEED = 20240607;

/** Options of {@linkcode bootstrapDifference}. */
export interface BootstrapOptions {
  /** Percentiles, 0..100 (default 50, 95, 99). */
  percentiles?: readonly number[];
  /** 0..1 (default 0.95). */
  confidence?: number;
  /** Resamples (default {@linkcode DEFAULT_RESAMPLES}). */
  resamples?: number;
  /** Seed of the resampling (default {@linkcode DEFAULT_BOOTSTRAP_SEED}). */
  seed?: number;
}

/** The interval of one percentile's difference. */
export interface DifferenceInterval {
  percentile: number;
  /** after minus before, from all the data; NaN when a phase is empty. */
  estimate: number;
  /** Bounds of the interval; NaN when a phase is empty. */
  lower: number;
  upper: number;
  /** True when the interval includes 0: the data cannot tell the phases apart. */
  contains_zero: boolean;
  /** `lower` (after is lower), `higher`, or `unclear` (the interval holds 0). */
  direction: "lower" | "higher" | "unclear";
}

/** The bootstrap's result, with its method stated. */
export interface DifferenceReport {
  method: string;
  resampling: string;
  resamples: number;
  seed: number;
  confidence: number;
  intervals: DifferenceInterval[];
}

/**
 * Intervals for after minus before at each percentile. `before` and `after`
 * must be sorted ascending.
 */
export function bootstrapDifference(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  options: BootstrapOptions = {},
): DifferenceReport {
  const percentiles = options.percentiles ?? [50, 95, 99];
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`Cannot bootstrap at confidence ${confidence}: not within 0..1`);
  }
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(`Cannot bootstrap with ${resamples} resamples: not a positive integer`);
  }
  const report = {
    method: "percentile bootstrap",
    resampling: "each phase independently, with replacement, n draws from its n latencies",
    resamples,
    seed,
    confidence,
  };
  if (before.length === 0 || after.length === 0) {
    return {
      ...report,
      intervals: percentiles.map((p) => ({
        percentile: p,
        estimate: NaN,
        lower: NaN,
        upper: NaN,
        contains_zero: true,
        direction: "unclear",
      })),
    };
  }
  const rng = mulberry32(seed);
  const diffs = percentiles.map(() => new Float64Array(resamples));
  for (let b = 0; b < resamples; b++) {
    const x = resampledPercentiles(before, percentiles, rng);
    const y = resampledPercentiles(after, percentiles, rng);
    for (let i = 0; i < percentiles.length; i++) diffs[i]![b] = y[i]! - x[i]!;
  }
  const tail = 100 * (1 - confidence) / 2;
  return {
    ...report,
    intervals: percentiles.map((p, i) => {
      const d = diffs[i]!.sort();
      const lower = percentile(d, tail);
      const upper = percentile(d, 100 - tail);
      const containsZero = lower <= 0 && upper >= 0;
      return {
        percentile: p,
        estimate: percentile(after, p) - percentile(before, p),
        lower,
        upper,
        contains_zero: containsZero,
        direction: containsZero ? "unclear" : upper < 0 ? "lower" : "higher",
      };
    }),
  };
}

/**
 * The percentiles of one bootstrap resample of ascending `sorted`: n draws
 * with replacement, drawn through their order statistics (see the module
 * notes). Exported for the test that compares it with plain resampling.
 */
export function resampledPercentiles(
  sorted: ArrayLike<number>,
  percentiles: readonly number[],
  rng: Uniform,
): number[] {
  const n = sorted.length;
  // The 1-based ranks each percentile interpolates between.
  const ranks = new Set<number>();
  for (const p of percentiles) {
    const r = (p / 100) * (n - 1);
    ranks.add(Math.floor(r) + 1);
    ranks.add(Math.ceil(r) + 1);
  }
  const value = new Map<number, number>();
  let u = 0;
  let prev = 0;
  for (const k of [...ranks].sort((a, b) => a - b)) {
    // Given U(prev) = u, the other n - prev uniforms are uniform on (u, 1).
    u = u + (1 - u) * betaVariate(rng, k - prev, n - k + 1);
    prev = k;
    value.set(k, sorted[Math.min(n - 1, Math.floor(n * u))]!);
  }
  return percentiles.map((p) => {
    const r = (p / 100) * (n - 1);
    const lo = Math.floor(r);
    const a = value.get(lo + 1)!;
    const b = value.get(Math.ceil(r) + 1)!;
    return a + (b - a) * (r - lo);
  });
}
