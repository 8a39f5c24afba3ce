import assert from "node:assert/strict";
import { latencySplit, latencySplitLines } from "../../lib/evidence/latency_split.ts";
import { makeSample } from "../_helpers.ts";

Deno.test("latencySplit() splits E2E into queue, prefill (TTFT - queue) and decode (E2E - TTFT)", () => {
  const stream = (ttftMs: number) => ({ ttftMs, chunks: 3, tokens: 3, itlMs: [1, 1] });
  const samples = [
    makeSample({ ok: true, latencyMs: 100, serverQueueMs: 40, stream: stream(50) }),
    makeSample({ ok: true, latencyMs: 200, serverQueueMs: 80, stream: stream(110) }),
    makeSample({ ok: false, latencyMs: 999, serverQueueMs: 1, stream: stream(2) }),
    makeSample({ ok: true, latencyMs: 999, serverQueueMs: null, stream: stream(2) }),
  ];
  const s = latencySplit(samples);
  assert.equal(s.requests, 2);
  assert.deepEqual(s.mean, { queue: 60, prefill: 20, decode: 70, e2e: 150 });
  assert.match(latencySplitLines([["p", s]])[1]!, /mean: queue 60.0, prefill 20.0, decode 70.0/);
  assert.equal(latencySplit([]).requests, 0);
});
