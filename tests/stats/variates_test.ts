import assert from "node:assert/strict";
import { mulberry32 } from "../../lib/stats/random.ts";
import { betaVariate, gammaVariate, normalVariate } from "../../lib/stats/variates.ts";

function moments(draw: () => number, m: number): { mean: number; variance: number } {
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < m; i++) {
    const x = draw();
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / m;
  return { mean, variance: sum2 / m - mean * mean };
}

const M = 40_000;

Deno.test("normalVariate() has mean 0 and variance 1", () => {
  const rng = mulberry32(1);
  const { mean, variance } = moments(() => normalVariate(rng), M);
  assert.ok(Math.abs(mean) < 4 / Math.sqrt(M), String(mean));
  assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / M), String(variance));
});

Deno.test("gammaVariate() has mean and variance equal to its shape", () => {
  const rng = mulberry32(2);
  for (const shape of [1, 2, 7, 380, 1e6]) {
    const { mean, variance } = moments(() => gammaVariate(rng, shape), M);
    // Standard errors: sqrt(shape/M) for the mean, about shape*sqrt(2/M) for the variance.
    assert.ok(Math.abs(mean - shape) < 4 * Math.sqrt(shape / M), `shape ${shape}: mean ${mean}`);
    assert.ok(
      Math.abs(variance / shape - 1) < 4 * Math.sqrt((2 + 6 / shape) / M),
      `shape ${shape}: variance ${variance}`,
    );
  }
  assert.throws(() => gammaVariate(rng, 0.5), RangeError);
});

Deno.test("betaVariate() has the Beta(a, b) mean and variance", () => {
  const rng = mulberry32(3);
  for (const [a, b] of [[1, 1], [2, 5], [380, 21], [950_000, 50_001]] as const) {
    const mu = a / (a + b);
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const { mean, variance } = moments(() => betaVariate(rng, a, b), M);
    assert.ok(Math.abs(mean - mu) < 4 * Math.sqrt(v / M), `Beta(${a}, ${b}) mean ${mean}`);
    assert.ok(Math.abs(variance / v - 1) < 0.08, `Beta(${a}, ${b}) variance ${variance} vs ${v}`);
  }
});
