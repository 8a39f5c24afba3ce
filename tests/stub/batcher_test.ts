import assert from "node:assert/strict";
import {
  Batcher,
  type BatcherCounters,
  decodeStepMs,
  prefillMs,
  type StepCost,
} from "../../lib/stub/batcher.ts";
import { InferenceModel, replyFor } from "../../lib/stub/inference_model.ts";
import { virtualClock } from "../_virtual_clock.ts";

const COST: StepCost = { prefillMsPerToken: 0.5, decodeMs: 10, batchCost: 0.1 };
const counters = (): BatcherCounters => ({ promptTokens: 0, generationTokens: 0, finished: 0 });

Deno.test("prefillMs() and decodeStepMs() follow the cost model", () => {
  assert.equal(prefillMs(100, COST), 50);
  assert.equal(decodeStepMs(1, COST), 10);
  assert.equal(decodeStepMs(3, COST), 12);
});

Deno.test("a batcher of one serves sequences one at a time, in arrival order", async () => {
  const clock = virtualClock();
  const b = new Batcher({ maxBatch: 1, cost: COST, clock, counters: counters() });
  const first = b.submit(100, 5);
  const second = b.submit(100, 5);
  assert.deepEqual(await first.done, { queueMs: 0, prefillMs: 50, decodeMs: 40 });
  assert.deepEqual(await second.done, { queueMs: 90, prefillMs: 50, decodeMs: 40 });
  assert.equal(clock.t, 180);
});

Deno.test("continuous batching shares steps, and a decode step slows with the batch", async () => {
  const clock = virtualClock();
  const c = counters();
  const b = new Batcher({ maxBatch: 2, cost: COST, clock, counters: c });
  const [x, y, z] = [b.submit(100, 5), b.submit(100, 5), b.submit(20, 1)];
  // x and y: one step of both prefills (100 ms), then 4 decode steps of a batch of 2 (11 ms).
  assert.deepEqual(await x.done, { queueMs: 0, prefillMs: 100, decodeMs: 44 });
  assert.deepEqual(await y.done, { queueMs: 0, prefillMs: 100, decodeMs: 44 });
  // z waits for a free slot: admitted after x and y finished, at 144 ms.
  assert.deepEqual(await z.done, { queueMs: 144, prefillMs: 10, decodeMs: 0 });
  assert.deepEqual(c, { promptTokens: 220, generationTokens: 11, finished: 3 });
});

Deno.test("a sequence admitted into a running batch joins it at the next step", async () => {
  const clock = virtualClock();
  const b = new Batcher({ maxBatch: 4, cost: COST, clock, counters: counters() });
  const x = b.submit(20, 3); // step 1: prefill 10 ms
  await x.first;
  assert.equal(clock.t, 10);
  // y arrives at 10, during step 2 (x's decode, 10 ms); step 3 is y's prefill (10) and x's
  // decode (10); step 4 y's decode alone (x is done).
  const y = b.submit(20, 2);
  assert.deepEqual(await y.first, { queueMs: 10, prefillMs: 20, decodeMs: 0 });
  assert.deepEqual(await x.done, { queueMs: 0, prefillMs: 10, decodeMs: 30 });
  assert.deepEqual(await y.done, { queueMs: 10, prefillMs: 20, decodeMs: 10 });
});

Deno.test("a cancelled sequence leaves the batch and its waiters wake", async () => {
  const clock = virtualClock();
  const b = new Batcher({ maxBatch: 1, cost: COST, clock, counters: counters() });
  const x = b.submit(10, 1000);
  await x.token(2);
  x.cancel();
  assert.equal(await x.token(999), false);
  const y = b.submit(10, 1);
  await y.done;
  assert.equal(b.running, 0);
  assert.ok(x.produced < 1000);
});

Deno.test("concurrent mode serves every sequence without a queue", async () => {
  const clock = virtualClock();
  const model = new InferenceModel({
    mode: "concurrent",
    maxBatch: 1,
    kvCapacityTokens: 1000,
    clock,
    ...COST,
  });
  const a = model.submit(100, 5, "length");
  const b = model.submit(100, 5, "length");
  assert.deepEqual(model.metrics().waiting, 2);
  assert.deepEqual(await a.done, { queueMs: 0, prefillMs: 50, decodeMs: 40 });
  assert.deepEqual(await b.done, { queueMs: 0, prefillMs: 50, decodeMs: 40 });
  await Promise.resolve();
  const m = model.metrics();
  assert.equal(m.running, 0);
  assert.equal(m.finished, 2);
  assert.deepEqual(m.finishedBy, { length: 2, stop: 0 });
});

Deno.test("the model's gauges show running sequences and the KV cache they hold", async () => {
  const clock = virtualClock();
  const model = new InferenceModel({
    mode: "batched",
    maxBatch: 2,
    kvCapacityTokens: 1000,
    clock,
    ...COST,
  });
  const gs = [
    model.submit(100, 10, "stop"),
    model.submit(100, 10, "stop"),
    model.submit(1, 1, "stop"),
  ];
  await gs[0]!.first;
  const m = model.metrics();
  assert.equal(m.running, 2);
  assert.equal(m.waiting, 1);
  assert.equal(m.kvCacheUsage, (101 + 101) / 1000);
  await Promise.all(gs.map((g) => g.done));
});

Deno.test("replyFor() is a pure function: cut at max_tokens, stopped naturally, or ignore_eos", () => {
  const base = { input: '{"prompt":"hello"}', outputTokens: [20, 20] as [number, number] };
  const natural = replyFor(base);
  assert.equal(natural.pieces.length, 20);
  assert.equal(natural.finishReason, "stop");
  assert.deepEqual(replyFor(base), natural);
  const cut = replyFor({ ...base, maxTokens: 5 });
  assert.deepEqual(cut.pieces, natural.pieces.slice(0, 5));
  assert.equal(cut.finishReason, "length");
  assert.equal(replyFor({ ...base, maxTokens: 50 }).pieces.length, 20);
  const forced = replyFor({ ...base, maxTokens: 50, ignoreEos: true });
  assert.equal(forced.pieces.length, 50);
  assert.equal(forced.finishReason, "length");
  assert.ok(!natural.pieces[0]!.startsWith(" ") && natural.pieces[1]!.startsWith(" "));
  assert.notDeepEqual(replyFor({ ...base, input: '{"prompt":"bye"}' }).pieces, natural.pieces);
});
