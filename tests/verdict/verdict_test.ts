import assert from "node:assert/strict";
import { evaluate, parseSla, parseThreshold } from "../../lib/verdict/threshold.ts";
import { decide } from "../../lib/verdict/verdict.ts";
import { UsageError } from "../../lib/base/errors.ts";

const METRICS = ["p50", "p95", "p99", "error_rate"];

Deno.test("the SLA gate passes exactly at the threshold and fails just over it", () => {
  const [t] = [parseThreshold("p95<=800", METRICS)];
  assert.equal(evaluate([t], { p95: 800 })[0]!.pass, true);
  assert.equal(evaluate([t], { p95: 800.001 })[0]!.pass, false);
  assert.equal(evaluate([t], { p95: 799.999 })[0]!.pass, true);
  const strict = parseThreshold("p95 < 800", METRICS);
  assert.equal(evaluate([strict], { p95: 800 })[0]!.pass, false);
});

Deno.test("a threshold with no data (NaN) fails rather than passes", () => {
  const t = parseThreshold("p95<=800", METRICS);
  const [r] = evaluate([t], { p95: NaN });
  assert.equal(r!.pass, false);
  assert.equal(r!.actual, null);
});

Deno.test("parseThreshold() rejects malformed expressions and unknown metrics", () => {
  for (const bad of ["p95", "p95<=", "<=800", "p95=800", "p95<=8oo", "p95 <= 800 ms"]) {
    assert.throws(() => parseThreshold(bad, METRICS), UsageError, bad);
  }
  assert.throws(() => parseThreshold("p96<=800", METRICS), /unknown metric "p96"/);
});

Deno.test("parseSla() adds the error-rate gate unless the user set one", () => {
  assert.deepEqual(parseSla([], 0, METRICS).map((t) => t.expr), ["p95<=800", "error_rate<=0"]);
  assert.deepEqual(parseSla(["error_rate<0.1"], 0, METRICS).map((t) => t.expr), [
    "error_rate<0.1",
  ]);
});

Deno.test("decide() fails on a missed threshold or a failed check, with a reason each", () => {
  const t = parseThreshold("p95<=800", METRICS);
  assert.deepEqual(decide(evaluate([t], { p95: 10 }), { inputs: { ok: true, detail: "" } }), {
    state: "pass",
    basis: "point",
    reasons: [],
  });
  const v = decide(evaluate([t], { p95: 900 }), {
    outputs: { ok: false, detail: "request 7 differs" },
  });
  assert.equal(v.state, "fail");
  assert.deepEqual(v.reasons, [
    "SLA p95<=800 missed: measured 900",
    "check outputs failed: request 7 differs",
  ]);
});
