/**
 * Cost of the uncertainty step at growing request counts. Prints figures; asserts nothing.
 *
 *   deno run tests/bench/uncertainty_bench.ts
 *
 * Times are wall clock on whatever else the machine is doing: read them as orders of magnitude.
 */
import { bootstrapDifference } from "../../lib/stats/bootstrap.ts";
import { percentileInterval } from "../../lib/stats/intervals.ts";
import { requestsToSettle } from "../../lib/verdict/interval_verdict.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { percentile } from "../../lib/stats/stats.ts";

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
};

const rng = mulberry32(1);
const draw = (n: number, base: number) => {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = base - 20 * Math.log(1 - rng());
  return x;
};

console.log(
  "n        sort(2 phases)  intervals(6)  bootstrap(2000 x 3)  plain bootstrap(est.)  settle",
);
for (const n of [400, 10_000, 100_000, 1_000_000]) {
  const [[a, b], tSort] = time(() => [draw(n, 100).sort(), draw(n, 95).sort()]);
  const [, tIv] = time(() => {
    for (const p of [50, 95, 99, 50, 95, 99]) percentileInterval(a!, p, 0.95);
  });
  const [, tBoot] = time(() => bootstrapDifference(a!, b!));
  // Plain resampling: k resamples of both phases (draw n, sort), scaled to 2000.
  const k = Math.max(2, Math.min(40, Math.round(4e6 / n)));
  const [, tPlain] = time(() => {
    for (let i = 0; i < k; i++) {
      for (const x of [a!, b!]) {
        const r = new Float64Array(n);
        for (let j = 0; j < n; j++) r[j] = x[Math.floor(rng() * n)]!;
        percentile(r.sort(), 95);
      }
    }
  });
  // A threshold with 95.5% of requests under it: P95 just under, about 15,000 requests to settle.
  const threshold = percentile(a!, 95.5);
  const [settle, tSettle] = time(() =>
    requestsToSettle(a!, { metric: "p95", op: "<=", value: threshold }, 0.95)
  );
  console.log(
    [
      String(n).padEnd(8),
      `${tSort.toFixed(0)} ms`.padStart(14),
      `${tIv.toFixed(1)} ms`.padStart(12),
      `${tBoot.toFixed(0)} ms`.padStart(19),
      `${((tPlain / k) * 2000 / 1000).toFixed(1)} s`.padStart(21),
      `${tSettle.toFixed(0)} ms (${settle.requests ?? "-"})`.padStart(18),
    ].join("  "),
  );
}
