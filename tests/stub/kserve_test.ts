/**
 * The stub's KServe v2 model: metadata, infer (JSON and the binary
 * extension; outputs a pure function of the inputs), errors, and the
 * statistics extension's counters against its service model on an injected
 * clock (exact).
 */
import assert from "node:assert/strict";
import { createV2Routes } from "../../lib/stub/kserve/routes.ts";
import { V2Scheduler } from "../../lib/stub/kserve/scheduler.ts";
import { binaryInferBodies, jsonInferBody } from "../../lib/workload/kserve/body.ts";
import { STUB_INPUTS } from "../_kserve.ts";

/** A clock that moves only when the model sleeps. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      await Promise.resolve();
      t += ms;
    },
  };
}

const INPUTS = STUB_INPUTS;

function routes(mode: "serialized" | "concurrent" | "batched") {
  const time = fakeTime();
  return createV2Routes({
    mode,
    maxBatch: 4,
    serviceMs: [10, 10],
    inputMs: 1,
    outputMs: 2,
    ...time,
  });
}

async function call(r: ReturnType<typeof routes>, path: string, init?: RequestInit) {
  const req = new Request(`http://x${path}`, init);
  const body = new Uint8Array(await req.clone().arrayBuffer());
  return await r.handle(req, () => Promise.resolve(body), {});
}

Deno.test("stub v2: metadata, and outputs a pure function of the inputs (JSON and binary bodies)", async () => {
  const r = routes("concurrent");
  const meta = await (await call(r, "/v2/models/m")).json();
  assert.deepEqual(meta.inputs[0], { name: "INPUT0", datatype: "FP32", shape: [-1, 16] });
  const a =
    await (await call(r, "/v2/models/m/infer", { method: "POST", body: jsonInferBody(INPUTS) }))
      .json();
  assert.deepEqual(a.outputs[1], { name: "OUTPUT1", datatype: "INT32", shape: [1, 1], data: [2] });
  assert.deepEqual(a.outputs[0].data, INPUTS[0]!.data.map((v) => Number(v) * 2));
  const { bodies, headerLength } = binaryInferBodies([INPUTS]);
  const b = await (await call(r, "/v2/models/m/versions/1/infer", {
    method: "POST",
    body: bodies[0]! as Uint8Array<ArrayBuffer>,
    headers: { "inference-header-content-length": String(headerLength) },
  })).json();
  assert.deepEqual(b.outputs, a.outputs);
});

Deno.test("stub v2: unknown model 404, bad tensors 400 (counted as failures)", async () => {
  const r = routes("concurrent");
  assert.equal((await call(r, "/v2/models/x")).status, 404);
  assert.equal((await call(r, "/v2/models/m/versions/9")).status, 404);
  const wrong = [{ ...INPUTS[0]!, shape: [1, 8], data: INPUTS[0]!.data.slice(0, 8) }, INPUTS[1]!];
  const res = await call(r, "/v2/models/m/infer", { method: "POST", body: jsonInferBody(wrong) });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /shape \[1,8\], expected \[-1,16\]/);
  assert.equal(r.scheduler.stats().inference_stats.fail.count, 1);
});

Deno.test("V2Scheduler: serialized queue and compute counters follow the service model exactly", async () => {
  const time = fakeTime();
  const s = new V2Scheduler("m", "1", {
    mode: "serialized",
    maxBatch: 4,
    inputMs: 1,
    outputMs: 2,
    ...time,
  });
  const done = await Promise.all([s.run(1, 10), s.run(1, 20), s.run(1, 30)]);
  // Executions of 13, 23 and 33 ms in a row: waits of 0, 13 and 36 ms.
  assert.deepEqual(done.map((d) => d.queueMs), [0, 13, 36]);
  const is = s.stats().inference_stats;
  assert.deepEqual(is.queue, { count: 3, ns: 49e6 });
  assert.deepEqual(is.compute_input, { count: 3, ns: 3e6 });
  assert.deepEqual(is.compute_infer, { count: 3, ns: 60e6 });
  assert.deepEqual(is.compute_output, { count: 3, ns: 6e6 });
  assert.equal(s.stats().execution_count, 3);
});

Deno.test("V2Scheduler: batched runs the waiting requests together, each charged the whole execution", async () => {
  const time = fakeTime();
  const s = new V2Scheduler("m", "1", {
    mode: "batched",
    maxBatch: 2,
    inputMs: 1,
    outputMs: 1,
    ...time,
  });
  const done = await Promise.all([s.run(1, 10), s.run(1, 20), s.run(1, 5)]);
  // The first alone (12 ms), then the next two together (the longer service, 22 ms).
  assert.deepEqual(done.map((d) => d.queueMs), [0, 12, 12]);
  assert.deepEqual(done.map((d) => d.inferMs), [10, 20, 20]);
  const stats = s.stats();
  assert.equal(stats.execution_count, 2);
  assert.equal(stats.inference_count, 3);
  assert.deepEqual(stats.batch_stats.map((b) => b.batch_size), [1, 2]);
});
