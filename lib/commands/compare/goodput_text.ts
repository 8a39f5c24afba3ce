/**
 * The goodput line `compare` prints: both ratios and the interval of their
 * difference.
 *
 * @module
 */

import type { GoodputComparison } from "../../stats/proportion.ts";

/** `goodput: 0.800 -> 0.970, change +0.170 [95% interval +0.088, +0.256]`. */
export function goodputLine(g: GoodputComparison): string {
  const r = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "-");
  const sr = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "-");
  const d = g.difference;
  return `goodput: ${r(g.baseline.ratio)} (${g.baseline.good} of ${g.baseline.requests}) -> ` +
    `${r(g.optimized.ratio)} (${g.optimized.good} of ${g.optimized.requests}), change ${
      sr(d.value)
    } [${Math.round(g.confidence * 1000) / 10}% interval ${sr(d.low)}, ${sr(d.high)}; Newcombe]`;
}
