import assert from "node:assert/strict";
import {
  distribution,
  itlFromChunkTimes,
  llmMetrics,
  type LlmRequest,
  llmRequestOf,
  tpotMs,
} from "../../lib/stats/llm/metrics.ts";
import { makeSample } from "../_helpers.ts";

const req = (over: Partial<LlmRequest> = {}): LlmRequest => ({
  ok: true,
  latencyMs: 100,
  ttftMs: 10,
  itlMs: [],
  inputTokens: 10,
  outputTokens: 10,
  ...over,
});

Deno.test("tpotMs() is (e2e - TTFT) / (output tokens - 1), none below two tokens", () => {
  assert.equal(tpotMs(req()), 10);
  assert.equal(tpotMs(req({ outputTokens: 2 })), 90);
  assert.equal(tpotMs(req({ outputTokens: 1 })), null);
  assert.equal(tpotMs(req({ outputTokens: 0 })), null);
  // Not streamed: the first token came with the last byte.
  assert.equal(tpotMs(req({ ttftMs: null })), 0);
});

Deno.test("itlFromChunkTimes() gives the gaps between successive chunks", () => {
  assert.deepEqual(itlFromChunkTimes([10, 25, 45, 46]), [15, 20, 1]);
  assert.deepEqual(itlFromChunkTimes([10]), []);
  assert.deepEqual(itlFromChunkTimes([]), []);
});

Deno.test("distribution() gives numpy's mean, std and linear percentiles", () => {
  const d = distribution([4, 1, 3, 2]);
  assert.equal(d.count, 4);
  assert.equal(d.mean, 2.5);
  assert.equal(d.std, Math.sqrt(1.25)); // numpy.std, ddof=0
  assert.equal(d.p50, 2.5);
  assert.equal(d.p90, 3.7);
  assert.ok(Math.abs(d.p99 - 3.97) < 1e-12);
  const one = distribution([7]);
  assert.deepEqual([one.mean, one.std, one.p50, one.p99], [7, 0, 7, 7]);
  assert.ok(Number.isNaN(distribution([]).mean));
});

Deno.test("llmMetrics() follows vLLM: successes only, pooled ITL, tokens per second", () => {
  const requests = [
    req({ latencyMs: 100, ttftMs: 10, itlMs: [30, 30, 30], inputTokens: 20, outputTokens: 4 }),
    req({ latencyMs: 50, ttftMs: 20, itlMs: [30], inputTokens: 30, outputTokens: 2 }),
    req({ latencyMs: 30, ttftMs: 30, itlMs: [], inputTokens: 5, outputTokens: 1 }),
    req({ ok: false, latencyMs: 5, ttftMs: null, inputTokens: 1000, outputTokens: 0 }),
  ];
  const m = llmMetrics(requests, 2);
  assert.equal(m.completed, 3);
  assert.equal(m.failed, 1);
  assert.deepEqual([m.ttft.count, m.ttft.mean, m.ttft.p50], [3, 20, 20]);
  assert.deepEqual([m.itl.count, m.itl.mean], [4, 30]);
  assert.deepEqual([m.tpot.count, m.tpot.mean], [2, 30]); // 90/3 and 30/1
  assert.deepEqual([m.e2e.count, m.e2e.mean], [3, 60]);
  assert.equal(m.input_tokens, 55);
  assert.equal(m.output_tokens, 7);
  assert.equal(m.requests_per_s, 1.5);
  assert.equal(m.input_tokens_per_s, 27.5);
  assert.equal(m.output_tokens_per_s, 3.5);
  assert.equal(m.total_tokens_per_s, 31);
});

Deno.test("llmMetrics() of nothing is empty, not a crash", () => {
  const m = llmMetrics([], 0);
  assert.equal(m.completed, 0);
  assert.ok(Number.isNaN(m.ttft.p95));
  assert.ok(Number.isNaN(m.output_tokens_per_s));
});

Deno.test("llmRequestOf() reads a sample's stream, or none", () => {
  const streamed = makeSample({
    latencyMs: 90,
    stream: { ttftMs: 30, chunks: 3, tokens: 4, itlMs: [20, 40] },
  });
  assert.deepEqual(llmRequestOf(streamed, 12), {
    ok: true,
    latencyMs: 90,
    ttftMs: 30,
    itlMs: [20, 40],
    inputTokens: 12,
    outputTokens: 4,
  });
  const plain = llmRequestOf(makeSample({ latencyMs: 50 }), 3);
  assert.deepEqual([plain.ttftMs, plain.itlMs, plain.outputTokens], [null, [], 0]);
});
