import assert from "node:assert/strict";
import {
  analyzeFactorial,
  type CellPlan,
  effectsOf,
  excludesZero,
  EXTRA_CELLS,
  FACTORIAL_CELLS,
  runOrder,
  statistic,
} from "../../lib/evidence/factorial.ts";
import { PHASES } from "../../lib/commands/job/command.ts";
import { sortedCopy } from "../../lib/stats/stats.ts";
import { makeSample } from "../_helpers.ts";

const plan = (name: string): CellPlan => FACTORIAL_CELLS.find((c) => c.name === name)!;
const cell = (name: string, latencies: number[]) => ({
  plan: plan(name),
  samples: latencies.map((l, i) => makeSample({ requestId: i, latencyMs: l })),
});

Deno.test("FACTORIAL_CELLS cross both factors once; the extra cells are the two off-diagonal ones", () => {
  const keys = FACTORIAL_CELLS.map((c) => `${c.mode}_${c.policy}`).sort();
  assert.deepEqual(keys, [
    "concurrent_fresh",
    "concurrent_pooled",
    "serialized_fresh",
    "serialized_pooled",
  ]);
  assert.deepEqual(plan("baseline"), { name: "baseline", mode: "serialized", policy: "fresh" });
  assert.deepEqual(plan("optimized"), { name: "optimized", mode: "concurrent", policy: "pooled" });
  assert.deepEqual(EXTRA_CELLS.map((c) => c.name), ["serialized_pooled", "concurrent_fresh"]);
});

Deno.test("effectsOf() gives simple effects, main effects and the Yates interaction", () => {
  const e = effectsOf({
    serialized_fresh: 1000,
    serialized_pooled: 990,
    concurrent_fresh: 50,
    concurrent_pooled: 30,
  });
  assert.equal(e.handler_with_fresh, -950);
  assert.equal(e.handler_with_pooled, -960);
  assert.equal(e.handler_main, -955);
  assert.equal(e.connections_with_serialized, -10);
  assert.equal(e.connections_with_concurrent, -20);
  assert.equal(e.connections_main, -15);
  assert.equal(e.interaction, -5); // ((30 - 50) - (990 - 1000)) / 2
  // Additive cells have no interaction.
  const additive = effectsOf({
    serialized_fresh: 100,
    serialized_pooled: 90,
    concurrent_fresh: 20,
    concurrent_pooled: 10,
  });
  assert.equal(additive.interaction, 0);
});

Deno.test("statistic() is numpy's percentile or the mean", () => {
  const xs = sortedCopy([15, 20, 35, 40, 50]);
  assert.equal(statistic(xs, "p50"), 35);
  assert.ok(Math.abs(statistic(xs, "p95") - 48) < 1e-12);
  assert.equal(statistic(xs, "mean"), 32);
});

Deno.test("analyzeFactorial() computes each cell's figures and the effects on them", () => {
  const f = analyzeFactorial([
    cell("baseline", [900, 1000, 1100]),
    cell("serialized_pooled", [890, 990, 1090]),
    cell("concurrent_fresh", [40, 50, 60]),
    cell("optimized", [20, 30, 40]),
  ], { resamples: 200, seed: 7 });
  assert.deepEqual(f.cells.map((c) => [c.name, c.p50]), [
    ["baseline", 1000],
    ["serialized_pooled", 990],
    ["concurrent_fresh", 50],
    ["optimized", 30],
  ]);
  assert.equal(f.effects.p50.handler_main, -955);
  assert.equal(f.effects.mean.connections_main, -15);
  assert.equal(f.effects.p50.interaction, -5);
  // p95 of [900, 1000, 1100]: rank 1.9, 1000 + 0.9 x 100 = 1090 (numpy agrees).
  assert.ok(Math.abs(f.cells[0]!.p95 - 1090) < 1e-9);
  assert.equal(f.bootstrap.resamples, 200);
  const [lo, hi] = f.intervals.p50.handler_main;
  assert.ok(lo <= hi);
  // Every resample's handler effect lies between the extremes the cells allow.
  assert.ok(lo >= -1100 + 20 && hi <= -890 + 60, `${lo}..${hi}`);
  assert.ok(excludesZero(f.intervals.p50.handler_main), "a 950 ms effect is told apart from 0");
});

Deno.test("analyzeFactorial() gives point intervals when every cell's latency is constant", () => {
  const f = analyzeFactorial([
    cell("baseline", [100, 100, 100, 100]),
    cell("serialized_pooled", [100, 100, 100, 100]),
    cell("concurrent_fresh", [12, 12, 12, 12]),
    cell("optimized", [10, 10, 10, 10]),
  ], { resamples: 50 });
  assert.deepEqual(f.intervals.p95.connections_with_concurrent, [-2, -2]);
  assert.deepEqual(f.intervals.p95.connections_with_serialized, [0, 0]);
  assert.equal(excludesZero(f.intervals.p95.connections_with_serialized), false);
});

Deno.test("analyzeFactorial() is reproducible for a seed", () => {
  const cells = [
    cell("baseline", [5, 900, 1000, 1100, 1300]),
    cell("serialized_pooled", [6, 890, 990, 1090, 1200]),
    cell("concurrent_fresh", [40, 50, 60, 70, 300]),
    cell("optimized", [20, 30, 40, 45, 200]),
  ];
  const a = analyzeFactorial(cells, { resamples: 100, seed: 3 });
  const b = analyzeFactorial(cells, { resamples: 100, seed: 3 });
  assert.deepEqual(a.intervals, b.intervals);
});

Deno.test("analyzeFactorial() rejects a run that does not cover the 2 x 2 design", () => {
  assert.throws(
    () =>
      analyzeFactorial([
        cell("baseline", [1]),
        cell("baseline", [1]),
        cell("concurrent_fresh", [1]),
        cell("optimized", [1]),
      ]),
    TypeError,
  );
  assert.throws(() => analyzeFactorial([cell("baseline", [1])]), TypeError);
});

Deno.test("serialized_pace predicts the serialized cells' latency change from their throughput", () => {
  // Two serialized cells, 4 requests each: the pooled one served at half the pace.
  const timed = (name: string, latency: number, gap: number) => ({
    plan: plan(name),
    samples: [0, 1, 2, 3].map((i) =>
      makeSample({ requestId: i, sentMs: i * gap, latencyMs: latency })
    ),
  });
  const f = analyzeFactorial([
    timed("baseline", 100, 100), // 4 requests from 0 to 400 ms: 10 req/s
    timed("serialized_pooled", 200, 200), // from 0 to 800 ms: 5 req/s
    timed("concurrent_fresh", 10, 10),
    timed("optimized", 10, 10),
  ], { resamples: 10 });
  assert.ok(Math.abs(f.serialized_pace.fresh_rps - 10) < 1e-9);
  assert.ok(Math.abs(f.serialized_pace.pooled_rps - 5) < 1e-9);
  assert.equal(f.serialized_pace.predicted_mean_change_ms, 100); // 100 x (10 / 5 - 1)
  assert.equal(f.serialized_pace.measured_mean_change_ms, 100);
});

Deno.test("the factorial's baseline and optimized cells are the job's two phases", () => {
  for (const phase of PHASES) assert.deepEqual(plan(phase.name), phase);
});

Deno.test("runOrder() runs cells of one handler back to back, fresh before pooled", () => {
  assert.deepEqual(runOrder([...PHASES, ...EXTRA_CELLS]).map((c) => c.name), [
    "baseline",
    "serialized_pooled",
    "concurrent_fresh",
    "optimized",
  ]);
  assert.deepEqual(runOrder(PHASES).map((c) => c.name), ["baseline", "optimized"]);
});
