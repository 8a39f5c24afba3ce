import assert from "node:assert/strict";
import {
  checkState,
  decide,
  notMadeCheck,
  requireChecks,
  verdictOf,
} from "../../../lib/verdict/verdict.ts";
import { verdictLine } from "../../../lib/report/verdict_line.ts";
import { gateChecks } from "../../../lib/commands/shared/ci_outputs.ts";

const held = { ok: true, detail: "20 requests, same input digest" };
const notMade = notMadeCheck("not made: a log has no input digests");

Deno.test("checkState() judges a check: ok, failed, or not made (failed when required)", () => {
  assert.equal(checkState(held), "ok");
  assert.equal(checkState({ ok: false, detail: "differ" }), "failed");
  assert.equal(checkState(notMade), "not_made");
  assert.equal(notMade.ok, false, "a check not made never claims ok");
  // Even a producer that set ok: true cannot make a check not made count as held.
  assert.equal(checkState({ ok: true, made: false, detail: "x" }), "not_made");
  assert.equal(checkState({ ...notMade, required: true }), "failed");
});

Deno.test("a check not made leaves the verdict a pass and is named; required, it fails", () => {
  const checks = { inputs_identical: notMade, outputs_identical: notMade, cells: held };
  const v = verdictOf([], checks, "point");
  assert.equal(v.state, "pass");
  assert.deepEqual(v.notMade, ["inputs_identical", "outputs_identical"]);
  assert.equal(
    verdictLine(v),
    "verdict: PASS, 2 checks not made: inputs_identical, outputs_identical",
  );
  const strict = verdictOf([], requireChecks(checks), "point");
  assert.equal(strict.state, "fail");
  assert.equal(strict.notMade, undefined);
  assert.match(
    strict.reasons[0]!,
    /^check inputs_identical not made \(--require-checks\): not made: a log/,
  );
  assert.equal(decide([], { a: held }).notMade, undefined, "all made: nothing to name");
});

Deno.test("verdictLine() names checks not made on a fail too, one check in the singular", () => {
  const v = verdictOf([{ state: "fail", reason: "SLA p95<=800 missed: measured 900" }], {
    conditions_match: notMade,
  }, "point");
  assert.equal(
    verdictLine(v),
    "verdict: FAIL, 1 check not made: conditions_match (SLA p95<=800 missed: measured 900)",
  );
});

Deno.test("gateChecks() gives the CI renderers each check's one state, without a doubled prefix", () => {
  assert.deepEqual(gateChecks({ a: held, b: notMade, c: { ...notMade, required: true } }), [
    { name: "a", state: "ok", detail: held.detail },
    { name: "b", state: "not_made", detail: "a log has no input digests" },
    { name: "c", state: "failed", detail: "not made: a log has no input digests" },
  ]);
});
