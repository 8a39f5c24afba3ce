import assert from "node:assert/strict";
import {
  judgeAgainstHistory,
  parseMinChange,
  predictionInterval,
  worseDirection,
} from "../../lib/verdict/history_gate.ts";
import { syntheticRuns } from "../_history.ts";

const BASE = {
  metric: "p95",
  confidence: 0.95,
  minChange: { unit: "percent", value: 5 },
  minRuns: 5,
} as const;

Deno.test("the prediction interval is mean ± t(0.975, n-1) · s · sqrt(1 + 1/n) (scipy's t)", () => {
  const xs = [10, 12, 11, 13, 9];
  const band = predictionInterval(xs, 0.95);
  const s = Math.sqrt(2.5);
  // scipy.stats.t.ppf(0.975, 4) = 2.7764451051977934
  const half = 2.7764451051977934 * s * Math.sqrt(1 + 1 / 5);
  assert.ok(Math.abs(band.lower - (11 - half)) < 1e-9);
  assert.ok(Math.abs(band.upper - (11 + half)) < 1e-9);
});

Deno.test("30 runs, 10% P95 regression at run 21: runs 1-5 inconclusive, 6-20 pass, 21 fails", () => {
  const runs = syntheticRuns();
  const states = runs.map((run, i) => {
    const history = runs.slice(Math.max(0, i - 20), i).map((r) => r.figures.p95!);
    return judgeAgainstHistory({ ...BASE, value: run.figures.p95!, history }).state;
  });
  assert.deepEqual(states.slice(0, 5), Array(5).fill("inconclusive"));
  assert.deepEqual(states.slice(5, 20), Array(15).fill("pass"));
  assert.equal(states[20], "fail");
});

Deno.test("outside the band but within --min-change passes; inside the band passes; better passes", () => {
  const history = [100, 100.2, 99.8, 100.1, 99.9, 100];
  const small = judgeAgainstHistory({ ...BASE, value: 101, history });
  assert.ok(small.upper! < 101, "101 lies above the band");
  assert.equal(small.state, "pass");
  assert.equal(
    judgeAgainstHistory({ ...BASE, value: 101, history, minChange: { unit: "ms", value: 0.5 } })
      .state,
    "fail",
  );
  const worse = judgeAgainstHistory({ ...BASE, value: 110, history });
  assert.equal(worse.state, "fail");
  assert.match(
    worse.line,
    /^history p95: 110 is above the 95% prediction interval \[[\d.]+, [\d.]+\] of 6 runs \(mean 100\) \(\+10\.0% vs the mean\): FAIL$/,
  );
  assert.match(worse.reason!, /by more than 5%/);
  assert.equal(judgeAgainstHistory({ ...BASE, value: 80, history }).state, "pass");
  const tput = judgeAgainstHistory({ ...BASE, metric: "throughput", value: 80, history });
  assert.equal(tput.state, "fail", "lower throughput is worse");
});

Deno.test("no value fails, saying why; a short history is inconclusive", () => {
  const none = judgeAgainstHistory({ ...BASE, value: null, history: [1, 2, 3, 4, 5] });
  assert.equal(none.state, "fail");
  assert.match(none.reason!, /no value/);
  const short = judgeAgainstHistory({ ...BASE, value: 3, history: [1, 2] });
  assert.equal(short.state, "inconclusive");
  assert.match(short.line, /2 comparable run\(s\), at least 5 needed/);
});

Deno.test("parseMinChange() reads 5%, 5 and 20ms; worseDirection() knows throughput", () => {
  assert.deepEqual(parseMinChange("5%"), { unit: "percent", value: 5 });
  assert.deepEqual(parseMinChange("5"), { unit: "percent", value: 5 });
  assert.deepEqual(parseMinChange("20ms"), { unit: "ms", value: 20 });
  assert.equal(parseMinChange("fast"), null);
  assert.equal(worseDirection("p95"), "higher");
  assert.equal(worseDirection("output_tokens_per_s"), "lower");
});
