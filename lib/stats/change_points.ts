/**
 * Change points in a series by E-divisive means (Matteson & James, "A
 * Nonparametric Approach for Multiple Change Point Analysis of Multivariate
 * Data", JASA 2014), each tested by permutation, as Apache Otava (DataStax's
 * Hunter; Daly et al., "Change Point Detection in Software Performance
 * Testing", ICPE 2020) does in `compute_change_points_orig`: the best split of
 * each segment maximizes the divergence
 *
 *   Q(X, Y) = 2/(m+n) Σ|Xi−Yj| − 2m/((m+n)(n−1)) Σi<k|Xi−Xk| − 2n/((m+n)(m−1)) Σj<k|Yj−Yk|
 *
 * over a start τ and an end κ of the segment's right part; the best split over
 * all segments is kept when its permutation p-value (the series shuffled
 * within each segment, the best Q found again) is at most `maxPValue`, and the
 * search goes on in the segments it leaves. The p-value is
 * (1 + #{permuted Q ≥ Q}) / (1 + permutations), which never falls below the
 * true one (Otava drops the 1 in the numerator).
 *
 * Pure and seeded: the same series and seed give the same change points.
 *
 * @example
 * ```ts
 * const before = [10, 10.2, 9.9, 10.1, 10, 10.1, 9.8, 10, 10.2, 9.9];
 * const after = [11, 11.1, 10.9, 11, 11.2, 11.1, 10.8, 11, 11.1, 10.9];
 * changePoints([...before, ...after]).map((c) => c.index); // [10]
 * ```
 *
 * @module
 */

import { mulberry32 } from "./random.ts";

/** How the search runs. */
export interface ChangePointOptions {
  /** A split counts when its permutation p-value is at most this (default 0.01). */
  maxPValue?: number;
  /** Shuffles of each test (default 199: the smallest p-value is 1/200). */
  permutations?: number;
  /** Seed of the shuffles (default 1). */
  seed?: number;
}

/** One change point: the series moves to a new level at `index`. */
export interface ChangePoint {
  /** The first value of the new level (0-based). */
  index: number;
  /** The divergence Q of the split. */
  q: number;
  pValue: number;
  /** Medians of the segment before and after, within the segments around the split. */
  before: number;
  after: number;
  /** (after − before) / before × 100; null when `before` is 0. */
  percent: number | null;
}

/** The default significance level of {@linkcode changePoints}. */
export const DEFAULT_MAX_P_VALUE = 0.01;
/** The default number of permutations of each test. */
export const DEFAULT_PERMUTATIONS = 199;

/** A half-open segment [start, end) of the series. */
type Segment = readonly [number, number];

/** The best split of one segment: its start index and divergence. */
interface Candidate {
  index: number;
  q: number;
}

/**
 * Column sums of |x_i − x_j| above the diagonal: `cum[r * n + c]` is
 * Σ_{i<r} |x_i − x_c|, so any Σ_{a≤i<b} |x_i − x_c| is two reads.
 */
function columnSums(x: readonly number[]): Float64Array {
  const n = x.length;
  const cum = new Float64Array((n + 1) * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) cum[(r + 1) * n + c] = cum[r * n + c]! + Math.abs(x[r]! - x[c]!);
  }
  return cum;
}

/** The split of [s, e) with the largest Q over every τ and κ, in O((e − s)²). */
function bestSplit(x: readonly number[], cum: Float64Array, [s, e]: Segment): Candidate | null {
  const n = x.length;
  const sum = (a: number, b: number, c: number) => cum[b * n + c]! - cum[a * n + c]!;
  let best: Candidate | null = null;
  let withinX = 0; // Σ_{s≤i<k<τ} |x_i − x_k|
  for (let tau = s + 1; tau < e; tau++) {
    withinX += sum(s, tau - 1, tau - 1);
    const nx = tau - s;
    let between = 0; // Σ_{i∈[s,τ), j∈[τ,κ)} |x_i − x_j|
    let withinY = 0; // Σ_{τ≤j<k<κ} |x_j − x_k|
    for (let kappa = tau + 1; kappa <= e; kappa++) {
      between += sum(s, tau, kappa - 1);
      withinY += sum(tau, kappa - 1, kappa - 1);
      const ny = kappa - tau;
      const total = nx + ny;
      let q = (2 / total) * between;
      if (nx > 1) q -= (2 * ny / (total * (nx - 1))) * withinX;
      if (ny > 1) q -= (2 * nx / (total * (ny - 1))) * withinY;
      if (best === null || q > best.q) best = { index: tau, q };
    }
  }
  return best;
}

/** The best split over all segments, and the segment it lies in. */
function bestOver(
  x: readonly number[],
  segments: readonly Segment[],
): { candidate: Candidate; segment: Segment } | null {
  const cum = columnSums(x);
  let found: { candidate: Candidate; segment: Segment } | null = null;
  for (const segment of segments) {
    if (segment[1] - segment[0] < 2) continue;
    const candidate = bestSplit(x, cum, segment);
    if (candidate && (found === null || candidate.q > found.candidate.q)) {
      found = { candidate, segment };
    }
  }
  return found;
}

/** Shuffles each segment of a copy of `x` in place (Fisher–Yates). */
function shuffledWithin(x: readonly number[], segments: readonly Segment[], rng: () => number) {
  const y = [...x];
  for (const [s, e] of segments) {
    for (let i = e - 1; i > s; i--) {
      const j = s + Math.floor(rng() * (i - s + 1));
      [y[i], y[j]] = [y[j]!, y[i]!];
    }
  }
  return y;
}

/** The best split of the whole series (its first index and Q); null under 2 values. */
export function bestSplitOf(series: readonly number[]): { index: number; q: number } | null {
  return bestOver(series, [[0, series.length]])?.candidate ?? null;
}

/** The median of `values` (linear interpolation between the two middle ones). */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = (v.length - 1) / 2;
  return (v[Math.floor(mid)]! + v[Math.ceil(mid)]!) / 2;
}

/** The segments [0, c1), [c1, c2), ..., [ck, n) of sorted change indices. */
function segmentsOf(cuts: readonly number[], n: number): Segment[] {
  const edges = [0, ...cuts, n];
  return edges.slice(1).map((e, i) => [edges[i]!, e] as const);
}

/** Change points of `series`, in index order, each significant at `maxPValue`. */
export function changePoints(
  series: readonly number[],
  options: ChangePointOptions = {},
): ChangePoint[] {
  const maxP = options.maxPValue ?? DEFAULT_MAX_P_VALUE;
  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const rng = mulberry32(options.seed ?? 1);
  const found: { index: number; q: number; pValue: number }[] = [];
  for (;;) {
    const segments = segmentsOf(found.map((f) => f.index), series.length);
    const best = bestOver(series, segments);
    if (best === null) break;
    let asExtreme = 0;
    for (let r = 0; r < permutations; r++) {
      const again = bestOver(shuffledWithin(series, segments, rng), segments);
      if (again !== null && again.candidate.q >= best.candidate.q) asExtreme++;
    }
    const pValue = (1 + asExtreme) / (1 + permutations);
    if (pValue > maxP) break;
    found.push({ ...best.candidate, pValue });
    found.sort((a, b) => a.index - b.index);
  }
  const cuts = found.map((f) => f.index);
  return found.map((f, k) => {
    const before = median(series.slice(k === 0 ? 0 : cuts[k - 1]!, f.index));
    const after = median(series.slice(f.index, cuts[k + 1] ?? series.length));
    const percent = before === 0 ? null : (after - before) / before * 100;
    return { index: f.index, q: f.q, pValue: f.pValue, before, after, percent };
  });
}
