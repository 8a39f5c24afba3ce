import assert from "node:assert/strict";
import { slaLines } from "../../lib/report/html/data.ts";
import { lagCharts, llmCharts, tokensOverTime } from "../../lib/report/html/llm/data.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { parseThreshold } from "../../lib/verdict/threshold.ts";
import { makeSample } from "../_helpers.ts";

const METRICS = ["p95", "ttft_p95", "tpot_mean", "itl_p99", "error_rate", "e2e_p90", "sched_p95"];

/** A streamed request: sent at `sentMs`, TTFT, chunk gaps, output and input tokens. */
function streamed(over: {
  id: number;
  sentMs: number;
  latencyMs: number;
  ttft: number;
  itl: number[];
  input: number;
  output: number;
  ok?: boolean;
}): Sample {
  return makeSample({
    requestId: over.id,
    sentMs: over.sentMs,
    latencyMs: over.latencyMs,
    ok: over.ok ?? true,
    stream: { ttftMs: over.ttft, chunks: over.output, tokens: over.output, itlMs: over.itl },
    tokens: { input: over.input, output: over.output, estimated: false },
  });
}

const PHASE = [
  streamed({ id: 0, sentMs: 0, latencyMs: 100, ttft: 10, itl: [5, 5], input: 10, output: 10 }),
  streamed({ id: 1, sentMs: 500, latencyMs: 100, ttft: 40, itl: [20], input: 30, output: 4 }),
  streamed({ id: 2, sentMs: 500, latencyMs: 50, ttft: 20, itl: [], input: 12, output: 1 }),
  streamed({ id: 3, sentMs: 900, latencyMs: 5, ttft: 1, itl: [1], input: 9, output: 9, ok: false }),
];

Deno.test("slaLines() tells E2E thresholds from TTFT, TPOT and ITL ones", () => {
  const lines = slaLines(
    ["p95<=800", "ttft_p95<=200", "tpot_mean<=50", "itl_p99<=30", "error_rate<=0", "e2e_p90<=900"]
      .map((t) => parseThreshold(t, METRICS)),
  );
  assert.deepEqual(lines.map((l) => [l.expr, l.metric ?? "e2e", l.percentile]), [
    ["p95<=800", "e2e", 95],
    ["ttft_p95<=200", "ttft", 95],
    ["tpot_mean<=50", "tpot", null],
    ["itl_p99<=30", "itl", 99],
    ["e2e_p90<=900", "e2e", 90],
  ]);
});

Deno.test("llmCharts() is null without streams or tokens, and counts only successful requests", () => {
  assert.equal(llmCharts([{ name: "a", color: "#000000", samples: [makeSample()] }], []), null);
  const sla = slaLines([parseThreshold("ttft_p95<=200", METRICS)]);
  const c = llmCharts([{ name: "run", color: "#0072b2", samples: PHASE }], sla)!;
  const p = c.phases[0]!;
  assert.deepEqual(p.counts, { ttft: 3, tpot: 2, itl: 3 });
  assert.deepEqual(p.ttft.x, [10, 20, 40]);
  assert.deepEqual(p.ttft.y, [33.3333, 66.6667, 100]);
  // TPOT: (100 - 10) / 9 = 10 and (100 - 40) / 3 = 20; one token has none.
  assert.deepEqual(p.tpot.x, [10, 20]);
  assert.deepEqual(p.itl.x, [5, 20]);
  assert.deepEqual(p.itl.y, [66.6667, 100]);
  assert.deepEqual(p.perRequest.t, [0, 0.5, 0.500001], "ties nudged apart");
  assert.deepEqual(p.perRequest.ttft, [10, 40, 20]);
  assert.deepEqual(p.perRequest.tpot, [10, 20, null]);
  assert.equal(c.sla.ttft.length, 1);
  assert.equal(c.sla.tpot.length, 0);
  assert.equal(p.inputLengths.reduce((a, b) => a + b, 0), 3);
  assert.equal(p.outputLengths.reduce((a, b) => a + b, 0), 3);
  assert.ok(c.outputBins.width >= 1, "token bins are at least a token wide");
  const tokens = p.tokensPerS.reduce((a, b) => a + b, 0) * c.tokensWidth;
  assert.ok(Math.abs(tokens - 15) < 1e-9, `output tokens ${tokens}`);
});

Deno.test("tokensOverTime() puts each request's tokens in the bin of its completion, one width for all", () => {
  const a = [
    makeSample({ sentMs: 0, latencyMs: 100, tokens: { input: 1, output: 8, estimated: false } }),
  ];
  const b = [
    makeSample({ sentMs: 3000, latencyMs: 900, tokens: { input: 1, output: 4, estimated: false } }),
  ];
  const { width, rates } = tokensOverTime([a, b], 4);
  assert.equal(width, 1);
  assert.deepEqual(rates[0], [8, 0, 0, 0]);
  assert.deepEqual(rates[1], [0, 0, 0, 4]);
});

Deno.test("lagCharts() gives each open-loop request's lag by its scheduled time; null in a closed loop", () => {
  assert.equal(lagCharts([{ name: "c", color: "#000000", samples: PHASE }]), null);
  const open = [
    makeSample({ requestId: 0, scheduledMs: 0, sentMs: 2 }),
    makeSample({ requestId: 1, scheduledMs: 100, sentMs: 100.5 }),
  ];
  const [lag] = lagCharts([{ name: "o", color: "#000000", samples: open }])!;
  assert.deepEqual([lag!.t, lag!.lagMs, lag!.total], [[0, 0.1], [2, 0.5], 2]);
});
