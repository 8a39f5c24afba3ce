/**
 * The main job: functional tests, then a baseline phase (serialized stub,
 * fresh connections) and an optimized phase (concurrent stub, pooled
 * connections) under identical inputs and load, then the comparison, the
 * reports and the verdict. Two more cells (serialized stub with pooled
 * connections, concurrent stub with fresh ones) complete a 2 x 2 run whose
 * analysis (analysis.json) shows what each change buys.
 *
 * @module
 */

import { analyzeRun, type CellRun } from "../evidence/analysis.ts";
import { formatAnalysis } from "../report/analysis_text.ts";
import { comparePhases } from "../verdict/compare.ts";
import type { ConnectionPolicy } from "../load/connection.ts";
import { ExitCode } from "../base/errors.ts";
import { EXTRA_CELLS, FACTORIAL_CELLS, runOrder } from "../evidence/factorial.ts";
import type { TestCounts } from "./functional_tests.ts";
import { interruptedReport } from "./interrupt.ts";
import { makeManifest } from "./manifest.ts";
import { DEFAULT_MAX_RESPONSE } from "../load/measure.ts";
import { type PhaseOutcome, runPhase } from "../load/phase_runner.ts";
import { gateComparison, writeJson } from "./gate.ts";
import type { ProgressFactory } from "../report/progress.ts";
import {
  comparisonReport,
  type ReportTargets,
  stoppedReport,
  writeReports,
} from "./report_files.ts";
import type { Sample } from "../stats/sample.ts";
import type { StubProcess, StubStartOptions } from "../stub/process.ts";
import type { UncertaintyOptions } from "../verdict/uncertainty.ts";
import type { StubStats } from "../stub/server.ts";
import { makeSelfSignedCert } from "../stub/tls.ts";
import { analysisSections } from "../report/analysis_sections.ts";
import { buildWorkload } from "../workload/workload.ts";

/** Options of the main job (the defaults make the baseline miss an 800 ms P95). */
export interface JobOptions {
  requests: number;
  concurrency: number;
  timeoutMs: number;
  seed: number;
  /** Stub service time range, ms. */
  serviceMs: [number, number];
  /** SLA thresholds, for example `p95<=800`. */
  sla: string[];
  /** Largest error rate the optimized phase may have. */
  maxErrorRate: number;
  /** Folder for logs and reports. */
  outDir: string;
  /** Skip the functional tests (for the tests themselves, and compiled binaries). */
  skipTests: boolean;
  /** Fault injection: the optimized stub alters the N-th output it serves. */
  alterOutputNth?: number;
  /** Colour in the terminal table. */
  color: boolean;
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** No live progress line. */
  quiet: boolean;
  /** Serve and request over HTTPS with a self-signed certificate made for the run. */
  tls: boolean;
  /** Run the two extra cells of the 2 x 2 run (serialized + pooled, concurrent + fresh). */
  factorial: boolean;
}

/** Defaults of {@linkcode JobOptions}. */
export const JOB_DEFAULTS: JobOptions = {
  requests: 400,
  concurrency: 64,
  timeoutMs: 30_000,
  seed: 42,
  serviceMs: [5, 25],
  sla: [],
  maxErrorRate: 0,
  outDir: "results",
  skipTests: false,
  color: false,
  quiet: false,
  tls: false,
  factorial: true,
};

/** Where the job writes and what it runs; injected by tests. */
export interface JobDeps {
  /** Writes a line of the report (stdout). */
  out: (line: string) => void;
  /** Writes a line of progress (stderr). */
  err: (line: string) => void;
  startStub: (args: string[], options?: StubStartOptions) => Promise<StubProcess>;
  runTests: (junitPath: string) => Promise<TestCounts>;
  /** Aborted on SIGINT / SIGTERM. */
  stop: AbortSignal;
  /** Draws a live progress line for each phase; absent when there is no terminal for it. */
  progress?: ProgressFactory;
  /** `$GITHUB_STEP_SUMMARY`, when set: summary.md is appended to it. */
  stepSummary?: string;
}

interface PhasePlan {
  name: "baseline" | "optimized";
  mode: "serialized" | "concurrent";
  policy: ConnectionPolicy;
}

/** The two phases of the main job. Only these two fields differ between them. */
export const PHASES: readonly PhasePlan[] = [
  { name: "baseline", mode: "serialized", policy: "fresh" },
  { name: "optimized", mode: "concurrent", policy: "pooled" },
];

/** Runs the main job; returns the exit code. */
export async function runJob(options: JobOptions, deps: JobDeps): Promise<number> {
  const { out, err } = deps;
  await Deno.mkdir(options.outDir, { recursive: true });
  const path = (name: string) => `${options.outDir}/${name}`;
  // Before the tests: a missing openssl is bad usage, better said at once.
  const tls = options.tls ? await makeSelfSignedCert() : undefined;
  const reportTargets: ReportTargets = {
    outDir: options.outDir,
    html: true,
    markdown: true,
    stepSummary: deps.stepSummary ?? null,
    err,
  };
  // An interrupted job must not leave the last run's files beside its own.
  for (const plan of [...PHASES, ...EXTRA_CELLS]) {
    for (const ext of [".csv", ".json"]) await Deno.remove(path(plan.name + ext)).catch(() => {});
  }
  await Deno.remove(path("analysis.json")).catch(() => {});

  const tests: TestCounts = options.skipTests
    ? { passed: 0, failed: 0, junit: null, skipped_reason: "skipped (--skip-tests)" }
    : await deps.runTests(path("tests.xml"));
  out(
    `functional tests: ${tests.passed} passed, ${tests.failed} failed${
      tests.skipped_reason ? ` (${tests.skipped_reason})` : ""
    }`,
  );
  if (tests.failed > 0 && !deps.stop.aborted) {
    await writeJson(path("comparison.json"), {
      functional_tests: tests,
      verdict: "fail",
      sla_met: false,
    });
    await writeReports(
      stoppedReport({
        status: "fail",
        headline: `The functional tests failed (${tests.failed} failed); the phases were not run.`,
        phases: [],
        manifest: {},
      }),
      reportTargets,
    );
    err("loadgate: functional verification failed; phases not run");
    return ExitCode.FunctionalTests;
  }

  const workload = await buildWorkload({ seed: options.seed, requests: options.requests });
  const manifest = makeManifest({
    command: "job",
    seed: options.seed,
    workload_digest: workload.digest,
    requests: options.requests,
    concurrency: options.concurrency,
    timeout_ms: options.timeoutMs,
    stub_service_ms: options.serviceMs,
    tls: options.tls,
    note: "load generator and stub share this machine's CPUs over loopback",
  });
  const outcomes: Record<string, PhaseOutcome> = {};
  const samplesOf: Record<string, Sample[]> = {};
  const servers: Record<string, StubStats | null> = {};
  const extra = options.factorial ? EXTRA_CELLS : [];
  for (const plan of runOrder([...PHASES, ...extra])) {
    if (deps.stop.aborted) break;
    const stubArgs = ["--mode", plan.mode, "--service-ms", options.serviceMs.join(":")];
    if (plan.name === "optimized" && options.alterOutputNth !== undefined) {
      stubArgs.push("--alter-nth", String(options.alterOutputNth));
    }
    const stub = await deps.startStub(stubArgs, tls ? { tls } : {});
    err(
      `${plan.name}: ${options.requests} requests, ${options.concurrency} concurrent, ${plan.mode} stub, ${plan.policy} connections${
        tls ? " (https)" : ""
      }`,
    );
    const progress = deps.progress?.(plan.name, { total: options.requests });
    progress?.start();
    try {
      outcomes[plan.name] = await runPhase({
        request: {
          phase: plan.name,
          url: stub.url,
          method: "POST",
          headers: { "content-type": "application/json" },
          workload,
          timeoutMs: options.timeoutMs,
          maxResponseBytes: DEFAULT_MAX_RESPONSE,
          stream: false,
        },
        plan: {
          kind: "closed",
          requests: options.requests,
          concurrency: options.concurrency,
          durationMs: null,
          warmup: 0,
        },
        policy: plan.policy,
        engine: "fetch",
        log: { path: path(`${plan.name}.csv`), extended: false },
        stop: deps.stop,
        keepSamples: true,
        ...(progress ? { onSample: (s: Sample) => progress.record(s) } : {}),
        ...(tls ? { caCerts: [tls.cert] } : {}),
      });
      servers[plan.name] = await stub.stats().catch(() => null);
    } finally {
      progress?.finish();
      await stub.stop();
    }
    const o = outcomes[plan.name]!;
    samplesOf[plan.name] = o.samples;
    await writeJson(path(`${plan.name}.json`), {
      phase: plan.name,
      log: `${plan.name}.csv`,
      stub_mode: plan.mode,
      connection: plan.policy,
      tls: options.tls,
      server: servers[plan.name] ?? null,
      interrupted: o.interrupted,
      load: o.load,
      summary: o.store.summary(),
      manifest,
    });
  }

  const baseline = outcomes.baseline;
  const optimized = outcomes.optimized;
  if (
    deps.stop.aborted || !baseline || !optimized || baseline.interrupted ||
    optimized.interrupted
  ) {
    const report = interruptedReport(PHASES.map((p) => {
      const o = outcomes[p.name];
      return {
        name: p.name,
        planned: options.requests,
        summary: o ? o.store.summary() : null,
        interrupted: o?.interrupted ?? false,
      };
    }));
    err(`loadgate: interrupted; ${report.reasons.slice(1).join("; ")}`);
    err(`loadgate: the logs in ${options.outDir} keep every finished request`);
    await writeJson(path("comparison.json"), { ...report, functional_tests: tests, manifest });
    await writeReports(
      stoppedReport({
        status: "interrupted",
        headline: "The job was interrupted; the plots cover the requests that finished.",
        phases: PHASES.map((p) => ({
          name: p.name,
          detail: phaseDetail(p),
          samples: samplesOf[p.name] ?? [],
        })),
        manifest,
      }),
      reportTargets,
    );
    return ExitCode.Interrupted;
  }

  const [baselineSamples, optimizedSamples] = [samplesOf.baseline!, samplesOf.optimized!];
  const comparison = comparePhases(baselineSamples, optimizedSamples, {
    baseline: baseline.load,
    optimized: optimized.load,
  });
  const cells: CellRun[] = FACTORIAL_CELLS.filter((p) => outcomes[p.name]).map((plan) => ({
    plan,
    samples: samplesOf[plan.name]!,
    load: outcomes[plan.name]!.load,
    server: servers[plan.name] ?? null,
  }));
  const analysis = analyzeRun(cells, { concurrency: options.concurrency, tls: options.tls });
  await writeJson(path("analysis.json"), { ...analysis, manifest });
  out("");
  out(formatAnalysis(analysis));
  // The evidence is part of the verdict: cells that did not do the same work, or
  // connections that do not match their policy, would make the comparison a lie.
  const checks = { ...comparison.checks, ...analysis.checks };
  const gated = { ...comparison, checks };
  const gate = await gateComparison({
    comparison: gated,
    sla: options.sla,
    maxErrorRate: options.maxErrorRate,
    outDir: options.outDir,
    extra: {
      manifest,
      functional_tests: tests,
      phases: Object.fromEntries(
        PHASES.map((
          p,
        ) => [p.name, { stub_mode: p.mode, connection: p.policy, log: `${p.name}.csv` }]),
      ),
      analysis: "analysis.json",
    },
    color: options.color,
    out,
    samples: { baseline: baselineSamples, optimized: optimizedSamples },
    ...(options.uncertainty ? { uncertainty: options.uncertainty } : {}),
  });
  const reports = await writeReports(
    comparisonReport({
      comparison: gated,
      gate,
      phases: [
        { name: "baseline", detail: phaseDetail(PHASES[0]!), samples: baselineSamples },
        { name: "optimized", detail: phaseDetail(PHASES[1]!), samples: optimizedSamples },
      ],
      manifest,
      sections: analysisSections(analysis),
    }),
    reportTargets,
  );
  const files = [
    "baseline.csv optimized.csv baseline.json optimized.json comparison.json comparison.csv",
    ...extra.map((c) => `${c.name}.csv ${c.name}.json`),
    "analysis.json",
    ...reports,
  ].join(" ");
  out(`\nwrote ${options.outDir}/: ${files}${tests.junit ? " tests.xml" : ""}`);
  return gate.exitCode;
}

function phaseDetail(plan: PhasePlan): string {
  return `${plan.mode} stub, ${plan.policy} connections`;
}
