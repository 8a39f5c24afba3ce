import assert from "node:assert/strict";
import { ExitCode } from "../../lib/base/errors.ts";
import { judge } from "../../lib/verdict/judge.ts";
import { parseSla } from "../../lib/verdict/threshold.ts";
import type { IntervalVerdict } from "../../lib/verdict/interval_verdict.ts";

const METRICS = ["p95", "error_rate", "requests"];
const SUMMARY = { requests: 50, failed: 0, errors: {}, p95: 100, error_rate: 0 };
const OPEN: IntervalVerdict = {
  state: "inconclusive",
  basis: "interval",
  reasons: ["SLA p95<=800 inconclusive"],
  inconclusive_policy: "code",
  exit_code: ExitCode.Inconclusive,
};

Deno.test("judge(): the point verdict gates unless the interval verdict is given", () => {
  const thresholds = parseSla([], 0, METRICS);
  const point = judge({ thresholds, summary: SUMMARY, checks: {}, interval: null, policy: "code" });
  assert.deepEqual(point.verdict, { state: "pass", basis: "point", reasons: [] });
  assert.equal(point.exitCode, ExitCode.Pass);
  assert.deepEqual(point.results.map((r) => [r.expr, r.pass]), [
    ["p95<=800", true],
    ["error_rate<=0", true],
  ]);
  const gated = judge({ thresholds, summary: SUMMARY, checks: {}, interval: OPEN, policy: "code" });
  assert.equal(gated.verdict.state, "inconclusive");
  assert.equal(gated.verdict.basis, "interval");
  assert.equal(gated.exitCode, ExitCode.Inconclusive);
  const strict = judge({
    thresholds,
    summary: SUMMARY,
    checks: {},
    interval: OPEN,
    policy: "fail",
  });
  assert.equal(strict.exitCode, ExitCode.Fail);
});

Deno.test("judge(): a failed check fails, and an interrupted run exits 130 whatever its verdict", () => {
  const thresholds = parseSla([], 0, METRICS);
  const checked = judge({
    thresholds,
    summary: SUMMARY,
    checks: { outputs: { ok: false, detail: "request 3 differs" } },
    interval: null,
    policy: "code",
  });
  assert.equal(checked.verdict.state, "fail");
  assert.deepEqual(checked.verdict.reasons, ["check outputs failed: request 3 differs"]);
  const cut = judge({
    thresholds,
    summary: SUMMARY,
    checks: {},
    interval: null,
    policy: "code",
    interrupted: true,
  });
  assert.equal(cut.exitCode, ExitCode.Interrupted);
});
