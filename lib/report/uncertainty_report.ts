/**
 * Reports of the uncertainty: the terminal block under the before/after
 * table, the verdict line, the comparison.json fields and the extra
 * comparison.csv columns. Pure: they return text and values.
 *
 * @module
 */

import type { IntervalThresholdResult, IntervalVerdict } from "../verdict/interval_verdict.ts";
import type { InconclusivePolicy, VerdictBasis, VerdictState } from "../verdict/verdict.ts";
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

/** `interval_verdict` of a result file: the interval verdict, gating or not. */
export interface IntervalVerdictJson {
  state: VerdictState;
  confidence: number;
  /** Whether it set the exit code (`--verdict interval`). */
  gating: boolean;
  inconclusive_policy: InconclusivePolicy;
  exit_code: number;
  reasons: string[];
  /** The thresholds judged on the gated phase's intervals. */
  thresholds: IntervalThresholdResult[];
  /** comparison.json only: the gated phase, and the thresholds judged on the baseline. */
  gated_phase?: "optimized";
  baseline_thresholds?: IntervalThresholdResult[];
}

/** The uncertainty fields of a result file. */
export interface UncertaintyFields<J> {
  verdict_basis: VerdictBasis;
  uncertainty: J;
  interval_verdict: IntervalVerdictJson;
}

function intervalVerdictJson(
  v: IntervalVerdict,
  confidence: number,
  options: UncertaintyOptions,
  thresholds: IntervalThresholdResult[],
): IntervalVerdictJson {
  return {
    state: v.state,
    confidence,
    gating: options.verdict === "interval",
    inconclusive_policy: v.inconclusive_policy,
    exit_code: v.exit_code,
    reasons: v.reasons,
    thresholds,
  };
}

/** The fields the gate adds to comparison.json. */
export function uncertaintyFields(
  u: UncertaintyReport,
  options: UncertaintyOptions,
): UncertaintyFields<UncertaintyReport["json"]> {
  return fieldsOf(u.json, options, {
    ...intervalVerdictJson(u.verdict, u.json.confidence, options, u.sla.optimized),
    gated_phase: "optimized",
    baseline_thresholds: u.sla.baseline,
  });
}

/** The fields `run` adds to its phase summary. */
export function phaseUncertaintyFields(
  u: PhaseUncertaintyReport,
  options: UncertaintyOptions,
): UncertaintyFields<PhaseUncertaintyReport["json"]> {
  return fieldsOf(
    u.json,
    options,
    intervalVerdictJson(u.verdict, u.json.confidence, options, u.sla),
  );
}

function fieldsOf<J>(
  json: J,
  options: UncertaintyOptions,
  verdict: IntervalVerdictJson,
): UncertaintyFields<J> {
  return { verdict_basis: options.verdict, uncertainty: json, interval_verdict: verdict };
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
  // Not gating, it ends as compare's and the job's line does: "(informational; ...)".
  lines.push(
    `interval verdict: ${v.state.toUpperCase()}${
      v.reasons.length ? ` (${v.reasons.join("; ")})` : ""
    }${options.verdict === "interval" ? "" : " (informational; --verdict interval gates on it)"}`,
  );
  return lines;
}
