/**
 * The gate: evaluate the SLA on a comparison's optimized phase, decide the
 * verdict, write comparison.json and comparison.csv, print the table. Shared
 * by the main job and `compare`.
 *
 * @module
 */

import type { Comparison } from "../verdict/compare.ts";
import { ExitCode } from "../base/errors.ts";
import { withFailureReasons } from "../verdict/failures.ts";
import { comparisonCsv, formatTable } from "../report/comparison_table.ts";
import type { Sample } from "../stats/sample.ts";
import {
  assessComparison,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
  type UncertaintyReport,
} from "../verdict/uncertainty.ts";
import {
  formatUncertainty,
  intervalVerdictLine,
  uncertaintyCsvColumns,
  uncertaintyFields,
} from "../report/uncertainty_report.ts";
import {
  decide,
  evaluate,
  metricNames,
  type ThresholdResult,
  thresholdsFor,
  type Verdict,
} from "../verdict/verdict.ts";

/** Options of {@linkcode gateComparison}. */
export interface GateOptions {
  comparison: Comparison;
  /** `--sla` expressions (default p95<=800). */
  sla: string[];
  maxErrorRate: number;
  outDir: string;
  /** Extra fields of comparison.json (manifest, phases, functional_tests, ...). */
  extra: Record<string, unknown>;
  color: boolean;
  out: (line: string) => void;
  /** Per-request samples of both phases: with them the gate adds intervals and the interval verdict. */
  samples?: { baseline: readonly Sample[]; optimized: readonly Sample[] };
  /** Confidence and verdict basis (default: 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
}

/** What the gate decided. */
export interface GateResult {
  exitCode: number;
  verdict: Verdict;
  sla: { baseline: ThresholdResult[]; optimized: ThresholdResult[] };
  /** Intervals and the three-state verdict, when samples were given. */
  uncertainty: UncertaintyReport | null;
}

/**
 * Evaluates, writes and prints; returns the exit code (0 pass, 1 fail; with
 * the interval verdict, inconclusive exits 4, or 1 / 0 under --strict / --lenient).
 */
export async function gateComparison(options: GateOptions): Promise<GateResult> {
  const { comparison } = options;
  const thresholds = thresholdsFor(
    options.sla,
    options.maxErrorRate,
    metricNames(comparison.optimized),
  );
  const sla = {
    baseline: evaluate(thresholds, comparison.baseline),
    optimized: evaluate(thresholds, comparison.optimized),
  };
  const verdict = withFailureReasons(
    decide(sla.optimized, comparison.checks),
    comparison.optimized,
  );
  const uOptions = options.uncertainty ?? UNCERTAINTY_DEFAULTS;
  const u = options.samples
    ? assessComparison({
      samples: options.samples,
      summaries: comparison,
      thresholds,
      checks: comparison.checks,
      options: uOptions,
    })
    : null;
  const gating = u !== null && uOptions.verdict === "interval" ? u : null;
  await writeJson(`${options.outDir}/comparison.json`, {
    baseline: comparison.baseline,
    optimized: comparison.optimized,
    delta: comparison.delta,
    checks: comparison.checks,
    sla: { thresholds: sla.optimized, gated_phase: "optimized" },
    sla_met: sla.optimized.every((r) => r.pass),
    verdict: gating ? gating.verdict.state : verdict.pass ? "pass" : "fail",
    reasons: gating ? gating.verdict.reasons : verdict.reasons,
    ...(u ? uncertaintyFields(u, uOptions) : {}),
    ...options.extra,
  });
  await Deno.writeTextFile(
    `${options.outDir}/comparison.csv`,
    comparisonCsv(comparison, sla, u ? uncertaintyCsvColumns(u) : undefined),
  );
  options.out("");
  options.out(formatTable({
    comparison,
    sla,
    verdict,
    color: options.color,
    ...(u ? { beforeVerdict: formatUncertainty(u, uOptions) } : {}),
    ...(gating ? { verdictLine: (paint) => intervalVerdictLine(gating, paint) } : {}),
  }));
  const exitCode = gating ? gating.verdict.exit_code : verdict.pass ? ExitCode.Pass : ExitCode.Fail;
  return { exitCode, verdict, sla, uncertainty: u };
}

/** Writes `value` as indented JSON (NaN becomes null). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}
