/**
 * The gate of a comparison (the main job, `compare`): judge the optimized
 * phase once, write comparison.json and comparison.csv, print the table and
 * the verdict line; the exit code comes from the same verdict.
 *
 * @module
 */

import type { Comparison } from "../../verdict/compare.ts";
import { writeText } from "./write_text.ts";
import { comparisonCsv, formatTable } from "../../report/comparison_table.ts";
import type { Sample } from "../../stats/sample.ts";
import {
  assessComparison,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
  type UncertaintyReport,
} from "../../verdict/uncertainty.ts";
import {
  formatUncertainty,
  uncertaintyCsvColumns,
  uncertaintyFields,
} from "../../report/uncertainty_report.ts";
import { evaluate, type Threshold, type ThresholdResult } from "../../verdict/threshold.ts";
import type { Verdict } from "../../verdict/verdict.ts";
import { judge } from "../../verdict/judge.ts";
import { type ComparisonJson, writeComparison } from "./result_json.ts";

/** Options of {@linkcode gateComparison}. */
export interface GateOptions {
  comparison: Comparison;
  /** The thresholds, parsed once by the command's flag parser. */
  thresholds: readonly Threshold[];
  outDir: string;
  /** Fields of comparison.json beside the comparison (manifest, phases, functional_tests, ...). */
  extra: Pick<ComparisonJson, "phases" | "manifest"> & Partial<ComparisonJson>;
  color: boolean;
  out: (line: string) => void;
  /** Per-request samples of both phases: with them the gate adds intervals and the interval verdict. */
  samples?: { baseline: readonly Sample[]; optimized: readonly Sample[] };
  /** Confidence and verdict basis (default: 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** Print the intervals before the verdict (default true; always in comparison.json). */
  intervals?: boolean;
}

/** What the gate decided. */
export interface GateResult {
  exitCode: number;
  /** The one verdict: printed, written and turned into the exit code. */
  verdict: Verdict;
  sla: { baseline: ThresholdResult[]; optimized: ThresholdResult[] };
  /** Intervals and the three-state verdict, when samples were given. */
  uncertainty: UncertaintyReport | null;
  /** comparison.json as written. */
  document: ComparisonJson;
}

/**
 * Judges, writes and prints; returns the exit code (0 pass, 1 fail; with
 * the interval verdict, inconclusive exits 4, or 1 / 0 under --strict / --lenient).
 */
export async function gateComparison(options: GateOptions): Promise<GateResult> {
  const { comparison, thresholds } = options;
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
  const judged = judge({
    thresholds,
    summary: comparison.optimized,
    checks: comparison.checks,
    interval: u !== null && uOptions.verdict === "interval" ? u.verdict : null,
    policy: uOptions.inconclusive,
  });
  const sla = { baseline: evaluate(thresholds, comparison.baseline), optimized: judged.results };
  const document: ComparisonJson = {
    baseline: comparison.baseline,
    optimized: comparison.optimized,
    delta: comparison.delta,
    checks: comparison.checks,
    sla: { thresholds: sla.optimized, gated_phase: "optimized" },
    sla_met: sla.optimized.every((r) => r.pass),
    verdict: judged.verdict.state,
    reasons: judged.verdict.reasons,
    ...(judged.verdict.notMade ? { checks_not_made: judged.verdict.notMade } : {}),
    ...(u ? uncertaintyFields(u, uOptions) : {}),
    ...options.extra,
  };
  await writeComparison(`${options.outDir}/comparison.json`, document);
  await writeText(
    `${options.outDir}/comparison.csv`,
    comparisonCsv(comparison, sla, u ? uncertaintyCsvColumns(u) : undefined),
  );
  options.out("");
  options.out(formatTable({
    comparison,
    sla,
    verdict: judged.verdict,
    verdictWords: { confidence: uOptions.confidence, policy: uOptions.inconclusive },
    color: options.color,
    ...(u ? { beforeVerdict: intervalLines(u, uOptions, options.intervals !== false) } : {}),
  }));
  return { exitCode: judged.exitCode, verdict: judged.verdict, sla, uncertainty: u, document };
}

/** The intervals before the verdict; without them, only their warnings (few requests). */
function intervalLines(u: UncertaintyReport, o: UncertaintyOptions, all: boolean): string[] {
  return all ? formatUncertainty(u, o) : u.json.warnings.map((w) => `warning: ${w.message}`);
}
