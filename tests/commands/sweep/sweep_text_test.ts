import assert from "node:assert/strict";
import type { SweepJson, SweepStepJson } from "../../../lib/commands/shared/result_json.ts";
import { renderSweepHtml } from "../../../lib/commands/sweep/html.ts";
import {
  capacityLines,
  metricLabel,
  stepLine,
  sweepMarkdown,
  sweepTable,
} from "../../../lib/commands/sweep/text.ts";

function step(over: Partial<SweepStepJson>): SweepStepJson {
  return {
    step: 1,
    dir: "step-01-10",
    load: 10,
    achieved_rate: 10,
    requests: 10,
    p50: 20,
    p95: 25,
    p99: 30,
    error_rate: 0,
    schedule_lag_p99_ms: 1,
    sla: "pass",
    conclusive: true,
    counted: "pass",
    overloaded: null,
    cut_short: null,
    reasons: [],
    missed: [],
    llm: null,
    ...over,
  };
}

const sweep: SweepJson = {
  command: "sweep",
  mode: "search",
  unit: "req/s",
  url: "http://127.0.0.1:9/v1/infer",
  sla: ["p95<=60"],
  verdict_basis: "point",
  confidence: 0.95,
  step_plan: { duration_s: 1, requests: null, warmup_requests: 5, cool_down_s: 0 },
  overload: { schedule_lag_ms: 1000, error_rate: 0.5, achieved_share: 0.8 },
  capacity: 40,
  lowest_failed: 60,
  resolution: 20,
  non_monotone: false,
  skipped: [],
  knee: { load: 40, metric: "p95", elasticities: [0, 5] },
  steps: [
    step({}),
    step({
      step: 2,
      dir: "step-02-80",
      load: 80,
      achieved_rate: 45,
      p95: 700,
      sla: "fail",
      counted: "fail",
      overloaded: "achieved 45.0/s < 0.8 x offered",
    }),
    step({ step: 3, dir: "step-03-40", load: 40, achieved_rate: 40 }),
    step({ step: 4, dir: "step-04-60", load: 60, p95: 90, sla: "fail", counted: "fail" }),
  ],
  gate: { min_capacity: 30, state: "pass", reason: "the SLA held at 40/s >= --min-capacity 30/s" },
  verdict: "pass",
  stopped: null,
  manifest: {},
};

Deno.test("sweepTable() lists the steps by load, an overloaded step as such", () => {
  const t = sweepTable(sweep);
  assert.deepEqual(t.slice(1).map((r) => r[0]), ["10", "40", "60", "80"]);
  assert.equal(t.at(-1)!.at(-1), "FAIL (overloaded)");
});

Deno.test("capacityLines() states the bracket, the knee and inconclusive steps", () => {
  const lines = capacityLines(sweep);
  assert.equal(
    lines[0],
    "capacity at the SLA: 40 req/s (highest passed; lowest failed 60 req/s, resolution 20)",
  );
  assert.match(lines[1]!, /^knee: 40 req\/s/);
  const unsure = capacityLines({
    ...sweep,
    steps: [step({ sla: "inconclusive", conclusive: false, counted: "fail" })],
  });
  assert.match(unsure.join("\n"), /1 step inconclusive \(10 req\/s\), counted as fail/);
  assert.match(capacityLines({ ...sweep, capacity: null, lowest_failed: 10 })[0]!, /below 10/);
});

Deno.test("stepLine() says why a step failed as overloaded", () => {
  assert.match(stepLine(sweep.steps[1]!, "req/s"), /^step 2 {2}80 req\/s: .*FAIL \(overloaded: /);
});

Deno.test("sweepMarkdown() and renderSweepHtml() carry the capacity, the gate and every step", () => {
  const md = sweepMarkdown(sweep, "PASS");
  assert.match(md, /^# loadgate sweep: PASS/);
  assert.match(md, /gate --min-capacity 30: pass/);
  assert.equal(md.split("\n").filter((l) => /^\| \d/.test(l)).length, 4);
  const html = renderSweepHtml(sweep, [{ expr: "p95<=60", ms: 60, percentile: 95 }]);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  const data = JSON.parse(
    /<script id="loadgate-data" type="application\/json">(.*?)<\/script>/s
      .exec(html)![1]!,
  );
  assert.deepEqual(data.load, [10, 40, 60, 80]);
  assert.deepEqual([data.capacity, data.lowestFailed, data.sla[0].ms], [40, 60, 60]);
  assert.ok(!/src="http/.test(html));
});

const LLM_STEP = step({
  step: 5,
  load: 20,
  sla: "fail",
  counted: "fail",
  missed: ["ttft_p95<=150 (measured 182.3)"],
  llm: {
    ttft: { p50: 120, p95: 182.3, p99: 190.04 },
    tpot: { p50: 5, p95: 5.25, p99: null },
    itl: { p50: 4.96, p95: 6, p99: 7 },
    output_tokens_per_s: 412,
  },
});

Deno.test("stepLine() of a streamed step gives TTFT, TPOT, ITL and tokens/s and names the threshold it missed", () => {
  const line = stepLine(LLM_STEP, "req/s");
  assert.match(
    line,
    /ttft p50\/p95\/p99 120\.0\/182\.3\/190\.0 ms, tpot 5\.0\/5\.3\/- ms, itl 5\.0\/6\.0\/7\.0 ms/,
  );
  assert.match(line, /412\.0 output tok\/s/);
  assert.match(line, /: FAIL \(ttft_p95<=150 \(measured 182\.3\)\)$/);
  assert.match(stepLine(step({ sla: "fail", counted: "fail" }), "req/s"), /: FAIL$/);
  assert.doesNotMatch(stepLine(step({}), "req/s"), /ttft/);
});

Deno.test("sweepTable() adds TTFT, TPOT, ITL and tokens/s columns when a step streamed, and the missed metric", () => {
  const t = sweepTable({ ...sweep, steps: [step({}), LLM_STEP] });
  assert.deepEqual(t[0]!.slice(6, 10), [
    "ttft p50/p95/p99",
    "tpot p50/p95/p99",
    "itl p50/p95/p99",
    "out tok/s",
  ]);
  assert.deepEqual(t[1]!.slice(6, 10), ["-", "-", "-", "-"]);
  assert.deepEqual(t[2]!.slice(6, 10), ["120.0/182.3/190.0", "5.0/5.3/-", "5.0/6.0/7.0", "412.0"]);
  assert.equal(t[2]!.at(-1), "FAIL (ttft_p95<=150)");
  assert.equal(sweepTable(sweep)[0]!.length, 9, "no LLM columns without a streamed step");
  assert.match(
    sweepMarkdown({ ...sweep, steps: [LLM_STEP] }, "FAIL"),
    /\| FAIL \(ttft_p95<=150\) \|/,
  );
});

Deno.test("the knee is named by its metric: TTFT P95 when the SLA names it, else E2E P95", () => {
  assert.equal(metricLabel("ttft_p95"), "TTFT P95");
  assert.equal(metricLabel("p95"), "E2E P95");
  assert.equal(metricLabel("tpot_mean"), "TPOT mean");
  const lines = capacityLines({
    ...sweep,
    knee: { load: 40, metric: "ttft_p95", elasticities: [] },
  });
  assert.equal(lines[1], "knee: 40 req/s (after it, TTFT P95 rises faster than throughput)");
});
