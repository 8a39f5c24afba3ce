import assert from "node:assert/strict";
import { checkConditions, comparePhases, type LoadParams } from "../../../lib/verdict/compare.ts";
import { makeSample } from "../../_helpers.ts";

const LOAD: LoadParams = {
  requests: 3,
  concurrency: 2,
  timeout_ms: 1000,
  method: "POST",
  path: "/v1/infer",
  headers_sha256: "h",
  workload_digest: "w",
};
const phase = (latency: number, over: (id: number) => object = () => ({})) =>
  [0, 1, 2].map((id) => makeSample({ requestId: id, latencyMs: latency + id, ...over(id) }));

Deno.test("comparePhases() passes every check for the same inputs, outputs and load", () => {
  const c = comparePhases(phase(100), phase(10), { baseline: LOAD, optimized: LOAD });
  assert.equal(c.checks.inputs_identical.ok, true);
  assert.equal(c.checks.outputs_identical.ok, true);
  assert.equal(c.checks.outputs_identical.compared, 3);
  assert.equal(c.checks.conditions_match.ok, true);
  assert.equal(c.delta.p50, -90);
  assert.equal(c.delta.p50_ratio, 11 / 101);
});

Deno.test("a changed output fails the outputs check and names the request", () => {
  const altered = phase(10, (id) => (id === 1 ? { outputSha256: "f".repeat(64) } : {}));
  const c = comparePhases(phase(100), altered, { baseline: LOAD, optimized: LOAD });
  assert.equal(c.checks.outputs_identical.ok, false);
  assert.deepEqual(c.checks.outputs_identical.mismatches.map((m) => m.request_id), [1]);
  assert.match(c.checks.outputs_identical.detail, /request 1\b/);
});

Deno.test("different inputs or a missing request fail the inputs check", () => {
  const other = phase(10, (id) => (id === 2 ? { inputSha256: "e".repeat(64) } : {}));
  assert.match(
    comparePhases(phase(100), other, { baseline: LOAD, optimized: LOAD }).checks.inputs_identical
      .detail,
    /request 2/,
  );
  const short = phase(10).slice(0, 2);
  assert.equal(
    comparePhases(phase(100), short, { baseline: LOAD, optimized: LOAD }).checks.inputs_identical
      .ok,
    false,
  );
});

Deno.test("checkConditions() lists each load parameter that differs", () => {
  const c = checkConditions(LOAD, { ...LOAD, concurrency: 8, timeout_ms: 5 });
  assert.equal(c.ok, false);
  assert.deepEqual(c.differences, ["concurrency: 2 vs 8", "timeout_ms: 1000 vs 5"]);
  assert.equal(checkConditions(null, LOAD).ok, false);
});

Deno.test("outputs are not called identical when no request succeeded in both phases", () => {
  const failed = phase(10, () => ({ ok: false, error: "connect", outputSha256: "" }));
  const c = comparePhases(phase(100), failed, { baseline: LOAD, optimized: LOAD });
  assert.equal(c.checks.outputs_identical.ok, false);
  assert.equal(c.checks.outputs_identical.compared, 0);
});

Deno.test("checkConditions() sees a load parameter that only one log has", () => {
  const open = { ...LOAD, load_model: "open" as const, rate: 50 };
  const c = checkConditions(LOAD, open);
  assert.equal(c.ok, false);
  assert.deepEqual(c.differences, ["load_model: none vs open", "rate: none vs 50"]);
  assert.equal(checkConditions(open, { ...open }).ok, true);
});
