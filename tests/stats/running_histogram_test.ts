import assert from "node:assert/strict";
import { RunningHistogram } from "../../lib/stats/histogram/running.ts";
import { percentile, sortedCopy } from "../../lib/stats/stats.ts";

/** The exact nearest-rank percentile, which the histogram approximates. */
function nearestRank(values: number[], p: number): number {
  const sorted = sortedCopy(values);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

Deno.test("RunningHistogram percentiles are within 1% of the exact nearest-rank value", () => {
  // Deterministic spread over four orders of magnitude (0.05 ms to 900 ms).
  const values = Array.from(
    { length: 5000 },
    (_, i) => 0.05 * Math.pow(18000, ((i * 7919) % 5000) / 5000),
  );
  const h = new RunningHistogram();
  for (const v of values) h.record(v);
  assert.equal(h.count, 5000);
  for (const p of [1, 50, 90, 95, 99, 100]) {
    const exact = nearestRank(values, p);
    const got = h.percentile(p);
    assert.ok(Math.abs(got - exact) / exact <= 0.0101, `p${p}: ${got} vs ${exact}`);
  }
  // And close to the interpolated percentile the reports use, on this much data.
  const p95 = percentile(sortedCopy(values), 95);
  assert.ok(Math.abs(h.percentile(95) - p95) / p95 < 0.02);
});

Deno.test("RunningHistogram is NaN when empty, exact for one value, clamps to the values seen", () => {
  const h = new RunningHistogram();
  assert.ok(Number.isNaN(h.percentile(95)));
  h.record(42);
  assert.equal(h.percentile(0), 42);
  assert.equal(h.percentile(95), 42);
  h.record(0);
  h.record(-3);
  h.record(Number.NaN);
  assert.equal(h.count, 4);
  assert.equal(h.percentile(100), 42);
  assert.equal(h.percentile(50), 0.001, "zero, negative and NaN count as the smallest bucket");
  const big = new RunningHistogram();
  big.record(1e12);
  assert.equal(big.percentile(50), 1e12, "beyond the last bucket, the maximum seen");
});
