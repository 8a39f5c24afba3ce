import assert from "node:assert/strict";
import {
  ALL_METRICS,
  behindScheduleNote,
  fullSummary,
  measured,
  metricsFor,
  openLoopSummary,
  requireMetrics,
  streamingSummary,
} from "../../lib/stats/load_metrics.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { makeSample } from "../_helpers.ts";

Deno.test("warm-up samples are left out of every statistic", () => {
  const samples = [
    makeSample({ requestId: 0, latencyMs: 5000, warmup: true }),
    makeSample({ requestId: 0, latencyMs: 10 }),
    makeSample({ requestId: 1, latencyMs: 20 }),
  ];
  assert.equal(measured(samples).length, 2);
  const s = fullSummary(samples, { openLoop: false, streaming: false });
  assert.equal(s.requests, 2);
  assert.equal(s.max, 20);
});

Deno.test("openLoopSummary() measures latency from the scheduled time and the send lag", () => {
  // Scheduled every 10 ms; request i went out 5 i ms late and took 10 ms.
  const samples = [0, 1, 2, 3, 4].map((i) =>
    makeSample({ requestId: i, scheduledMs: 10 * i, sentMs: 15 * i, latencyMs: 10 })
  );
  const o = openLoopSummary(samples);
  // From the schedule: 10, 15, 20, 25, 30 -> numpy p50 20, p95 29, max 30.
  assert.equal(o.sched_p50, 20);
  assert.equal(o.sched_p95, 29);
  assert.equal(o.sched_mean, 20);
  assert.equal(o.sched_max, 30);
  assert.equal(o.lag_max, 20);
  assert.equal(o.late_requests, 2, "lags 15 and 20 are over 10 ms");
  assert.equal(o.scheduled_rate, 100);
  assert.ok(Math.abs(o.send_rate - 1000 / 15) < 1e-9);
  const note = behindScheduleNote(o, 5);
  assert.match(note!, /fell behind its schedule: 2 of 5 requests .* by up to 20\.0 ms/);
  const onTime = openLoopSummary(samples.map((s) => ({ ...s, sentMs: s.scheduledMs! })));
  assert.equal(behindScheduleNote(onTime, 5), null);
});

Deno.test("streamingSummary() follows vLLM: TTFT per request, ITL over every gap, TPOT", () => {
  const samples = [
    makeSample({
      requestId: 0,
      latencyMs: 130,
      stream: { ttftMs: 100, chunks: 4, tokens: 4, itlMs: [10, 10, 10] },
    }),
    makeSample({
      requestId: 1,
      latencyMs: 260,
      stream: { ttftMs: 200, chunks: 3, tokens: 7, itlMs: [30, 30] },
    }),
    // A single token has no TPOT; a failed request counts nowhere.
    makeSample({
      requestId: 2,
      latencyMs: 50,
      stream: { ttftMs: 50, chunks: 1, tokens: 1, itlMs: [] },
    }),
    makeSample({
      requestId: 3,
      ok: false,
      error: "http_5xx",
      stream: { ttftMs: 1, chunks: 9, tokens: 9, itlMs: [1] },
    }),
  ];
  const s = streamingSummary(samples, 2);
  assert.equal(s.streamed, 3);
  assert.equal(s.ttft_p50, 100);
  assert.equal(s.ttft_mean, 350 / 3);
  assert.equal(s.itl_p50, 10); // [10, 10, 10, 30, 30]
  assert.equal(s.itl_mean, 18);
  // TPOT = (latency - TTFT) / (tokens - 1): 30 / 3 = 10 and 60 / 6 = 10.
  assert.equal(s.tpot_p50, 10);
  assert.equal(s.tpot_p99, 10);
  assert.equal(s.output_tokens, 12);
  assert.equal(s.output_tokens_per_s, 6);
  assert.equal(s.chunks, 8);
  assert.equal(s.chunks_per_s, 4);
});

Deno.test("streamingSummary() of no streamed request is NaN, never a made-up zero latency", () => {
  const s = streamingSummary([makeSample()], 1);
  assert.equal(s.streamed, 0);
  assert.ok(Number.isNaN(s.ttft_p95) && Number.isNaN(s.itl_p95) && Number.isNaN(s.tpot_p95));
});

Deno.test("the metrics a threshold may name depend on the run; others are exit-2 errors", () => {
  const base = metricsFor({ openLoop: false, streaming: false });
  assert.ok(base.includes("p95") && !base.includes("ttft_p95") && !base.includes("sched_p95"));
  assert.ok(ALL_METRICS.includes("ttft_p95") && ALL_METRICS.includes("sched_p99"));
  assert.ok(ALL_METRICS.includes("itl_p95") && ALL_METRICS.includes("tpot_p50"));
  requireMetrics(["p95", "ttft_p95"], { openLoop: false, streaming: true }, "this run");
  assert.throws(
    () => requireMetrics(["ttft_p95"], { openLoop: true, streaming: false }, "this run"),
    (e) =>
      e instanceof UsageError &&
      /"ttft_p95": this run reports no streaming .*--stream/.test(e.message),
  );
  assert.throws(
    () => requireMetrics(["sched_p95"], { openLoop: false, streaming: true }, "this run"),
    (e) => e instanceof UsageError && /open-loop metrics \(they need --rate\)/.test(e.message),
  );
});
