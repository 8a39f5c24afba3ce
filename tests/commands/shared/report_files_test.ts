import assert from "node:assert/strict";
import { comparePhases } from "../../../lib/verdict/compare.ts";
import { CsvLogWriter } from "../../../lib/log/csv/log.ts";
import type { GateResult } from "../../../lib/commands/shared/gate.ts";
import {
  comparisonReport,
  metaRows,
  singlePhaseReport,
  stoppedReport,
} from "../../../lib/commands/shared/report_files.ts";
import { summarize } from "../../../lib/stats/stats.ts";
import { evaluate, parseSla } from "../../../lib/verdict/threshold.ts";
import { decide } from "../../../lib/verdict/verdict.ts";
import { makeSample } from "../../_helpers.ts";
import { mainCaptured } from "../../_main_captured.ts";

const phase = (base: number, name: string) =>
  Array.from(
    { length: 10 },
    (_, i) => makeSample({ phase: name, requestId: i, latencyMs: base + i, sentMs: i }),
  );

function gateOf(sla: string[]) {
  const baseline = phase(900, "baseline");
  const optimized = phase(20, "optimized");
  const comparison = comparePhases(baseline, optimized, { baseline: null, optimized: null });
  comparison.checks.conditions_match = { ok: true, detail: "same", differences: [] };
  const thresholds = parseSla(sla, 0, ["p95", "p50", "error_rate", "throughput"]);
  const results = {
    baseline: evaluate(thresholds, comparison.baseline),
    optimized: evaluate(thresholds, comparison.optimized),
  };
  const gate: Omit<GateResult, "document"> = {
    exitCode: 0,
    verdict: decide(results.optimized, comparison.checks),
    sla: results,
    uncertainty: null,
  };
  return { comparison, gate, baseline, optimized };
}

Deno.test("comparisonReport() states the verdict with the measured figures and draws latency SLAs only", () => {
  const { comparison, gate, baseline, optimized } = gateOf(["p95<=800", "throughput>=1"]);
  const r = comparisonReport({
    comparison,
    gate,
    phases: [
      { name: "baseline", detail: "serialized", samples: baseline },
      { name: "optimized", detail: "concurrent", samples: optimized },
    ],
    manifest: { seed: 42, stub_service_ms: [10, 50], extra: { a: 1 } },
  });
  assert.equal(r.verdict.status, "pass");
  assert.match(
    r.verdict.headline,
    /^The optimized phase meets the SLA \(p95 28\.6 ms ≤ 800 ms; throughput [\d.]+ ≥ 1; error_rate 0 ≤ 0\) and every check holds\. P95 went from 908\.6 ms in baseline to 28\.6 ms in optimized \(x0\.03\)\.$/,
  );
  assert.deepEqual(r.slaLines, [{ expr: "p95<=800", ms: 800, percentile: 95 }]);
  assert.deepEqual(r.table?.[0], ["", "baseline", "optimized", "delta"]);
  assert.deepEqual(r.checks.map((c) => c.name), [
    "inputs_identical",
    "outputs_identical",
    "conditions_match",
  ]);
  assert.deepEqual(r.meta, [["seed", "42"], ["stub service ms", "10:50"], ["extra", '{"a":1}']]);
  assert.equal(r.sections?.[0]?.id, "server-timing", "the decomposition from Server-Timing");
});

Deno.test("comparisonReport() fails with each reason when the SLA is missed", () => {
  const { comparison, gate, baseline, optimized } = gateOf(["p50<=5"]);
  const r = comparisonReport({
    comparison,
    gate,
    phases: [
      { name: "baseline", detail: "", samples: baseline },
      { name: "optimized", detail: "", samples: optimized },
    ],
    manifest: {},
  });
  assert.equal(r.verdict.status, "fail");
  assert.match(r.verdict.headline, /^The optimized phase does not pass: 1 reason below\./);
  assert.deepEqual(r.verdict.reasons, ["SLA p50<=5 missed: measured 24.5"]);
});

Deno.test("singlePhaseReport() and stoppedReport() cover run, interruption and failed tests", () => {
  const samples = phase(20, "run");
  const summary = summarize(samples);
  const results = evaluate(parseSla([], 0, ["p95", "error_rate"]), summary);
  const base = {
    phase: { name: "run", detail: "", samples },
    summary,
    results,
    verdict: decide(results, {}),
    manifest: {},
  };
  assert.equal(singlePhaseReport({ ...base, interrupted: false }).verdict.status, "pass");
  const stopped = singlePhaseReport({ ...base, interrupted: true });
  assert.equal(stopped.verdict.status, "interrupted");
  assert.match(stopped.verdict.headline, /^The run phase was interrupted after 10 requests/);
  assert.deepEqual(singlePhaseReport({ ...base, interrupted: false }).table?.[0], ["", "run"]);
  const early = stoppedReport({
    status: "interrupted",
    headline: "stopped",
    phases: [{ name: "baseline", detail: "", samples }, {
      name: "optimized",
      detail: "",
      samples: [],
    }],
    manifest: {},
  });
  assert.deepEqual(
    early.phases.map((p) => p.name),
    ["baseline", "optimized"],
    "each phase keeps its place",
  );
  assert.equal(early.table, null);
});

Deno.test("metaRows() writes lists with colons and objects as JSON, and leaves out nulls", () => {
  assert.deepEqual(metaRows({ a_b: 1, c: [1, 2], d: null, e: "x" }), [["a b", "1"], ["c", "1:2"], [
    "e",
    "x",
  ]]);
});

Deno.test("compare --html writes report.html beside comparison.json", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_files_" });
  try {
    for (const [name, base] of [["before", 300], ["after", 30]] as const) {
      const log = CsvLogWriter.create(`${dir}/${name}.csv`);
      for (const s of phase(base, name)) log.write(s);
      log.close();
    }
    const plain = await mainCaptured([
      "compare",
      `${dir}/before.csv`,
      `${dir}/after.csv`,
      "--out",
      `${dir}/a`,
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stdout,
      /check conditions_match +NOT MADE +load parameters unknown/,
      "no load parameters beside the logs: the conditions check is not made",
    );
    assert.match(plain.stdout, /verdict: PASS, 1 check not made: conditions_match \(/);
    await assert.rejects(
      Deno.stat(`${dir}/a/report.html`),
      Deno.errors.NotFound,
      "only on request",
    );
    const html = await mainCaptured([
      "compare",
      `${dir}/before.csv`,
      `${dir}/after.csv`,
      "--out",
      `${dir}/b`,
      "--html",
      "--require-checks",
    ]);
    assert.equal(html.code, 1, "--require-checks: a check not made fails");
    assert.match(html.stdout, /wrote .*comparison\.json and comparison\.csv and report\.html/);
    const page = await Deno.readTextFile(`${dir}/b/report.html`);
    assert.match(page, /<div class="badge">FAIL<\/div>/);
    assert.match(page, /<li>check conditions_match not made \(--require-checks\): not made: load/);
    assert.match(page, /<small>\([^)]*before\.csv\)<\/small>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
