import assert from "node:assert/strict";
import { ExitCode } from "../../lib/base/errors.ts";
import { percentileInterval } from "../../lib/stats/intervals.ts";
import {
  decideIntervals,
  evaluateIntervals,
  type IntervalEvidence,
  intervalState,
  requestsToSettle,
} from "../../lib/verdict/interval_verdict.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { parseThreshold } from "../../lib/verdict/threshold.ts";
import { exitCodeFor } from "../../lib/verdict/verdict.ts";

const METRICS = ["p50", "p95", "p99", "error_rate"];
const P95 = parseThreshold("p95<=800", METRICS);

/** n latencies spread evenly over [0, top] (a uniform distribution's quantiles). */
function even(n: number, top: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (top * (i + 0.5)) / n);
}

function evidence(sorted: Float64Array, metric = "p95", confidence = 0.95) {
  const p = Number(metric.replace(/^(ok_)?p/, ""));
  return { [metric]: { interval: percentileInterval(sorted, p, confidence), sorted } };
}

Deno.test("the verdict is inconclusive for a P95 whose interval straddles the threshold", () => {
  // 400 latencies even over [0, 831.6]: P95 = 790, its 95% interval about [772, 808].
  const sorted = even(400, 831.6);
  const [r] = evaluateIntervals([P95], { p95: 790 }, evidence(sorted));
  assert.equal(r!.basis, "interval");
  assert.ok(r!.lower! < 800 && r!.upper! > 800, `[${r!.lower}, ${r!.upper}]`);
  assert.equal(r!.state, "inconclusive");
  // The point verdict would have passed it: 790 <= 800.
  assert.ok(r!.estimate! <= 800);
  const v = decideIntervals([r!], {}, "code", 0.95);
  assert.equal(v.state, "inconclusive");
  assert.equal(v.exit_code, ExitCode.Inconclusive);
  assert.match(
    v.reasons[0]!,
    /^SLA p95<=800 inconclusive: the 95% interval \[.*\] straddles 800; about \d+ requests would likely settle it$/,
  );
});

Deno.test("the verdict passes when the whole interval is under and fails when it is all over", () => {
  const under = evaluateIntervals([P95], {}, evidence(even(400, 700)))[0]!;
  assert.equal(under.state, "pass");
  assert.ok(under.upper! <= 800);
  assert.equal(under.requests_to_settle, null);
  const over = evaluateIntervals([P95], {}, evidence(even(400, 900)))[0]!;
  assert.equal(over.state, "fail");
  assert.ok(over.lower! > 800);
  const v = decideIntervals([over], {}, "code", 0.95);
  assert.equal(v.exit_code, ExitCode.Fail);
  assert.match(v.reasons[0]!, /missed: the whole 95% interval \[\d+.*\] misses 800/);
});

Deno.test("intervalState() reads the bounds the operator calls for, unbounded sides included", () => {
  const at = (lower: number, upper: number) => ({ lower, upper, n: 10 });
  const le = { op: "<=" as const, value: 800 };
  const ge = { op: ">=" as const, value: 100 };
  assert.equal(intervalState(at(700, 800), le), "pass");
  assert.equal(intervalState(at(800.001, 900), le), "fail");
  assert.equal(intervalState(at(700, Infinity), le), "inconclusive");
  assert.equal(intervalState(at(-Infinity, 700), le), "pass");
  assert.equal(intervalState(at(100, 200), ge), "pass");
  assert.equal(intervalState(at(50, 99), ge), "fail");
  assert.equal(intervalState(at(-Infinity, 200), ge), "inconclusive");
  assert.equal(intervalState({ lower: -Infinity, upper: Infinity, n: 0 }, le), "fail");
});

Deno.test("P95 from 50 fast requests is inconclusive until 72 requests bound it", () => {
  const sorted = even(50, 100);
  const [r] = evaluateIntervals([P95], {}, evidence(sorted));
  assert.equal(r!.upper, Infinity);
  assert.equal(r!.state, "inconclusive");
  // Every request is under 800, so only the missing upper bound stands in the way.
  assert.equal(r!.requests_to_settle, 72);
});

Deno.test("requestsToSettle() is near the normal-approximation sample size", () => {
  // share s = 800/831.6 under the threshold, p = 0.95: N = (1.96 + 0.84)^2 p(1-p) / (s-p)^2.
  const sorted = even(400, 831.6);
  const got = requestsToSettle(sorted, P95, 0.95).requests!;
  const s = 800 / 831.6;
  const normal = ((1.96 + 0.8416) ** 2 * 0.95 * 0.05) / (s - 0.95) ** 2;
  assert.ok(Math.abs(got / normal - 1) < 0.2, `${got} vs ${normal}`);
});

Deno.test("requestsToSettle(): at that many requests, about 80% of runs settle (simulation)", () => {
  // Further requests drawn from the measured latencies themselves: the estimate's own model.
  const sorted = even(400, 831.6);
  const n = requestsToSettle(sorted, P95, 0.95).requests!;
  const rng = mulberry32(77);
  const runs = 300;
  let settled = 0;
  for (let i = 0; i < runs; i++) {
    const run = Float64Array.from({ length: n }, () => sorted[Math.floor(rng() * 400)]!).sort();
    const [r] = evaluateIntervals([P95], {}, evidence(run));
    if (r!.state !== "inconclusive") settled++;
  }
  const se = Math.sqrt((0.8 * 0.2) / runs);
  assert.ok(Math.abs(settled / runs - 0.8) < 3.5 * se + 0.03, `${settled} of ${runs} at n=${n}`);
});

Deno.test("requestsToSettle() gives up (null) when the estimate sits on the threshold", () => {
  // Exactly 95% of requests at or under 800: the true P95 may be 800 itself.
  const sorted = Float64Array.from([...even(380, 800), ...even(20, 100).map((x) => 900 + x)]);
  const r = requestsToSettle(sorted, P95, 0.95, 0.8, 100_000);
  assert.equal(r.requests, null);
  assert.match(r.note, /more than 100000 requests/);
});

Deno.test("thresholds without an interval are judged on their point value", () => {
  const rate = parseThreshold("error_rate<=0", METRICS);
  const [ok, bad] = [
    evaluateIntervals([rate], { error_rate: 0 }, {})[0]!,
    evaluateIntervals([rate], { error_rate: 0.01 }, {})[0]!,
  ];
  assert.equal(ok.basis, "point");
  assert.equal(ok.state, "pass");
  assert.equal(bad.state, "fail");
  assert.deepEqual(decideIntervals([bad], {}, "code", 0.95).reasons, [
    "SLA error_rate<=0 missed: measured 0.01",
  ]);
});

Deno.test("decideIntervals(): a failed check fails; inconclusive exits by policy", () => {
  const ev: Record<string, IntervalEvidence> = evidence(even(50, 100));
  const open = evaluateIntervals([P95], {}, ev);
  assert.equal(decideIntervals(open, {}, "code", 0.95).exit_code, 4);
  assert.equal(decideIntervals(open, {}, "fail", 0.95).exit_code, 1);
  assert.equal(decideIntervals(open, {}, "pass", 0.95).exit_code, 0);
  const checked = decideIntervals(
    open,
    { outputs: { ok: false, detail: "request 3 differs" } },
    "pass",
    0.95,
  );
  assert.equal(checked.state, "fail");
  assert.equal(checked.exit_code, 1);
  assert.equal(exitCodeFor("pass", "fail"), 0);
  assert.equal(exitCodeFor("fail", "pass"), 1);
});
