/**
 * The options and dependencies of the main job, as its flag parser
 * (lib/commands/job/flags.ts) and tests build them, and its two phases.
 *
 * @module
 */

import type { OutputCheck } from "../../verdict/compare.ts";
import type { CiTargets } from "../shared/ci_outputs.ts";
import type { EngineName } from "../../load/engine.ts";
import type { ProgressFactory } from "../shared/progress.ts";
import { summarize } from "../../stats/stats.ts";
import type { StubProcess, StubStartOptions } from "../../stub/spawn.ts";
import { metricNames, parseSla, type Threshold } from "../../verdict/threshold.ts";
import type { UncertaintyOptions } from "../../verdict/uncertainty.ts";
import type { TestCounts } from "./functional_tests.ts";
import { type CellPlan, MAIN_CELLS } from "../../evidence/factorial.ts";
import type { OpenAiApi } from "../../workload/openai_request.ts";

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
  /** `--tests-junit`: the JUnit report of a test run made just before, read instead of running. */
  testsJunit?: string;
  /** `--verbose`: the test runner's output on stderr as it comes. */
  verbose?: boolean;
  /** `--details`: the 2 x 2 evidence, intervals and queueing printed too. */
  details?: boolean;
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
  /** `--api`: the proof against the stub's OpenAI API (serialized vs batched handler). */
  api?: OpenAiApi | null;
  /** `--api kserve-v2`: the proof against the stub's KServe v2 model. */
  kserve?: boolean;
  /** `--api kserve-v2-grpc`: the same, over gRPC (the stub's `--grpc-port`). */
  kserveGrpc?: boolean;
  /** `--workload conversations`: multi-turn sessions, the stub without vs with its prefix cache. */
  workload?: "synthetic" | "conversations";
  /** HTTP client of the phases (`--engine`; default fetch, the client the job is about). */
  engine?: EngineName;
  /** What outputs_identical compares, in the comparison and the 2 x 2 cells alike (`exact`). */
  outputCheck?: OutputCheck;
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
  runTests: (paths: TestPaths) => Promise<TestCounts>;
  /** Aborted on SIGINT / SIGTERM. */
  stop: AbortSignal;
  /** Draws a live progress line for each phase; absent when there is no terminal for it. */
  progress?: ProgressFactory;
  /** `$GITHUB_STEP_SUMMARY`, when set: summary.md is appended to it. */
  stepSummary?: string;
  /** JUnit, Prometheus, JSON on stdout (the step summary goes through `stepSummary`). */
  ci?: CiTargets;
}

/** Where the functional tests write their JUnit report and the runner's whole output. */
export interface TestPaths {
  junit: string;
  log: string;
}

/** One cell of the job: its name, the stub's mode and the connection policy. */
export type PhasePlan = CellPlan;

/**
 * The two phases of the main job, baseline then optimized (only the mode and
 * the policy differ between them): two of the four cells, declared once in
 * lib/evidence/factorial.ts.
 */
export const PHASES: readonly PhasePlan[] = MAIN_CELLS;
