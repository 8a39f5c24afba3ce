import assert from "node:assert/strict";
import {
  minRequestsFor,
  orderStatisticRanks,
  percentileInterval,
} from "../../lib/stats/intervals.ts";
import { mulberry32 } from "../../lib/stats/random.ts";

/** n draws from Exponential(rate 1), sorted; its p-th percentile is -ln(1 - p/100). */
function exponentialSample(rng: () => number, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => -Math.log(1 - rng())).sort();
}

Deno.test("percentile intervals cover the true percentile at about the stated rate (simulation)", () => {
  // 1,000 seeded draws a case from a distribution whose quantiles are known in
  // closed form. The exact coverage of the chosen ranks (at least the stated
  // confidence) must match the share of draws covered, within 3.5 binomial
  // standard errors.
  const draws = 1000;
  const rng = mulberry32(2024);
  const cases = [
    { n: 400, p: 50, confidence: 0.95 },
    { n: 400, p: 95, confidence: 0.95 },
    { n: 400, p: 99, confidence: 0.95 },
    { n: 1000, p: 99, confidence: 0.95 },
    { n: 200, p: 50, confidence: 0.9 },
    { n: 400, p: 95, confidence: 0.8 },
  ];
  for (const { n, p, confidence } of cases) {
    const truth = -Math.log(1 - p / 100);
    let covered = 0;
    let coverage = NaN;
    for (let d = 0; d < draws; d++) {
      const iv = percentileInterval(exponentialSample(rng, n), p, confidence);
      coverage = iv.coverage;
      if (iv.lower <= truth && truth <= iv.upper) covered++;
    }
    const rate = covered / draws;
    const band = 3.5 * Math.sqrt((coverage * (1 - coverage)) / draws);
    const label = `n=${n} P${p} at ${confidence}: covered ${rate}, exact ${coverage.toFixed(4)}`;
    assert.ok(Math.abs(rate - coverage) <= band, label);
    assert.ok(coverage >= confidence && coverage <= confidence + 0.035, label);
    assert.ok(rate >= confidence - band, label);
  }
});

Deno.test("orderStatisticRanks() picks the ranks the binomial tails give, worked by hand", () => {
  // Binomial(10, 1/2): P(X <= 1) = 11/1024 <= 0.05 < P(X <= 2) = 56/1024, so l = 2,
  // and by symmetry u = 9; coverage 1 - 2 * 11/1024.
  assert.deepEqual(orderStatisticRanks(10, 50, 0.9), {
    lower: 2,
    upper: 9,
    coverage: 1 - 22 / 1024,
  });
  const sorted = Float64Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
  const iv = percentileInterval(sorted, 50, 0.9);
  assert.equal(iv.lower, 20);
  assert.equal(iv.upper, 90);
  assert.equal(iv.estimate, 55);
});

Deno.test("too few requests leave a side unbounded: P99 from 50 requests has no upper bound", () => {
  const sorted = Float64Array.from({ length: 50 }, (_, i) => i + 1);
  const iv = percentileInterval(sorted, 99, 0.95);
  assert.equal(iv.upper, Infinity);
  assert.equal(iv.upper_rank, 51);
  assert.ok(Number.isFinite(iv.lower));
  assert.equal(iv.min_requests, 368);
  assert.equal(JSON.parse(JSON.stringify(iv)).upper, null);
  // The true P99 of anything is below the largest of 50 draws only 1 - 0.99^50 of the time.
  assert.ok(0.99 ** 50 > 0.025);
});

Deno.test("minRequestsFor() is exactly where both bounds become finite", () => {
  for (const confidence of [0.8, 0.9, 0.95, 0.99]) {
    for (const p of [50, 90, 95, 99, 99.9]) {
      const m = minRequestsFor(p, confidence);
      const at = orderStatisticRanks(m, p, confidence);
      const before = orderStatisticRanks(m - 1, p, confidence);
      assert.ok(at.lower >= 1 && at.upper <= m, `bounded at ${m} for P${p} ${confidence}`);
      assert.ok(before.lower === 0 || before.upper === m, `unbounded at ${m - 1}`);
    }
  }
  assert.equal(minRequestsFor(95, 0.95), 72); // 0.95^72 = 0.0249 <= 0.025 < 0.95^71
  assert.equal(minRequestsFor(100, 0.95), Infinity);
});

Deno.test("percentileInterval() holds the point estimate and handles the empty set", () => {
  const rng = mulberry32(9);
  for (const n of [6, 80, 400, 5000]) {
    const sorted = exponentialSample(rng, n);
    for (const p of [50, 95, 99]) {
      const iv = percentileInterval(sorted, p, 0.95);
      assert.ok(iv.lower <= iv.estimate && iv.estimate <= iv.upper, `n=${n} P${p}`);
    }
  }
  const empty = percentileInterval(new Float64Array(), 95, 0.95);
  assert.ok(Number.isNaN(empty.estimate));
  assert.equal(empty.lower, -Infinity);
  assert.equal(empty.upper, Infinity);
  assert.throws(() => percentileInterval(new Float64Array(3), 50, 1), RangeError);
  assert.throws(() => percentileInterval(new Float64Array(3), 50, 0), RangeError);
});

Deno.test("percentileInterval() works for a million requests", () => {
  const sorted = Float64Array.from({ length: 1_000_000 }, (_, i) => i);
  const iv = percentileInterval(sorted, 99, 0.95);
  // Normal approximation: 990,000 -+ 1.96 * sqrt(1e6 * 0.99 * 0.01) = -+ 195.
  assert.ok(Math.abs(iv.lower - (990_000 - 195)) <= 3, String(iv.lower));
  assert.ok(Math.abs(iv.upper - (990_000 + 195)) <= 3, String(iv.upper));
});

Deno.test("the rank search's narrower binomial table gives the full table's ranks and coverage", async () => {
  const { binomialTable } = await import("../../lib/stats/binomial.ts");
  const { orderStatisticRanks } = await import("../../lib/stats/intervals.ts");
  /** The same search over the full table (terms down to 1e-300 of the mode's). */
  const full = (n: number, p: number, confidence: number) => {
    const b = binomialTable(n, p / 100);
    const tail = (1 - confidence) / 2;
    let lower = 0;
    for (let l = 1; l <= n && b.cdf(l - 1) <= tail; l++) lower = l;
    let upper = n + 1;
    for (let u = n; u >= 1 && b.sf(u) <= tail; u--) upper = u;
    const below = lower === 0 ? 0 : b.cdf(lower - 1);
    const above = upper === n + 1 ? 0 : b.sf(upper);
    return { lower, upper, coverage: 1 - below - above };
  };
  for (const n of [1, 10, 59, 367, 1000, 4321, 20_000]) {
    for (const p of [1, 50, 90, 95, 99, 99.9]) {
      for (const confidence of [0.9, 0.95, 0.99]) {
        assert.deepEqual(
          orderStatisticRanks(n, p, confidence),
          full(n, p, confidence),
          `${n} ${p} ${confidence}`,
        );
      }
    }
  }
});
