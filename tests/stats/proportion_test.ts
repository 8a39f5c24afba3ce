import assert from "node:assert/strict";
import { compareGoodput, normalQuantile, wilson } from "../../lib/stats/proportion.ts";

const near = (a: number, b: number, tol = 1e-4) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("normalQuantile() gives the standard normal's quantiles", () => {
  near(normalQuantile(0.975), 1.959964, 1e-6);
  near(normalQuantile(0.5), 0, 1e-12);
  near(normalQuantile(0.005), -2.575829, 1e-6);
});

Deno.test("wilson() matches the score interval's known values", () => {
  // statsmodels proportion_confint(90, 100, method="wilson"): (0.8256, 0.9448)
  const [lo, hi] = wilson(90, 100, 0.95);
  near(lo, 0.82565);
  near(hi, 0.94477);
  assert.deepEqual(wilson(0, 0, 0.95), [NaN, NaN]);
  assert.equal(wilson(10, 10, 0.95)[1], 1);
});

Deno.test("compareGoodput() gives Newcombe's hybrid score interval of the difference", () => {
  // Newcombe (1998), Table II example: 56/70 vs 48/80, difference 0.2, interval (0.0524, 0.3339).
  const g = compareGoodput({ good: 48, requests: 80 }, { good: 56, requests: 70 }, 0.95);
  near(g.difference.value, 0.2, 1e-12);
  near(g.difference.low, 0.0524, 5e-4);
  near(g.difference.high, 0.3339, 5e-4);
});
