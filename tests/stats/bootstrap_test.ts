import assert from "node:assert/strict";
import { bootstrapDifference, resampledPercentiles } from "../../lib/stats/bootstrap.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { percentile } from "../../lib/stats/stats.ts";

/** n latencies, ms: `base` + Exponential(mean `scale`), sorted. */
function latencies(seed: number, n: number, base: number, scale: number): Float64Array {
  const rng = mulberry32(seed);
  return Float64Array.from({ length: n }, () => base - scale * Math.log(1 - rng())).sort();
}

Deno.test("identical logs give a difference interval that contains 0", () => {
  const log = latencies(1, 400, 30, 20);
  const report = bootstrapDifference(log, Float64Array.from(log));
  assert.deepEqual(report.intervals.map((i) => i.percentile), [50, 95, 99]);
  for (const iv of report.intervals) {
    assert.equal(iv.estimate, 0);
    assert.ok(iv.lower < 0 && iv.upper > 0, `P${iv.percentile} [${iv.lower}, ${iv.upper}]`);
    assert.equal(iv.contains_zero, true);
    assert.equal(iv.direction, "unclear");
  }
});

Deno.test("clearly separated logs give intervals that exclude 0 and hold the true shift", () => {
  // After = before's distribution moved down by 50 ms: every percentile differs by -50.
  const before = latencies(2, 400, 100, 20);
  const after = latencies(3, 400, 50, 20);
  const report = bootstrapDifference(before, after);
  for (const iv of report.intervals) {
    const label = `P${iv.percentile} [${iv.lower}, ${iv.upper}]`;
    assert.equal(iv.contains_zero, false, label);
    assert.equal(iv.direction, "lower", label);
    assert.ok(iv.upper < 0, label);
    assert.ok(iv.lower <= -50 && -50 <= iv.upper, label);
  }
  const reverse = bootstrapDifference(after, before);
  assert.ok(reverse.intervals.every((iv) => iv.direction === "higher" && iv.lower > 0));
});

Deno.test("the bootstrap is deterministic: the same logs and seed give the same interval", () => {
  const before = latencies(4, 300, 100, 30);
  const after = latencies(5, 300, 95, 30);
  const a = bootstrapDifference(before, after, { seed: 7 });
  const b = bootstrapDifference(Float64Array.from(before), Float64Array.from(after), { seed: 7 });
  assert.deepEqual(a, b);
  assert.equal(a.seed, 7);
  assert.equal(a.resamples, 2000);
  assert.equal(a.method, "percentile bootstrap");
  const c = bootstrapDifference(before, after, { seed: 8 });
  assert.notDeepEqual(a.intervals, c.intervals);
});

Deno.test("resampledPercentiles() draws what plain resampling draws (two-sample KS test)", () => {
  // The order-statistic shortcut against the definition: draw n indices with
  // replacement, sort, take the percentile.
  const n = 300;
  const sorted = latencies(6, n, 10, 15);
  const m = 2000;
  const fast = mulberry32(11);
  const plain = mulberry32(12);
  for (const p of [50, 95, 99]) {
    const a = new Float64Array(m);
    const b = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      a[i] = resampledPercentiles(sorted, [p], fast)[0]!;
      const resample = Float64Array.from({ length: n }, () => sorted[Math.floor(plain() * n)]!);
      b[i] = percentile(resample.sort(), p);
    }
    const d = ksStatistic(a.sort(), b.sort());
    // Critical value at the 0.1% level: 1.95 * sqrt(2 / m) = 0.062.
    assert.ok(d < 1.95 * Math.sqrt(2 / m), `P${p}: KS distance ${d}`);
    assert.ok(Math.abs(sd(a) / sd(b) - 1) < 0.1, `P${p}: spread ${sd(a)} vs ${sd(b)}`);
  }
});

Deno.test("resampledPercentiles() of one value is that value; empty phases give NaN", () => {
  assert.deepEqual(resampledPercentiles([42], [50, 99], mulberry32(1)), [42, 42]);
  const r = bootstrapDifference([], [1, 2, 3]);
  assert.ok(r.intervals.every((iv) => Number.isNaN(iv.lower) && iv.direction === "unclear"));
  assert.throws(() => bootstrapDifference([1], [2], { resamples: 0 }), RangeError);
});

Deno.test("the difference interval covers the true difference at about the stated rate (simulation)", () => {
  // Before: 100 + Exp(mean 20); after: 60 + Exp(mean 10). True differences of
  // the P50 and P95 are known in closed form. 200 seeded pairs of logs.
  const q = (base: number, scale: number, p: number) => base - scale * Math.log(1 - p / 100);
  const draws = 200;
  const hits = { 50: 0, 95: 0 };
  for (let d = 0; d < draws; d++) {
    const report = bootstrapDifference(
      latencies(1000 + d, 400, 100, 20),
      latencies(5000 + d, 400, 60, 10),
      { percentiles: [50, 95], resamples: 500, seed: d },
    );
    for (const iv of report.intervals) {
      const truth = q(60, 10, iv.percentile) - q(100, 20, iv.percentile);
      if (iv.lower <= truth && truth <= iv.upper) hits[iv.percentile as 50 | 95]++;
    }
  }
  // A percentile bootstrap is approximate: allow 0.95 - 3.5 standard errors (0.896).
  const floor = 0.95 - 3.5 * Math.sqrt((0.95 * 0.05) / draws);
  for (const [p, h] of Object.entries(hits)) {
    assert.ok(h / draws >= floor, `P${p} covered ${h / draws}`);
    assert.ok(h / draws <= 1, `P${p}`);
  }
});

function sd(x: Float64Array): number {
  const mu = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - mu) ** 2, 0) / x.length);
}

function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}
