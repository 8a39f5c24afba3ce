import assert from "node:assert/strict";
import {
  cdf,
  chartData,
  histogram,
  niceStep,
  PHASE_COLORS,
  scatter,
  serverTimingTable,
  slaLines,
  throughput,
} from "../../lib/report/html/data.ts";
import { parseThreshold } from "../../lib/verdict/threshold.ts";
import { makeSample } from "../_helpers.ts";

Deno.test("niceStep() rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
  assert.deepEqual([0.7, 1, 1.1, 2.2, 3, 37, 51, 0.013, 450].map(niceStep), [
    1,
    1,
    2,
    2.5,
    5,
    50,
    100,
    0.02,
    500,
  ]);
  assert.equal(niceStep(0), 1);
  assert.equal(niceStep(Number.NaN), 1);
});

Deno.test("histogram() puts every value in one nice-width bin from min to max", () => {
  const h = histogram([3, 7, 12, 12, 19.9, 20, 41], 5);
  assert.equal(h.width, 10);
  assert.equal(h.start, 0);
  assert.deepEqual(h.counts, [2, 3, 1, 0, 1]);
  const one = histogram([5]);
  assert.deepEqual(one.counts, [1]);
  assert.ok(one.start <= 5 && 5 < one.start + one.width);
  assert.deepEqual(histogram([]).counts, []);
  const same = histogram([8, 8, 8]);
  assert.equal(same.counts.reduce((a, b) => a + b), 3);
  assert.equal(same.counts.length, 1);
});

Deno.test("cdf() keeps each distinct value at its highest rank, in percent", () => {
  const c = cdf([30, 10, 20, 20, 40]);
  assert.deepEqual(c.x, [10, 20, 30, 40]);
  assert.deepEqual(c.y, [20, 60, 80, 100]);
  assert.deepEqual(cdf([]), { x: [], y: [] });
  const big = cdf(Array.from({ length: 1000 }, (_, i) => i), 100);
  assert.equal(big.x.length, 100);
  assert.equal(big.x.at(-1), 999);
  assert.equal(big.y.at(-1), 100);
  assert.ok(big.x.every((v, i) => i === 0 || v > big.x[i - 1]!));
});

Deno.test("scatter() orders by send time and nudges ties apart by a microsecond", () => {
  const s = scatter([
    makeSample({ requestId: 2, sentMs: 5, latencyMs: 30, ok: false }),
    makeSample({ requestId: 0, sentMs: 0, latencyMs: 10 }),
    makeSample({ requestId: 1, sentMs: 0, latencyMs: 20 }),
  ]);
  assert.deepEqual(s.t, [0, 0.000001, 0.005]);
  assert.deepEqual(s.ms, [10, 20, 30]);
  assert.deepEqual(s.ok, [1, 1, 0]);
  assert.equal(s.total, 3);
  const many = Array.from({ length: 50 }, (_, i) => makeSample({ requestId: i, sentMs: i }));
  const sub = scatter(many, 10);
  assert.equal(sub.t.length, 10);
  assert.equal(sub.total, 50);
});

Deno.test("throughput() counts completions per bin and divides by the bin width", () => {
  // Completions at 0.1, 0.2, ..., 2.0 s: 20 requests over 2 s.
  const samples = Array.from(
    { length: 20 },
    (_, i) => makeSample({ requestId: i, sentMs: i * 100, latencyMs: 100 }),
  );
  const t = throughput(samples, 4);
  assert.equal(t.width, 0.5);
  assert.equal(t.counts.reduce((a, b) => a + b), 20);
  assert.deepEqual(t.counts, [4, 5, 5, 5, 1]);
  assert.deepEqual(t.rates, [8, 10, 10, 10, 2]);
  assert.deepEqual(throughput([]).counts, []);
});

Deno.test("slaLines() draws latency thresholds only, with their percentile", () => {
  const metrics = ["p95", "p50", "mean", "error_rate", "throughput", "ok_p99"];
  const lines = slaLines(
    ["p95<=800", "error_rate<=0", "throughput>=10", "mean<300", "ok_p99<=900"].map((t) =>
      parseThreshold(t, metrics)
    ),
  );
  assert.deepEqual(lines, [
    { expr: "p95<=800", ms: 800, percentile: 95 },
    { expr: "mean<300", ms: 300, percentile: null },
    { expr: "ok_p99<=900", ms: 900, percentile: 99 },
  ]);
});

Deno.test("chartData() colours the gated phase blue, counts requests above the SLA, picks a log axis", () => {
  const slow = [900, 1000, 1100].map((ms, i) => makeSample({ requestId: i, latencyMs: ms }));
  const fast = [10, 20, 30].map((ms, i) => makeSample({ requestId: i, latencyMs: ms }));
  const d = chartData([{ name: "baseline", samples: slow }, { name: "optimized", samples: fast }], [
    { expr: "p95<=800", ms: 800, percentile: 95 },
  ]);
  assert.deepEqual(d.phases.map((p) => p.color), [...PHASE_COLORS]);
  assert.deepEqual(d.phases.map((p) => p.aboveSla), [[3], [0]]);
  assert.equal(d.logLatency, true, "10 ms to 1100 ms spans more than 30x");
  const single = chartData([{ name: "run", samples: fast }], []);
  assert.equal(single.phases[0]!.color, PHASE_COLORS[1]);
  assert.equal(single.logLatency, false);
});

Deno.test("serverTimingTable() splits mean latency into queue, service and the rest", () => {
  const samples = [
    makeSample({ requestId: 0, latencyMs: 100, serverQueueMs: 60, serverInferMs: 30 }),
    makeSample({ requestId: 1, latencyMs: 50, serverQueueMs: 20, serverInferMs: 20 }),
    makeSample({ requestId: 2, latencyMs: 999, ok: false, serverQueueMs: 1, serverInferMs: 1 }),
  ];
  const t = serverTimingTable([{ name: "baseline", samples }]);
  assert.deepEqual(t?.rows, [["baseline", 2, 40, 25, 10, 75]]);
  const none = [makeSample({ serverQueueMs: null, serverInferMs: null })];
  assert.equal(serverTimingTable([{ name: "run", samples: none }]), null);
});
