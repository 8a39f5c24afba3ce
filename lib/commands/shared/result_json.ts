/**
 * The JSON result files, typed: the phase summary (`<phase>.json`, one a
 * phase, from the main job and `run`), the merged summary (`<phase>.json`
 * of `merge`), `comparison.json` (from the main job and `compare`),
 * `analysis.json` (the main job's 2 x 2 run), `sweep.json` (from `sweep`)
 * and `sweep_comparison.json` (from `compare` of two sweeps). One shape each, one writer each; every
 * field is described in docs/json.md.
 *
 * @module
 */

import type { PercentileTable } from "../../stats/percentile_table.ts";
import type { ServerSplit } from "../../load/model_stats.ts";
import type { RetrievalThroughput } from "../../workload/retrieval/workload.ts";
import type { SessionSummary } from "../../stats/llm/session_summary.ts";
import type { SteadyWindowJson } from "../../stats/steady_window.ts";
import type { ConnectionPolicy } from "../../load/connection.ts";
import { writeText } from "./write_text.ts";
import type { EngineName } from "../../load/engine.ts";
import type { LoadParams } from "../../load/load_params.ts";
import type { SelfMonitorSummary } from "../../load/self_monitor.ts";
import type { FullSummary } from "../../stats/load_metrics.ts";
import type { LlmDetail } from "../../stats/llm/summary.ts";
import type { LatencySplit } from "../../evidence/latency_split.ts";
import type { Analysis } from "../../evidence/analysis.ts";
import type { CacheAttribution } from "../../evidence/cache_attribution.ts";
import type { GoodputComparison } from "../../stats/proportion.ts";
import type { PhaseSummary } from "../../stats/stats.ts";
import type { StageSummary } from "../../stats/stage_summary.ts";
import type { StubStats } from "../../stub/server.ts";
import type { Comparison } from "../../verdict/compare.ts";
import type { ThresholdResult } from "../../verdict/threshold.ts";
import type { PhaseUncertaintyReport, UncertaintyReport } from "../../verdict/uncertainty.ts";
import type { IntervalVerdictJson } from "../../report/uncertainty_report.ts";
import type { VerdictBasis, VerdictState } from "../../verdict/verdict.ts";
import type { MergeCheck, ShardFacts } from "../../verdict/merge_checks.ts";
import type { TestCounts } from "../job/functional_tests.ts";
import type { Manifest } from "./manifest.ts";
import type { ScrapeJson } from "../../log/scrape_series.ts";
import type { StepState } from "../sweep/capacity.ts";

/** `verdict` of a result file: the verdict's state, or `interrupted`. */
export type VerdictField = VerdictState | "interrupted";

/** The open-loop block of a phase summary. */
export interface OpenLoopJson {
  rate: number | null;
  arrival: string;
  /** `--burstiness`: the gamma shape of Poisson gaps. */
  burstiness?: number;
  max_in_flight: number | null;
  /** Requests that waited for a slot under --max-in-flight. */
  cap_waits: number;
  fell_behind: boolean;
  note: string | null;
}

/** How busy the client was during the measured requests (`self_monitor.ts`), and its warning. */
export interface ClientLoadJson extends SelfMonitorSummary {
  /** Connections opened before the first request (h1, pooled closed loop); 0 otherwise. */
  preconnected: number;
  /** One line when the client may have set the latencies itself; null otherwise. */
  bottleneck: string | null;
}

/** How the latencies were kept, when not one by one. */
export interface LatencyStoreJson {
  kind: "histogram";
  /** The precision every percentile of `summary` carries. */
  precision: string;
}

/** The gate fields of a phase summary (written by `run`, which gates on its one phase). */
export interface PhaseGateJson {
  sla: { thresholds: ThresholdResult[] };
  sla_met: boolean;
  verdict: VerdictField;
  reasons: string[];
  verdict_basis: VerdictBasis;
  uncertainty: PhaseUncertaintyReport["json"];
  interval_verdict: IntervalVerdictJson;
}

/** `<phase>.json`: one phase's summary (see docs/json.md). */
export interface PhaseSummaryJson extends Partial<PhaseGateJson> {
  phase: string;
  /** The phase's CSV log, beside this file. */
  log: string;
  /** The target (`run`). */
  url?: string;
  /** The stub's handler mode (main job). */
  stub_mode?: "serialized" | "concurrent";
  connection: ConnectionPolicy;
  /** The client (`run`): h1, fetch, or grpc (`--api kserve-v2-grpc`). */
  engine?: EngineName;
  /** HTTP/2 through fetch (`run --http2`). */
  http2?: boolean;
  /** The server's certificate was not verified (`run --insecure`). */
  insecure?: boolean;
  /** The client's own event-loop lag and CPU over the measured requests (`run`). */
  client?: ClientLoadJson;
  /** Latencies kept in a histogram (`run --histogram`): the percentiles' precision. */
  latency_store?: LatencyStoreJson;
  /** HTTPS with a self-signed certificate (main job). */
  tls?: boolean;
  /** What the stub counted (main job); null when it could not tell. */
  server?: StubStats | null;
  interrupted: boolean;
  load: LoadParams;
  summary: FullSummary;
  /** Warm-up requests before the measured ones, when there were any. */
  warmup_requests?: number;
  open_loop?: OpenLoopJson;
  /** `--api` or `--goodput`: vLLM's distributions, tokens, goodput with its SLOs. */
  llm?: LlmDetail;
  /** `--scrape`: the server's metrics before, during and after the phase. */
  server_metrics?: ScrapeJson;
  /** kserve-v2: the server-side split from the statistics extension (docs/protocols.md). */
  server_split?: ServerSplit;
  /** Embeddings and rerank: inputs and tokens sent, and their rates (docs/protocols.md). */
  retrieval?: RetrievalThroughput;
  /** `--stages`: each stage's requests and percentiles. */
  stages?: StageSummary[];
  /** The chosen percentiles (`--percentiles`) of every latency metric; absent in histogram mode. */
  percentiles?: PercentileTable;
  /** Multi-turn sessions: TTFT and E2E by turn, per-session figures. */
  sessions?: SessionSummary;
  /** The steady window (MSER-5) and whether `--steady` judged it. */
  steady_state?: SteadyWindowJson & { judged: boolean };
  manifest: Manifest;
}

/** Fields every phase summary holds. */
export const PHASE_SUMMARY_FIELDS = [
  "phase",
  "log",
  "connection",
  "interrupted",
  "load",
  "summary",
  "manifest",
] as const satisfies readonly (keyof PhaseSummaryJson)[];

/** `<phase>.json` of `merge`: the union of the shards' logs, the merge's checks, the verdict. */
export interface MergedSummaryJson {
  phase: string;
  /** The merged CSV log, beside this file. */
  log: string;
  url: string;
  interrupted: false;
  /** The first shard's `load` (the whole run's load parameters). */
  load: unknown;
  summary: PhaseSummary;
  checks: Record<string, MergeCheck>;
  merge: {
    /** Each shard: its index, folder, rows read and coordinated start. */
    shards: {
      index: number;
      source: string;
      rows: number | undefined;
      start: ShardFacts["start"];
    }[];
    /** Spread of the shards' actual starts, ms; null without `--start-at`. */
    skew_ms: number | null;
    max_skew_ms: number;
  };
  sla: { thresholds: ThresholdResult[] };
  sla_met: boolean;
  verdict: VerdictState;
  reasons: string[];
  verdict_basis: VerdictBasis;
  manifest: Manifest;
}

/** Where each phase of a comparison came from, or how far an interrupted one got. */
export interface PhaseRefJson {
  log?: string;
  /** The foreign format the log was read as (`compare` of another tool's log). */
  format?: string;
  stub_mode?: string;
  connection?: string;
  finished?: number;
  planned?: number;
  summary?: PhaseSummary | null;
}

/** `comparison.json`: before vs after and the verdict (see docs/json.md). */
export interface ComparisonJson {
  /** Null when the job stopped before its comparison (tests failed, interrupted). */
  baseline: PhaseSummary | null;
  optimized: PhaseSummary | null;
  delta: Record<string, number> | null;
  checks: Comparison["checks"] | null;
  sla: { thresholds: ThresholdResult[]; gated_phase: "optimized" } | null;
  sla_met: boolean;
  verdict: VerdictField;
  reasons: string[];
  /** Checks that could not be made (a foreign log has no digests), by name; never counted as held. */
  checks_not_made?: string[];
  verdict_basis?: VerdictBasis;
  uncertainty?: UncertaintyReport["json"];
  interval_verdict?: IntervalVerdictJson;
  /** Set (true) when the job was interrupted, with the phase the signal cut. */
  interrupted?: true;
  interrupted_phase?: string | null;
  phases: Record<string, PhaseRefJson>;
  /** The functional tests before the phases (main job). */
  functional_tests?: TestCounts;
  /** The 2 x 2 analysis file, beside this one (main job). */
  analysis?: string;
  /** LLM runs: each phase's distributions and tokens, and where the time went. */
  llm?: {
    baseline: LlmDetail;
    optimized: LlmDetail;
    latency_split: { baseline: LatencySplit; optimized: LatencySplit };
    /** The conversation job: the prefix cache's share of the TTFT change. */
    cache_attribution?: CacheAttribution;
  };
  /** `compare --goodput`: the goodput ratios and their difference with an interval. */
  goodput?: GoodputComparison;
  /** Compared although inputs or load differed (`compare --force`). */
  forced?: boolean;
  manifest: Manifest | null;
}

/** `analysis.json`: the main job's 2 x 2 analysis (see docs/evidence.md), with its manifest. */
export interface AnalysisJson extends Analysis {
  manifest: Manifest;
}

/** Fields every comparison.json holds. */
export const COMPARISON_FIELDS = [
  "baseline",
  "optimized",
  "delta",
  "checks",
  "sla",
  "sla_met",
  "verdict",
  "reasons",
  "phases",
  "manifest",
] as const satisfies readonly (keyof ComparisonJson)[];

/** The comparison.json of a job that stopped before comparing: only the verdict fields. */
export function stoppedComparison(
  fields:
    & Pick<ComparisonJson, "verdict" | "reasons" | "phases" | "manifest">
    & Partial<ComparisonJson>,
): ComparisonJson {
  return {
    baseline: null,
    optimized: null,
    delta: null,
    checks: null,
    sla: null,
    sla_met: false,
    ...fields,
  };
}

// sweep.json: read by every sweep renderer (terminal, summary.md, report.html) and by `compare`
// of two sweeps.

/** One step of a sweep, as sweep.json holds it. Times in ms, rates in requests/s. */
export interface SweepStepJson {
  /** 1-based, in the order the steps ran. */
  step: number;
  /** Its folder under the sweep's (log, summary JSON): `step-01-20`. */
  dir: string;
  /** Offered rate (req/s), or workers with `--sweep-concurrency`. */
  load: number;
  /** Completed requests per second. */
  achieved_rate: number;
  requests: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  error_rate: number;
  /** P99 of how late requests went out against their schedule (0 in a closed loop). */
  schedule_lag_p99_ms: number;
  /** The step's verdict on every `--sla` threshold (inconclusive only with intervals). */
  sla: StepState;
  /** Whether the step's pass or fail was decided (false: inconclusive). */
  conclusive: boolean;
  /** How the capacity counts it (an inconclusive step by --strict/--lenient; default fail). */
  counted: "pass" | "fail";
  /** Why the step is clearly overloaded, or null. */
  overloaded: string | null;
  /** Why the step was cut short (overload seen while it ran), or null. */
  cut_short: string | null;
  /** The step verdict's reasons. */
  reasons: string[];
  /** The `--sla` thresholds the step missed, as `ttft_p95<=150 (measured 182.3)`; [] when none. */
  missed: string[];
  /** A streamed step's TTFT, TPOT and ITL (ms) and output tokens/s; null when it did not stream. */
  llm: SweepStepLlm | null;
}

/** P50, P95 and P99 of one streaming metric over a step (ms; null when nothing measured it). */
export interface StepPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The streaming figures of one step. */
export interface SweepStepLlm {
  ttft: StepPercentiles;
  tpot: StepPercentiles;
  itl: StepPercentiles;
  output_tokens_per_s: number | null;
}

/** `sweep.json`. */
export interface SweepJson {
  command: "sweep";
  mode: "rates" | "search" | "concurrency";
  /** `req/s`, or `workers` for a closed-loop sweep. */
  unit: string;
  url: string;
  /** The `--sla` thresholds every step is judged on. */
  sla: string[];
  verdict_basis: "point" | "interval";
  confidence: number;
  /** How each step ran. */
  step_plan: {
    duration_s: number | null;
    requests: number | null;
    warmup_requests: number;
    cool_down_s: number;
  };
  /** When a step counts as clearly overloaded (null: not checked). */
  overload: { schedule_lag_ms: number | null; error_rate: number; achieved_share: number };
  /** Highest load that passed below every failed one; null when the lowest failed. */
  capacity: number | null;
  /** Lowest load that failed; null when every step passed. */
  lowest_failed: number | null;
  /** Width of [capacity, lowest_failed), or null when not bracketed. */
  resolution: number | null;
  /** A load passed above one that failed. */
  non_monotone: boolean;
  /** Listed loads not run because an earlier step was clearly overloaded. */
  skipped: number[];
  /**
   * Where the latency `metric` starts to rise faster than throughput (load null: no knee in
   * the loads tried); the metric is the first latency the SLA names, else `p95` (E2E).
   */
  knee: { load: number | null; metric: string; elasticities: (number | null)[] };
  steps: SweepStepJson[];
  /** `--min-capacity`: its state and why; null without it. */
  gate: { min_capacity: number; state: StepState; reason: string } | null;
  /** The gate's verdict, `none` without a gate, `interrupted` when a step was stopped. */
  verdict: StepState | "none" | "interrupted";
  /** The step an interruption stopped in (1-based) and its load; null when none was. */
  stopped: { step: number; load: number } | null;
  manifest: Record<string, unknown>;
}

// sweep_comparison.json

/** One load both sweeps ran: each step's figures, and the P95 difference with its interval. */
export interface SweepStepDiff {
  load: number;
  before: SweepStepFigures;
  after: SweepStepFigures;
  /** After minus before, ms; null where a step had no requests. */
  p95_diff: {
    estimate: number | null;
    lower: number | null;
    upper: number | null;
    direction: "lower" | "higher" | "unclear";
  };
}

/** A step's figures in a comparison. */
export interface SweepStepFigures {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  achieved_rate: number;
  error_rate: number;
  /** Its SLA outcome; an overloaded step is a fail. */
  sla: StepState;
}

/** `sweep_comparison.json`. */
export interface SweepComparisonJson {
  command: "compare";
  unit: string;
  before: { folder: string; capacity: number | null; lowest_failed: number | null };
  after: { folder: string; capacity: number | null; lowest_failed: number | null };
  sla: { before: string[]; after: string[] };
  confidence: number;
  method: string;
  steps: SweepStepDiff[];
  verdict: VerdictState;
  reason: string;
  manifest: Record<string, unknown>;
}

/** Writes `<phase>.json`. */
export const writePhaseSummary: (path: string, json: PhaseSummaryJson) => Promise<void> = writeJson;

/** Writes the merged `<phase>.json`. */
export const writeMergedSummary: (path: string, json: MergedSummaryJson) => Promise<void> =
  writeJson;

/** Writes `comparison.json`. */
export const writeComparison: (path: string, json: ComparisonJson) => Promise<void> = writeJson;

/** Writes `analysis.json`. */
export const writeAnalysis: (path: string, json: AnalysisJson) => Promise<void> = writeJson;

/** Writes `sweep.json`. */
export const writeSweepJson: (path: string, json: SweepJson) => Promise<void> = writeJson;

/** Writes `sweep_comparison.json`. */
export const writeSweepComparison: (path: string, json: SweepComparisonJson) => Promise<void> =
  writeJson;

/** Writes `value` as indented JSON (NaN becomes null). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeText(path, JSON.stringify(value, null, 2) + "\n");
}
