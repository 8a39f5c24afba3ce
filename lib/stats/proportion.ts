/**
 * Intervals for proportions, for goodput ratios: Wilson's score interval for
 * one ratio, and Newcombe's hybrid score interval (his method 10) for the
 * difference of two independent ratios, after minus before.
 *
 * @example
 * ```ts
 * wilson(90, 100, 0.95); // [0.8256, 0.9448]
 * compareGoodput({ good: 80, requests: 100 }, { good: 97, requests: 100 }, 0.95).difference;
 * // { value: 0.17, low: 0.0883..., high: 0.2558... }
 * ```
 *
 * @module
 */

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Wilson's score interval for `k` of `n` at `confidence`; [NaN, NaN] when n is 0. */
export function wilson(k: number, n: number, confidence: number): [number, number] {
  if (n === 0) return [NaN, NaN];
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** A ratio's count behind it. */
export interface Counted {
  good: number;
  requests: number;
}

/** The goodput of two phases and their difference, with intervals (comparison.json `goodput`). */
export interface GoodputComparison {
  confidence: number;
  baseline: { good: number; requests: number; ratio: number; low: number; high: number };
  optimized: { good: number; requests: number; ratio: number; low: number; high: number };
  /** optimized minus baseline, Newcombe's hybrid score interval. */
  difference: { value: number; low: number; high: number };
}

/** Compares two goodput ratios at `confidence`. */
export function compareGoodput(
  before: Counted,
  after: Counted,
  confidence: number,
): GoodputComparison {
  const one = (c: Counted) => {
    const [low, high] = wilson(c.good, c.requests, confidence);
    return { ...c, ratio: c.requests === 0 ? NaN : c.good / c.requests, low, high };
  };
  const b = one(before);
  const a = one(after);
  const value = a.ratio - b.ratio;
  return {
    confidence,
    baseline: b,
    optimized: a,
    difference: {
      value,
      low: value - Math.sqrt((a.ratio - a.low) ** 2 + (b.high - b.ratio) ** 2),
      high: value + Math.sqrt((a.high - a.ratio) ** 2 + (b.ratio - b.low) ** 2),
    },
  };
}
