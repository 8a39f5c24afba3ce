/**
 * The main job: functional tests, then a baseline phase (serialized stub,
 * fresh connections) and an optimized phase (concurrent stub, pooled
 * connections) under identical inputs and load, then the comparison, the
 * reports and the verdict. Two more cells (serialized stub with pooled
 * connections, concurrent stub with fresh ones) complete a 2 x 2 run whose
 * analysis (analysis.json) shows what each change buys. Flags are parsed in
 * lib/cli/job_args.ts.
 *
 * @module
 */

import { EXTRA_CELLS, runOrder } from "../evidence/factorial.ts";
import type { ProgressFactory } from "../report/progress.ts";
import { summarize } from "../stats/stats.ts";
import type { StubProcess, StubStartOptions } from "../stub/process.ts";
import { makeSelfSignedCert } from "../stub/tls.ts";
import { metricNames, parseSla, type Threshold } from "../verdict/threshold.ts";
import type { UncertaintyOptions } from "../verdict/uncertainty.ts";
import { buildWorkload } from "../workload/workload.ts";
import type { TestCounts } from "./functional_tests.ts";
import { compareAndGate } from "./job_gate.ts";
import { type PhasePlan, runCells } from "./job_phases.ts";
import { functionalTestsFailed, jobInterrupted } from "./job_stopped.ts";
import { makeManifest } from "./manifest.ts";
import type { ReportTargets } from "./report_files.ts";

/** Metrics a threshold of the main job may name: those of the base phase summary. */
export const JOB_METRICS: readonly string[] = metricNames(summarize([]));

/** Options of the main job (the defaults make the baseline miss an 800 ms P95). */
export interface JobOptions {
  requests: number;
  concurrency: number;
  timeoutMs: number;
  seed: number;
  /** Stub service time range, ms. */
  serviceMs: [number, number];
  /** The SLA on the optimized phase: `--sla` and `--max-error-rate`, parsed once. */
  thresholds: Threshold[];
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
  thresholds: parseSla([], 0, JOB_METRICS),
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

/** The two phases of the main job. Only these two fields differ between them. */
export const PHASES: readonly PhasePlan[] = [
  { name: "baseline", mode: "serialized", policy: "fresh" },
  { name: "optimized", mode: "concurrent", policy: "pooled" },
];

/** Runs the main job; returns the exit code. */
export async function runJob(options: JobOptions, deps: JobDeps): Promise<number> {
  await Deno.mkdir(options.outDir, { recursive: true });
  const path = (name: string) => `${options.outDir}/${name}`;
  // Before the tests: a missing openssl is bad usage, better said at once.
  const tls = options.tls ? await makeSelfSignedCert() : undefined;
  const targets: ReportTargets = {
    outDir: options.outDir,
    html: true,
    markdown: true,
    stepSummary: deps.stepSummary ?? null,
    err: deps.err,
  };
  // An interrupted job must not leave the last run's files beside its own.
  for (const plan of [...PHASES, ...EXTRA_CELLS]) {
    for (const ext of [".csv", ".json"]) await Deno.remove(path(plan.name + ext)).catch(() => {});
  }
  await Deno.remove(path("analysis.json")).catch(() => {});

  const tests: TestCounts = options.skipTests
    ? { passed: 0, failed: 0, junit: null, skipped_reason: "skipped (--skip-tests)" }
    : await deps.runTests(path("tests.xml"));
  deps.out(
    `functional tests: ${tests.passed} passed, ${tests.failed} failed${
      tests.skipped_reason ? ` (${tests.skipped_reason})` : ""
    }`,
  );
  if (tests.failed > 0 && !deps.stop.aborted) {
    return await functionalTestsFailed(tests, targets, deps.err);
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
  const extra = options.factorial ? EXTRA_CELLS : [];
  const cells = await runCells(runOrder([...PHASES, ...extra]), {
    options,
    deps,
    workload,
    manifest,
    tls,
  });
  const { baseline, optimized } = cells.outcomes;
  if (
    deps.stop.aborted || !baseline || !optimized || baseline.run.interrupted ||
    optimized.run.interrupted
  ) {
    return await jobInterrupted({
      phases: PHASES,
      planned: options.requests,
      outcomes: cells.outcomes,
      tests,
      manifest,
      targets,
      err: deps.err,
    });
  }
  return await compareAndGate({ options, deps, cells, tests, manifest, targets, extra });
}
