import assert from "node:assert/strict";
import { goodputSummary, llmSummary, schedTtftSummary } from "../../lib/stats/llm/summary.ts";
import { fullSummary, metricsFor, requireMetrics } from "../../lib/stats/load_metrics.ts";
import { makeSample } from "../_helpers.ts";

const stream = (ttftMs: number, tokens: number) => ({ ttftMs, chunks: tokens, tokens, itlMs: [] });

const samples = [
  makeSample({
    requestId: 0,
    ok: true,
    sentMs: 10,
    scheduledMs: 0,
    latencyMs: 100,
    stream: stream(20, 9),
    tokens: { input: 5, output: 9, estimated: false },
  }),
  makeSample({
    requestId: 1,
    ok: true,
    sentMs: 100,
    scheduledMs: 100,
    latencyMs: 300,
    stream: stream(100, 5),
    tokens: { input: 7, output: 5, estimated: true },
  }),
  makeSample({ requestId: 2, ok: false, sentMs: 200, scheduledMs: 200, latencyMs: 50 }),
];

Deno.test("llmSummary() counts tokens of successful requests over the duration", () => {
  const s = llmSummary(samples, 2);
  assert.equal(s.input_tokens, 12);
  assert.equal(s.output_tokens, 14);
  assert.equal(s.input_tokens_per_s, 6);
  assert.equal(s.total_tokens_per_s, 13);
  assert.equal(s.tokens_estimated, 0.5);
  assert.equal(s.e2e_p50, 200);
});

Deno.test("goodputSummary() counts requests meeting every SLO; a failed one is never good", () => {
  // TPOT: (100 - 20) / 8 = 10 and (300 - 100) / 4 = 50.
  const g = goodputSummary(samples, [{ metric: "tpot", maxMs: 10 }], 2);
  assert.deepEqual(g, { goodput_good: 1, goodput_ratio: 1 / 3, goodput_per_s: 0.5 });
});

Deno.test("schedTtftSummary() adds the send's lag to the TTFT", () => {
  const s = schedTtftSummary(samples);
  assert.equal(s.sched_ttft_p50, (30 + 100) / 2);
});

Deno.test("the LLM, goodput and sched_ttft metrics are gateable only when the run reports them", () => {
  const groups = { openLoop: true, streaming: true, llm: true, goodput: [] };
  for (const m of ["goodput_ratio", "sched_ttft_p95", "total_tokens_per_s", "e2e_p90"]) {
    assert.ok(metricsFor(groups).includes(m), m);
  }
  assert.throws(
    () => requireMetrics(["total_tokens_per_s"], { openLoop: false, streaming: true }, "this run"),
    /reports no LLM metrics \(they need --api\)/,
  );
  const full = fullSummary(samples, groups);
  assert.equal(full.goodput_ratio, 2 / 3);
});
