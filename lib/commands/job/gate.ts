/**
 * The main job after its phases: the comparison, the 2 x 2 analysis (whose
 * checks join the verdict), the gate, the reports and the list of files.
 *
 * @module
 */

import { type Analysis, analyzeRun, type CellRun } from "../../evidence/analysis.ts";
import { FACTORIAL_CELLS } from "../../evidence/factorial.ts";
import { analysisSections } from "./analysis_sections.ts";
import { formatAnalysis, formatAnalysisBrief } from "./analysis_text.ts";
import { comparePhases, type Comparison } from "../../verdict/compare.ts";
import type { TestCounts } from "./functional_tests.ts";
import { gateComparison, type GateResult } from "../shared/gate.ts";
import { type JobDeps, type JobOptions, PHASES } from "./options.ts";
import type { CellOutcomes } from "./phases.ts";
import type { PhasePlan } from "./options.ts";
import { phaseDetail } from "./stopped.ts";
import type { Manifest } from "../shared/manifest.ts";
import { comparisonReport, type ReportTargets, writeReports } from "../shared/report_files.ts";
import { writeAnalysis } from "../shared/result_json.ts";
import type { JobLlm } from "./llm.ts";
import { type LlmComparison, llmComparison } from "./llm_comparison.ts";
import { NO_CI_TARGETS, publishGate } from "../shared/ci_outputs.ts";

/** What {@linkcode compareAndGate} works from. */
export interface JobResults {
  options: JobOptions;
  deps: JobDeps;
  /** Every cell that ran; baseline and optimized finished. */
  cells: CellOutcomes;
  tests: TestCounts;
  manifest: Manifest;
  targets: ReportTargets;
  /** The extra cells that were planned. */
  extra: readonly PhasePlan[];
  /** `--api`: the LLM job's groups (streaming and token metrics beside the base ones). */
  llm?: JobLlm | null;
}

/** Compares, analyses, gates and reports; returns the exit code. */
export async function compareAndGate(r: JobResults): Promise<number> {
  const { options, deps, cells } = r;
  const baseline = cells.outcomes.baseline!;
  const optimized = cells.outcomes.optimized!;
  const comparison = comparePhases(baseline.samples, optimized.samples, {
    baseline: baseline.load,
    optimized: optimized.load,
  }, options.outputCheck);
  const llm = r.llm ? llmComparison(comparison, baseline, optimized, r.llm) : null;
  const analysis = await analyseCells(r);
  // The evidence is part of the verdict: cells that did not do the same work, or
  // connections that do not match their policy, would make the comparison a lie.
  const gated = { ...comparison, checks: { ...comparison.checks, ...analysis.checks } };
  const gate = await gateComparison({
    comparison: gated,
    thresholds: options.thresholds,
    outDir: options.outDir,
    extra: {
      manifest: r.manifest,
      functional_tests: r.tests,
      phases: Object.fromEntries(
        PHASES.map((
          p,
        ) => [p.name, {
          stub_mode: p.mode,
          connection: r.llm?.policy ?? p.policy,
          log: `${p.name}.csv`,
        }]),
      ),
      analysis: "analysis.json",
      ...(llm ? { llm: llm.json } : {}),
    },
    color: options.color,
    out: deps.out,
    // The intervals are printed when they decide the verdict or --details asks for them.
    intervals: options.details === true || options.uncertainty?.verdict === "interval",
    samples: { baseline: baseline.samples, optimized: optimized.samples },
    ...(options.uncertainty ? { uncertainty: options.uncertainty } : {}),
  });
  if (llm) { for (const line of llm.lines) deps.out(line); }
  const reports = await writeJobReports(r, { gated, gate, analysis, llm });
  const files = [
    "baseline.csv optimized.csv baseline.json optimized.json comparison.json comparison.csv",
    ...r.extra.map((c) => `${c.name}.csv ${c.name}.json`),
    "analysis.json",
    ...reports,
  ].join(" ");
  deps.out(`\nwrote ${options.outDir}/: ${files}${r.tests.log ? " tests.xml tests.log" : ""}`);
  return gate.exitCode;
}

/** The 2 x 2 analysis of the cells that ran: written to analysis.json and printed. */
async function analyseCells(r: JobResults): Promise<Analysis> {
  const { options, deps, cells } = r;
  const runs: CellRun[] = FACTORIAL_CELLS.filter((p) => cells.outcomes[p.name]).map((plan) => ({
    // A job whose cells share one policy (the conversation job) is checked against it.
    plan: r.llm?.policy ? { ...plan, policy: r.llm.policy } : plan,
    samples: cells.outcomes[plan.name]!.samples,
    load: cells.outcomes[plan.name]!.load,
    server: cells.servers[plan.name] ?? null,
    client: cells.outcomes[plan.name]!.client,
    serverSplit: cells.splits[plan.name] ?? null,
  }));
  const analysis = analyzeRun(runs, {
    concurrency: options.concurrency,
    tls: options.tls,
    ...(options.outputCheck ? { outputCheck: options.outputCheck } : {}),
    ...(options.kserveGrpc ? { grpc: true } : {}),
  });
  await writeAnalysis(`${options.outDir}/analysis.json`, { ...analysis, manifest: r.manifest });
  deps.out("");
  deps.out(options.details ? formatAnalysis(analysis) : formatAnalysisBrief(analysis));
  return analysis;
}

/**
 * The job's reports (summary.md, report.html, ...) and CI outputs; prints the CI files;
 * returns the reports' names.
 */
async function writeJobReports(
  r: JobResults,
  g: { gated: Comparison; gate: GateResult; analysis: Analysis; llm: LlmComparison | null },
): Promise<string[]> {
  const { deps, cells } = r;
  const { gated, gate } = g;
  const baseline = cells.outcomes.baseline!;
  const optimized = cells.outcomes.optimized!;
  const reports = await writeReports(
    comparisonReport({
      comparison: gated,
      gate,
      phases: [
        { name: "baseline", detail: phaseDetail(PHASES[0]!), samples: baseline.samples },
        { name: "optimized", detail: phaseDetail(PHASES[1]!), samples: optimized.samples },
      ],
      manifest: r.manifest,
      sections: [...(g.llm?.sections ?? []), ...analysisSections(g.analysis)],
    }),
    r.targets,
  );
  const ciFiles = await publishGate(
    {
      command: "job",
      results: gate.sla.optimized,
      checks: gated.checks,
      verdict: gate.verdict,
      document: gate.document,
      phases: PHASES.map((p) => ({
        phase: p.name,
        target: "stub",
        summary: p.name === "baseline" ? gated.baseline : gated.optimized,
      })),
      // summary.md is appended to $GITHUB_STEP_SUMMARY by writeReports above.
      markdown: null,
      timestamp: r.manifest.started_at,
    },
    deps.ci ?? NO_CI_TARGETS,
    deps.err,
  );
  if (ciFiles.length > 0) deps.out(`wrote ${ciFiles.join(" and ")}`);
  return reports;
}
