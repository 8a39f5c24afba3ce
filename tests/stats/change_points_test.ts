import assert from "node:assert/strict";
import { bestSplitOf, changePoints, median } from "../../lib/stats/change_points.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { normalVariate } from "../../lib/stats/variates.ts";

/** `n` normal values (mean `mean`, sd 1) from `seed`. */
function noise(n: number, seed: number, mean = 0): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => mean + normalVariate(rng));
}

/** Q of Matteson & James for the split X = x[s..tau), Y = x[tau..kappa), written out. */
function qDirect(x: number[], s: number, tau: number, kappa: number): number {
  const X = x.slice(s, tau);
  const Y = x.slice(tau, kappa);
  const [n, m] = [X.length, Y.length];
  let between = 0;
  for (const a of X) for (const b of Y) between += Math.abs(a - b);
  const within = (Z: number[]) => {
    let sum = 0;
    for (let i = 0; i < Z.length; i++) {
      for (let k = i + 1; k < Z.length; k++) sum += Math.abs(Z[i]! - Z[k]!);
    }
    return sum;
  };
  let q = 2 / (m + n) * between;
  if (n > 1) q -= 2 * m / ((m + n) * (n - 1)) * within(X);
  if (m > 1) q -= 2 * n / ((m + n) * (m - 1)) * within(Y);
  return q;
}

Deno.test("the best split's Q equals the divergence written out, maximized over every tau and kappa", () => {
  for (const seed of [1, 2, 3]) {
    const x = [...noise(9, seed), ...noise(7, seed + 10, 2)];
    let best = -Infinity;
    let at = -1;
    for (let tau = 1; tau < x.length; tau++) {
      for (let kappa = tau + 1; kappa <= x.length; kappa++) {
        const q = qDirect(x, 0, tau, kappa);
        if (q > best) [best, at] = [q, tau];
      }
    }
    const found = bestSplitOf(x);
    assert.ok(found, `seed ${seed}: a split`);
    assert.equal(found.index, at);
    assert.ok(Math.abs(found.q - best) < 1e-9 * Math.abs(best), `${found.q} vs ${best}`);
  }
});

Deno.test("a known shift is found at its index, with medians, percent and p-value", () => {
  const x = [...noise(20, 5, 100), ...noise(10, 6, 104)];
  const found = changePoints(x);
  assert.deepEqual(found.map((c) => c.index), [20]);
  const c = found[0]!;
  assert.equal(c.before, median(x.slice(0, 20)));
  assert.equal(c.after, median(x.slice(20)));
  assert.ok(Math.abs(c.percent! - (c.after - c.before) / c.before * 100) < 1e-12);
  assert.ok(c.pValue <= 0.01 && c.pValue >= 1 / 200);
});

Deno.test("two shifts, up then down, are both found at their indices", () => {
  const x = [...noise(15, 1, 50), ...noise(20, 2, 55), ...noise(15, 3, 51)];
  assert.deepEqual(changePoints(x).map((c) => c.index), [15, 35]);
});

Deno.test("the same series and seed give the same change points; n < 2 gives none", () => {
  const x = [...noise(12, 8, 10), ...noise(12, 9, 12)];
  assert.deepEqual(changePoints(x, { seed: 3 }), changePoints(x, { seed: 3 }));
  assert.deepEqual(changePoints([]), []);
  assert.deepEqual(changePoints([1]), []);
  assert.deepEqual(changePoints([2, 2, 2, 2, 2, 2]), []);
});

/** The share of noise-only series of length `n` in which any change point is reported. */
function falseAlarmRate(seeds: number, n: number, maxPValue: number): number {
  let alarms = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    // Seeds spread apart: mulberry32's streams from consecutive seeds are not independent enough.
    const x = noise(n, 1000 + seed * 977, 100);
    const found = changePoints(x, { maxPValue, seed: seed * 7919, permutations: 199 });
    if (found.length > 0) alarms++;
  }
  return alarms / seeds;
}

for (const maxPValue of [0.01, 0.05]) {
  Deno.test(`noise only: the false-alarm rate over 1000 seeds is within the stated ${maxPValue}`, () => {
    const seeds = 1000;
    const rate = falseAlarmRate(seeds, 30, maxPValue);
    // The permutation p-value never falls below the true one, so the rate is at most maxPValue;
    // the measured share may exceed it by the binomial sampling error of 1000 seeds (3 sd).
    const slack = 3 * Math.sqrt(maxPValue * (1 - maxPValue) / seeds);
    console.log(`false-alarm rate at p <= ${maxPValue}: ${rate} over ${seeds} seeds of 30 runs`);
    assert.ok(rate <= maxPValue + slack, `${rate} > ${maxPValue} + ${slack.toFixed(4)}`);
  });
}
