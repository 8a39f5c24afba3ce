/**
 * The gate: evaluate the SLA on a comparison's optimized phase, decide the
 * verdict, write comparison.json and comparison.csv, print the table. Shared
 * by the main job and `compare`.
 *
 * @module
 */

import type { Comparison } from "./compare.ts";
import { ExitCode } from "./errors.ts";
import { withFailureReasons } from "./failures.ts";
import { comparisonCsv, formatTable } from "./report.ts";
import {
  decide,
  evaluate,
  metricNames,
  type ThresholdResult,
  thresholdsFor,
  type Verdict,
} from "./verdict.ts";

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
}

/** What the gate decided. */
export interface GateResult {
  exitCode: number;
  verdict: Verdict;
  sla: { baseline: ThresholdResult[]; optimized: ThresholdResult[] };
}

/** Evaluates, writes and prints; returns the exit code (0 pass, 1 fail). */
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
  await writeJson(`${options.outDir}/comparison.json`, {
    baseline: comparison.baseline,
    optimized: comparison.optimized,
    delta: comparison.delta,
    checks: comparison.checks,
    sla: { thresholds: sla.optimized, gated_phase: "optimized" },
    sla_met: sla.optimized.every((r) => r.pass),
    verdict: verdict.pass ? "pass" : "fail",
    reasons: verdict.reasons,
    ...options.extra,
  });
  await Deno.writeTextFile(`${options.outDir}/comparison.csv`, comparisonCsv(comparison, sla));
  options.out("");
  options.out(formatTable({ comparison, sla, verdict, color: options.color }));
  return { exitCode: verdict.pass ? ExitCode.Pass : ExitCode.Fail, verdict, sla };
}

/** Writes `value` as indented JSON (NaN becomes null). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}
