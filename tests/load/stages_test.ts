import assert from "node:assert/strict";
import { UsageError } from "../../lib/base/errors.ts";
import { arrivalSchedule } from "../../lib/load/open_loop.ts";
import {
  expectedArrivals,
  parseDurationMs,
  parseStages,
  type Stage,
  stageSchedule,
} from "../../lib/load/stages.ts";

/** N(t) = ∫₀ᵗ r, by the trapezoid of each stage (exact for linear ramps). */
function integral(stages: readonly Stage[], tMs: number, startRate = 0): number {
  let from = startRate;
  let start = 0;
  let n = 0;
  for (const s of stages) {
    const end = start + s.durationMs;
    const upTo = Math.min(end, tMs);
    if (upTo > start) {
      const rateAt = from + (s.target - from) * (upTo - start) / s.durationMs;
      n += (from + rateAt) / 2 * (upTo - start) / 1000;
    }
    start = end;
    from = s.target;
  }
  return n;
}

Deno.test("parseStages() reads duration:rate pairs with ms, s, m, h and compound durations", () => {
  assert.deepEqual(parseStages("10s:5,1m30s:20,500ms:0"), [
    { durationMs: 10_000, target: 5 },
    { durationMs: 90_000, target: 20 },
    { durationMs: 500, target: 0 },
  ]);
  assert.equal(parseDurationMs("1h"), 3_600_000);
  assert.equal(parseDurationMs("1.5s"), 1500);
  assert.equal(parseDurationMs("10"), null);
  assert.equal(parseDurationMs("0s"), null);
});

Deno.test("parseStages() refuses bad input with one line naming the stage", () => {
  for (const bad of ["", "10s", "10:5", "10s:-1", "10s:x", "10s:5,,", "10s:5:1", "0s:5", "10s:0"]) {
    assert.throws(() => parseStages(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, bad);
      assert.ok(!e.message.includes("\n"), bad);
      return true;
    });
  }
  assert.throws(() => parseStages("1h:6000"), /exceed/);
});

Deno.test("a constant stage gives the same schedule as the constant open loop", () => {
  const { timesMs, stageOf } = stageSchedule(parseStages("2s:50"), 50);
  const flat = arrivalSchedule({ rate: 50, arrival: "constant", seed: 0, durationMs: 2000 });
  assert.equal(timesMs.length, 100);
  timesMs.forEach((t, i) => assert.ok(Math.abs(t - flat[i]!) < 1e-9, `arrival ${i}`));
  assert.ok(stageOf.every((s) => s === 0));
});

Deno.test("arrival i is due where the integral of the ramped rate reaches i", () => {
  const stages = parseStages("10s:5,30s:20,10s:0");
  const { timesMs, stageOf } = stageSchedule(stages);
  assert.equal(expectedArrivals(stages), 25 + 375 + 100);
  assert.equal(timesMs.length, 500); // arrivals 0..499; the 500th falls on the end
  timesMs.forEach((t, i) => {
    assert.ok(Math.abs(integral(stages, t) - i) < 1e-6, `arrival ${i} at ${t} ms`);
    if (i > 0) assert.ok(t > timesMs[i - 1]!, `ascending at ${i}`);
    assert.ok(t < 50_000);
    assert.equal(stageOf[i], t < 10_000 ? 0 : t < 40_000 ? 1 : 2);
  });
  assert.equal(timesMs[0], 0);
  assert.ok(Math.abs(timesMs[1]! - Math.sqrt(4) * 1000) < 1e-6); // N = t²/4 in the first ramp
});

Deno.test("each arrival carries the stage it falls in, the later one at a boundary", () => {
  const { timesMs, stageOf } = stageSchedule(parseStages("1s:4,1s:4,1s:0"));
  assert.deepEqual(Array.from(timesMs, (t) => Math.round(t * 10) / 10), [
    0,
    707.1,
    1000,
    1250,
    1500,
    1750,
    2000,
    2292.9,
  ]);
  assert.deepEqual(Array.from(stageOf), [0, 0, 1, 1, 1, 1, 2, 2]);
});

Deno.test("a leading stage at rate 0 holds no arrival", () => {
  const { timesMs, stageOf } = stageSchedule(parseStages("5s:0,1s:10"));
  assert.equal(timesMs[0], 5000);
  assert.equal(stageOf[0], 1);
  assert.equal(timesMs.length, 5);
});
