/**
 * `--percentiles 50,90,95,99,99.9`: the percentiles reported for every
 * latency metric (vLLM's `--metric-percentiles`).
 *
 * @module
 */

import { UsageError } from "../../../base/errors.ts";

/** Parses a comma-separated list of percentiles in (0, 100]. Throws {@linkcode UsageError}. */
export function parsePercentiles(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const ps = parts.map((s) => {
    const p = Number(s);
    if (s === "" || !Number.isFinite(p) || p <= 0 || p > 100) {
      throw new UsageError(
        `Cannot parse --percentiles: "${s}" in "${text}" is not a percentile in (0, 100]`,
      );
    }
    return p;
  });
  return [...new Set(ps)].sort((a, b) => a - b);
}
