/**
 * The main job: functional tests, then a baseline phase (serialized stub,
 * fresh connections) and an optimized phase (concurrent stub, pooled
 * connections) under identical inputs and load, then the comparison, the
 * reports and the verdict.
 *
 * @module
 */

import { comparePhases } from "./compare.ts";
import type { ConnectionPolicy } from "./connection.ts";
import { readLog } from "./csv_log.ts";
import { ExitCode } from "./errors.ts";
import type { TestCounts } from "./functional_tests.ts";
import { makeManifest } from "./manifest.ts";
import { type PhaseOutcome, runPhase } from "./phase.ts";
import { gateComparison, writeJson } from "./gate.ts";
import type { StubProcess } from "./stub_process.ts";
import { buildWorkload } from "./workload.ts";

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
}

/** Defaults of {@linkcode JobOptions}. */
export const JOB_DEFAULTS: JobOptions = {
  requests: 400,
  concurrency: 32,
  timeoutMs: 30_000,
  seed: 42,
  serviceMs: [10, 50],
  sla: [],
  maxErrorRate: 0,
  outDir: "results",
  skipTests: false,
  color: false,
};

/** Where the job writes and what it runs; injected by tests. */
export interface JobDeps {
  /** Writes a line of the report (stdout). */
  out: (line: string) => void;
  /** Writes a line of progress (stderr). */
  err: (line: string) => void;
  startStub: (args: string[]) => Promise<StubProcess>;
  runTests: (junitPath: string) => Promise<TestCounts>;
  /** Aborted on SIGINT / SIGTERM. */
  stop: AbortSignal;
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

  const tests: TestCounts = options.skipTests
    ? { passed: 0, failed: 0, junit: null, skipped_reason: "skipped (--skip-tests)" }
    : await deps.runTests(path("tests.xml"));
  out(
    `functional tests: ${tests.passed} passed, ${tests.failed} failed${
      tests.skipped_reason ? ` (${tests.skipped_reason})` : ""
    }`,
  );
  if (tests.failed > 0) {
    await writeJson(path("comparison.json"), {
      functional_tests: tests,
      verdict: "fail",
      sla_met: false,
    });
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
    note: "load generator and stub share this machine's CPUs over loopback",
  });
  const outcomes: Record<string, PhaseOutcome> = {};
  for (const plan of PHASES) {
    if (deps.stop.aborted) break;
    const stubArgs = ["--mode", plan.mode, "--service-ms", options.serviceMs.join(":")];
    if (plan.name === "optimized" && options.alterOutputNth !== undefined) {
      stubArgs.push("--alter-nth", String(options.alterOutputNth));
    }
    const stub = await deps.startStub(stubArgs);
    err(
      `${plan.name}: ${options.requests} requests, ${options.concurrency} concurrent, ${plan.mode} stub, ${plan.policy} connections`,
    );
    try {
      outcomes[plan.name] = await runPhase({
        phase: plan.name,
        url: stub.url,
        method: "POST",
        headers: { "content-type": "application/json" },
        workload,
        requests: options.requests,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        policy: plan.policy,
        logPath: path(`${plan.name}.csv`),
        stop: deps.stop,
      });
    } finally {
      await stub.stop();
    }
    const o = outcomes[plan.name]!;
    await writeJson(path(`${plan.name}.json`), {
      phase: plan.name,
      log: `${plan.name}.csv`,
      stub_mode: plan.mode,
      connection: plan.policy,
      interrupted: o.run.interrupted,
      load: o.load,
      summary: o.summary,
      manifest,
    });
  }

  const baseline = outcomes.baseline;
  const optimized = outcomes.optimized;
  if (
    deps.stop.aborted || !baseline || !optimized || baseline.run.interrupted ||
    optimized.run.interrupted
  ) {
    err(`loadgate: interrupted; the logs in ${options.outDir} keep every finished request`);
    await writeJson(path("comparison.json"), {
      interrupted: true,
      functional_tests: tests,
      manifest,
      sla_met: false,
      verdict: "interrupted",
    });
    return ExitCode.Interrupted;
  }

  // Compare from the logs, as `loadgate compare` would: the phases kept no per-request objects.
  const comparison = comparePhases(
    await readLog(path("baseline.csv")),
    await readLog(path("optimized.csv")),
    {
      baseline: baseline.load,
      optimized: optimized.load,
    },
  );
  const gate = await gateComparison({
    comparison,
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
    },
    color: options.color,
    out,
  });
  const files =
    "baseline.csv optimized.csv baseline.json optimized.json comparison.json comparison.csv";
  out(`\nwrote ${options.outDir}/: ${files}${tests.junit ? " tests.xml" : ""}`);
  return gate.exitCode;
}
