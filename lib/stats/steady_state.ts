/**
 * The steady state of a run, found rather than guessed: the warm-up at its
 * start and the drain at its end are cut with MSER-5 (White, K. P. (1997),
 * "An effective truncation heuristic for bias reduction in simulation output",
 * Simulation 69(6):323-334; White, Cobb and Spratt (2000), "A comparison of
 * five steady-state truncation heuristics for simulation", WSC 2000).
 *
 * MSER-5 averages the series in batches of 5 and picks the truncation d (in
 * batches, at most half of them) that minimizes the marginal standard error
 * MSER(d) = sum_{i>d} (Z_i - mean_{i>d} Z)^2 / (n - d)^2: cutting more lowers
 * it only while the cut part was biased. The drain is MSER-5 of the reversed
 * series. Three guards keep it from wandering or inventing a transient: the
 * cut is the shortest whose MSER is within 1 % of the minimum (past the
 * transient MSER is flat and its exact minimum drifts with the noise); a cut
 * must lower MSER by at least 10 % below no cut; and the cut batches' mean
 * must stand more than 3 standard errors (of that many kept batch means) from
 * the kept mean.
 *
 * @example
 * ```ts
 * const warm = Array.from({ length: 100 }, (_, i) => (i < 20 ? 100 : 10));
 * mser5(warm); // 20
 * ```
 *
 * @module
 */

/** Batch size of MSER-5. */
export const MSER_BATCH = 5;

/** A cut is the shortest whose MSER is within this share of the minimum's. */
export const TOLERANCE = 0.01;

/** Least relative drop of MSER below MSER(0) that counts as a transient. */
export const GAIN = 0.1;

/** Standard errors the cut part's mean must stand from the kept mean. */
export const GUARD = 3;

/** Fewest observations MSER-5 is applied to (below it nothing is cut). */
export const MSER_MIN_OBSERVATIONS = 20;

function batchMeans(series: readonly number[]): number[] {
  const means: number[] = [];
  for (let at = 0; at + MSER_BATCH <= series.length; at += MSER_BATCH) {
    let sum = 0;
    for (let i = at; i < at + MSER_BATCH; i++) sum += series[i]!;
    means.push(sum / MSER_BATCH);
  }
  return means;
}

/** The batch count d in [0, n/2] minimizing MSER(d) over batch means `z`. */
function bestCut(z: number[]): number {
  const n = z.length;
  // Suffix sums, so each MSER(d) is O(1).
  const sum = new Float64Array(n + 1);
  const sq = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    sum[i] = sum[i + 1]! + z[i]!;
    sq[i] = sq[i + 1]! + z[i]! * z[i]!;
  }
  const values: number[] = [];
  for (let d = 0; d <= Math.floor(n / 2); d++) {
    const k = n - d;
    const mean = sum[d]! / k;
    values.push(Math.max(0, sq[d]! - k * mean * mean) / (k * k));
  }
  const min = Math.min(...values);
  // The shortest cut within TOLERANCE of the minimum: past the transient MSER is flat, and
  // its exact minimum wanders into the steady part with the noise.
  // A cut that lowers MSER by less than GAIN is noise, not a transient.
  if (min > values[0]! * (1 - GAIN)) return 0;
  return values.findIndex((v) => v <= min * (1 + TOLERANCE));
}

/** True when the first `d` batch means stand apart from the rest (the guard). */
function significant(z: number[], d: number): boolean {
  const kept = z.slice(d);
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const sd = Math.sqrt(kept.reduce((a, b) => a + (b - mean) ** 2, 0) / (kept.length - 1));
  const cut = z.slice(0, d).reduce((a, b) => a + b, 0) / d;
  return Math.abs(cut - mean) > GUARD * (sd / Math.sqrt(d));
}

/** Observations to cut from the start of `series` (a multiple of 5; 0 when none). */
export function mser5(series: readonly number[]): number {
  if (series.length < MSER_MIN_OBSERVATIONS) return 0;
  const z = batchMeans(series);
  const d = bestCut(z);
  if (d === 0 || !significant(z, d)) return 0;
  return d * MSER_BATCH;
}

/** Warm-up and drain of `series`: observations to cut at each end. */
export interface SteadyCut {
  warmup: number;
  drain: number;
}

/** The warm-up (MSER-5 forward) and the drain (MSER-5 of the rest, reversed). */
export function steadyCut(series: readonly number[]): SteadyCut {
  const warmup = mser5(series);
  const rest = series.slice(warmup);
  const drain = mser5([...rest].reverse());
  return { warmup, drain };
}
