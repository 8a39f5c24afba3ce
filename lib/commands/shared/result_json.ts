/**
 * The two JSON result files, typed: the phase summary (`<phase>.json`, one a
 * phase, from the main job and `run`) and `comparison.json` (from the main
 * job and `compare`). One shape each, one writer each; every field is
 * described in docs/json.md.
 *
 * @module
 */

import type { PercentileTable } from "../../stats/percentile_table.ts";
import type { ConnectionPolicy } from "../../load/connection.ts";
import { writeText } from "./write_text.ts";
import type { EngineName } from "../../load/engine.ts";
import type { LoadParams } from "../../load/load_params.ts";
import type { SelfMonitorSummary } from "../../load/self_monitor.ts";
import type { FullSummary } from "../../stats/load_metrics.ts";
import type { LlmDetail } from "../../stats/llm_summary.ts";
import type { LatencySplit } from "../../evidence/latency_split.ts";
import type { GoodputComparison } from "../../stats/proportion.ts";
import type { PhaseSummary } from "../../stats/stats.ts";
import type { StageSummary } from "../../stats/stage_summary.ts";
import type { StubStats } from "../../stub/server.ts";
import type { Comparison } from "../../verdict/compare.ts";
import type { ThresholdResult } from "../../verdict/threshold.ts";
import type { PhaseUncertaintyReport, UncertaintyReport } from "../../verdict/uncertainty.ts";
import type { IntervalVerdictJson } from "../../report/uncertainty_report.ts";
import type { VerdictBasis, VerdictState } from "../../verdict/verdict.ts";
import type { TestCounts } from "../job/functional_tests.ts";
import type { Manifest } from "./manifest.ts";
import type { ScrapeJson } from "../../log/scrape_series.ts";

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
  /** The HTTP client (`run`). */
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
  /** `--stages`: each stage's requests and percentiles. */
  stages?: StageSummary[];
  /** The chosen percentiles (`--percentiles`) of every latency metric; absent in histogram mode. */
  percentiles?: PercentileTable;
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
  };
  /** `compare --goodput`: the goodput ratios and their difference with an interval. */
  goodput?: GoodputComparison;
  /** Compared although inputs or load differed (`compare --force`). */
  forced?: boolean;
  manifest: Manifest | null;
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

/** Writes `<phase>.json`. */
export async function writePhaseSummary(path: string, json: PhaseSummaryJson): Promise<void> {
  await writeJson(path, json);
}

/** Writes `comparison.json`. */
export async function writeComparison(path: string, json: ComparisonJson): Promise<void> {
  await writeJson(path, json);
}

/** Writes `value` as indented JSON (NaN becomes null). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeText(path, JSON.stringify(value, null, 2) + "\n");
}
