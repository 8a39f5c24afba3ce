/**
 * Reports of the uncertainty: the terminal block under the before/after
 * table, the verdict line, the comparison.json fields and the extra
 * comparison.csv columns. Pure: they return text and values.
 *
 * @module
 */

import type { IntervalThresholdResult, VerdictState } from "../verdict/interval_verdict.ts";
import { formatConfidence, formatInterval } from "../verdict/interval_verdict.ts";
import type {
  PhaseUncertaintyReport,
  UncertaintyOptions,
  UncertaintyReport,
} from "../verdict/uncertainty.ts";

const SHOWN = ["p50", "p95", "p99"] as const;

/** The state of a phase's thresholds alone: fail, else inconclusive, else pass. */
export function phaseState(results: readonly IntervalThresholdResult[]): VerdictState {
  if (results.some((r) => r.state === "fail")) return "fail";
  if (results.some((r) => r.state === "inconclusive")) return "inconclusive";
  return "pass";
}

/** The block printed between the checks and the verdict. */
export function formatUncertainty(u: UncertaintyReport, options: UncertaintyOptions): string[] {
  const level = formatConfidence(u.json.confidence);
  const rows: string[][] = [[
    `${level} intervals`,
    "baseline",
    "optimized",
    "optimized - baseline",
  ]];
  const d = u.json.difference;
  for (const m of SHOWN) {
    const b = u.json.intervals.baseline[m]!;
    const o = u.json.intervals.optimized[m]!;
    const diff = d.intervals.find((i) => `p${i.percentile}` === m);
    const dcell = diff
      ? `${formatInterval(diff.lower, diff.upper, 1)} ${
        diff.direction === "unclear" ? "no clear change" : diff.direction
      }`
      : "";
    rows.push([
      `${m} (ms)`,
      formatInterval(b.lower, b.upper, 1),
      formatInterval(o.lower, o.upper, 1),
      dcell,
    ]);
  }
  u.sla.optimized.forEach((o, i) => {
    const cell = (r: IntervalThresholdResult | undefined) =>
      r
        ? `${r.state === "pass" ? "pass" : r.state.toUpperCase()}${
          r.basis === "point" ? " (point)" : ""
        }`
        : "-";
    rows.push([`SLA ${o.expr}`, cell(u.sla.baseline[i]), cell(o), ""]);
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : i === 3 ? c : c.padStart(widths[i]!))).join(
      "  ",
    )
      .trimEnd()
  );
  lines.push(
    `percentiles: binomial order statistics (distribution-free); differences: ${d.method}, ` +
      `${d.resamples} resamples, seed ${d.seed}`,
  );
  for (const w of u.json.warnings) lines.push(`warning: ${w.message}`);
  if (options.verdict !== "interval") {
    lines.push(
      `interval verdict: ${u.verdict.state.toUpperCase()} (informational; --verdict interval gates on it)`,
    );
  }
  return lines;
}

/** The verdict line when the interval verdict gates. */
export function intervalVerdictLine(
  u: UncertaintyReport,
  paint: (text: string, code: number) => string,
): string {
  const v = u.verdict;
  const level = formatConfidence(u.json.confidence);
  if (v.state === "pass") {
    return paint(
      `verdict: PASS (every gated percentile's ${level} interval meets the SLA and every check holds)`,
      32,
    );
  }
  if (v.state === "fail") return paint(`verdict: FAIL (${v.reasons.join("; ")})`, 31);
  const how = v.inconclusive_policy === "fail"
    ? "--strict: counts as a fail"
    : v.inconclusive_policy === "pass"
    ? "--lenient: counts as a pass"
    : `exit ${v.exit_code}`;
  return paint(`verdict: INCONCLUSIVE (${v.reasons.join("; ")}) [${how}]`, 33);
}

/** The fields the gate adds to comparison.json. */
export function uncertaintyFields(
  u: UncertaintyReport,
  options: UncertaintyOptions,
): Record<string, unknown> {
  return {
    verdict_basis: options.verdict,
    uncertainty: u.json,
    interval_verdict: {
      state: u.verdict.state,
      confidence: u.json.confidence,
      gating: options.verdict === "interval",
      inconclusive_policy: u.verdict.inconclusive_policy,
      exit_code: u.verdict.exit_code,
      reasons: u.verdict.reasons,
      gated_phase: "optimized",
      thresholds: u.sla.optimized,
      baseline_thresholds: u.sla.baseline,
    },
  };
}

/** Extra comparison.csv columns (appended): interval bounds, empty when unbounded. */
export function uncertaintyCsvColumns(
  u: UncertaintyReport,
): { header: string[]; baseline: string[]; optimized: string[] } {
  const cell = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "");
  const header = SHOWN.flatMap((m) => [`${m}_ci_low_ms`, `${m}_ci_high_ms`]);
  header.push("ci_confidence", "interval_meets_sla");
  const row = (phase: "baseline" | "optimized") => [
    ...SHOWN.flatMap((m) => {
      const iv = u.json.intervals[phase][m]!;
      return [cell(iv.lower), cell(iv.upper)];
    }),
    String(u.json.confidence),
    phaseState(u.sla[phase]),
  ];
  return { header, baseline: row("baseline"), optimized: row("optimized") };
}

/** The lines `run` prints about its one phase. */
export function formatPhaseUncertainty(
  u: PhaseUncertaintyReport,
  options: UncertaintyOptions,
): string[] {
  const level = formatConfidence(u.json.confidence);
  const cells = SHOWN.map((m) => {
    const iv = u.json.intervals[m]!;
    return `${m} ${formatInterval(iv.lower, iv.upper, 1)}`;
  });
  const lines = [`${level} intervals (ms): ${cells.join(", ")}`];
  for (const w of u.json.warnings) lines.push(`warning: ${w.message}`);
  const v = u.verdict;
  lines.push(
    `interval verdict: ${v.state.toUpperCase()}${
      v.reasons.length ? ` (${v.reasons.join("; ")})` : ""
    }${options.verdict === "interval" ? "" : " [informational; --verdict interval gates on it]"}`,
  );
  return lines;
}
