import assert from "node:assert/strict";
import { comparePhases } from "../../lib/verdict/compare.ts";
import { formatTable } from "../../lib/report/comparison_table.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import {
  assessComparison,
  assessPhase,
  phaseIntervals,
  sampleSizeWarnings,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
} from "../../lib/verdict/uncertainty.ts";
import {
  formatPhaseUncertainty,
  formatUncertainty,
  uncertaintyCsvColumns,
  uncertaintyFields,
} from "../../lib/report/uncertainty_report.ts";
import { evaluate, metricNames, parseSla } from "../../lib/verdict/threshold.ts";
import { makeSample } from "../_helpers.ts";

/** n samples whose latencies spread evenly over [from, to]. */
function phase(n: number, from: number, to: number, name = "baseline"): Sample[] {
  return Array.from(
    { length: n },
    (_, i) =>
      makeSample({ requestId: i, phase: name, latencyMs: from + ((to - from) * (i + 0.5)) / n }),
  );
}

function assess(before: Sample[], after: Sample[], sla: string[], options: UncertaintyOptions) {
  const comparison = comparePhases(before, after, { baseline: null, optimized: null });
  // Conditions are unknown without load parameters; these tests are about the SLA.
  const checks = { inputs_identical: comparison.checks.inputs_identical };
  const thresholds = parseSla(sla, 0, metricNames(comparison.optimized));
  return {
    comparison,
    u: assessComparison({
      samples: { baseline: before, optimized: after },
      summaries: comparison,
      thresholds,
      checks,
      options,
    }),
    thresholds,
  };
}

Deno.test("assessComparison(): a P95 straddling the SLA is inconclusive, with a request estimate", () => {
  const { u } = assess(phase(400, 900, 1100), phase(400, 0, 831.6, "optimized"), ["p95<=800"], {
    ...UNCERTAINTY_DEFAULTS,
    verdict: "interval",
  });
  assert.equal(u.verdict.state, "inconclusive");
  assert.equal(u.verdict.exit_code, 4);
  const p95 = u.sla.optimized.find((r) => r.metric === "p95")!;
  assert.ok(p95.requests_to_settle! > 400 && p95.requests_to_settle! < 10_000);
  // The baseline is wholly over the SLA.
  assert.equal(u.sla.baseline.find((r) => r.metric === "p95")!.state, "fail");
  // Clearly separated phases: every difference interval excludes 0.
  for (const d of u.json.difference.intervals) {
    assert.equal(d.direction, "lower", `P${d.percentile}`);
  }
  assert.deepEqual(u.json.warnings, []);
});

Deno.test("assessComparison(): identical phases give difference intervals that contain 0", () => {
  const { u } = assess(
    phase(400, 10, 50),
    phase(400, 10, 50, "optimized"),
    [],
    UNCERTAINTY_DEFAULTS,
  );
  assert.ok(u.json.difference.intervals.every((d) => d.contains_zero && d.estimate === 0));
  assert.equal(u.verdict.state, "pass");
});

Deno.test("sampleSizeWarnings() names each percentile with too few requests, once", () => {
  const p = phaseIntervals(phase(50, 1, 100), 0.95);
  const w = sampleSizeWarnings("optimized", p.intervals, 0);
  assert.deepEqual(w.map((x) => [x.metric, x.requests, x.min_requests]), [
    ["p95", 50, 72],
    ["p99", 50, 368],
  ]);
  assert.match(
    w[1]!.message,
    /^optimized p99 rests on 50 requests: its 95% interval is unbounded above \(a two-sided 95% interval needs at least 368 requests\)$/,
  );
  // With failures, the success-only percentiles rest on fewer requests and are named too.
  const some = phase(80, 1, 100).map((
    s,
    i,
  ) => (i < 20 ? { ...s, ok: false, error: "timeout" as const } : s));
  const failed = sampleSizeWarnings("baseline", phaseIntervals(some, 0.95).intervals, 20);
  assert.deepEqual(failed.map((x) => x.metric), ["p99", "ok_p95", "ok_p99"]);
  const none = sampleSizeWarnings("baseline", phaseIntervals([], 0.95).intervals, 0);
  assert.match(none[0]!.message, /^baseline p50 has no requests/);
});

Deno.test("the report shows intervals, differences, warnings and the interval verdict", () => {
  const before = phase(100, 900, 1100);
  const after = phase(100, 0, 831.6, "optimized");
  const { u, comparison, thresholds } = assess(before, after, ["p95<=800"], UNCERTAINTY_DEFAULTS);
  const lines = formatUncertainty(u, UNCERTAINTY_DEFAULTS);
  assert.match(lines[0]!, /^95% intervals +baseline +optimized +optimized - baseline$/);
  const p99 = lines.find((l) => l.startsWith("p99 (ms)"))!;
  assert.match(p99, /\[\d+\.?\d*, unbounded\] +\[\d+\.?\d*, unbounded\] +\[-\d+.*\] lower$/);
  assert.ok(lines.some((l) => /^warning: optimized p99 rests on 100 requests/.test(l)));
  assert.ok(lines.some((l) => l.startsWith("percentiles: binomial order statistics")));
  assert.match(lines.at(-1)!, /^interval verdict: INCONCLUSIVE \(informational/);

  const sla = {
    baseline: evaluate(thresholds, comparison.baseline),
    optimized: evaluate(thresholds, comparison.optimized),
  };
  const gating = { ...UNCERTAINTY_DEFAULTS, verdict: "interval" as const };
  const table = formatTable({
    comparison,
    sla,
    verdict: u.verdict,
    verdictWords: { confidence: gating.confidence, policy: gating.inconclusive },
    color: false,
    beforeVerdict: formatUncertainty(u, gating),
  });
  const last = table.split("\n").at(-1)!;
  assert.match(
    last,
    /^verdict: INCONCLUSIVE \(SLA p95<=800 inconclusive: the 95% interval \[.*\] straddles 800; about \d+ requests would likely settle it\) \[exit 4\]$/,
  );
  assert.ok(!table.includes("verdict: PASS"));
});

Deno.test("comparison.json fields and CSV columns carry the intervals (null when unbounded)", () => {
  const { u } = assess(
    phase(100, 900, 1100),
    phase(100, 0, 700, "optimized"),
    ["p95<=800"],
    UNCERTAINTY_DEFAULTS,
  );
  const json = JSON.parse(JSON.stringify(uncertaintyFields(u, UNCERTAINTY_DEFAULTS)));
  assert.equal(json.verdict_basis, "point");
  assert.equal(json.interval_verdict.state, "pass");
  assert.equal(json.interval_verdict.gating, false);
  assert.equal(json.uncertainty.confidence, 0.95);
  assert.equal(json.uncertainty.intervals.optimized.p99.upper, null);
  assert.equal(json.uncertainty.difference.resamples, 2000);
  assert.equal(typeof json.uncertainty.difference.seed, "number");
  assert.deepEqual(Object.keys(json.uncertainty.intervals.baseline), [
    "p50",
    "p95",
    "p99",
    "ok_p50",
    "ok_p95",
    "ok_p99",
  ]);
  const csv = uncertaintyCsvColumns(u);
  assert.equal(csv.header.length, csv.baseline.length);
  assert.equal(csv.optimized[csv.header.indexOf("p99_ci_high_ms")], "");
  assert.equal(csv.optimized.at(-1), "pass");
  assert.equal(csv.baseline.at(-1), "fail");
});

Deno.test("assessPhase() judges one phase for run", () => {
  const samples = phase(60, 1, 20, "run");
  const summary = comparePhases(samples, samples, { baseline: null, optimized: null }).optimized;
  const options = {
    ...UNCERTAINTY_DEFAULTS,
    verdict: "interval" as const,
    inconclusive: "fail" as const,
  };
  const u = assessPhase({
    phase: "run",
    samples,
    summary,
    thresholds: parseSla([], 0, metricNames(summary)),
    options,
  });
  assert.equal(u.verdict.state, "inconclusive");
  assert.equal(u.verdict.exit_code, 1);
  const lines = formatPhaseUncertainty(u, options);
  assert.match(
    lines[0]!,
    /^95% intervals \(ms\): p50 \[.*\], p95 \[.*, unbounded\], p99 \[.*, unbounded\]$/,
  );
  assert.match(lines.at(-1)!, /about 72 requests would likely settle it\)$/);
  // Not gating, the line says so in the words compare and the job use.
  const informational = formatPhaseUncertainty(u, { ...options, verdict: "point" }).at(-1)!;
  assert.match(
    informational,
    /^interval verdict: INCONCLUSIVE \(.*settle it\) \(informational; --verdict interval gates on it\)$/,
  );
});
