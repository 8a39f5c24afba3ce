/**
 * `loadgate run`: one phase against any URL, with its CSV log, a summary JSON
 * and an SLA gate. Flags are parsed in lib/cli/run_args.ts.
 *
 * @module
 */

import type { ConnectionPolicy } from "../load/connection.ts";
import type { DatasetOrder } from "../workload/dataset.ts";
import type { EngineName } from "../load/engine.ts";
import type { Arrival } from "../load/open_loop.ts";
import { scheduleOf } from "../load/load_phase.ts";
import {
  behindScheduleNote,
  type FullSummary,
  fullSummary,
  type MetricGroups,
  openLoopSummary,
} from "../stats/load_metrics.ts";
import type { ProgressFactory } from "../report/progress.ts";
import { resultLines, slaResultLines } from "../report/run_text.ts";
import { describeRun } from "../report/run_text.ts";
import { formatPhaseUncertainty } from "../report/uncertainty_report.ts";
import { verdictLine } from "../report/verdict_line.ts";
import type { Threshold } from "../verdict/threshold.ts";
import { judge } from "../verdict/judge.ts";
import {
  assessPhase,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
} from "../verdict/uncertainty.ts";
import { planOf, runOnePhase, workloadFor } from "./run_phase.ts";
import { writeRunFiles } from "./run_files.ts";

export { DURATION_REQUEST_CAP, planOf } from "./run_phase.ts";

/** Options of {@linkcode runCommand}. */
export interface RunCommandOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A fixed body (from --body), or null for the seeded workload. */
  body: string | null;
  seed: number;
  requests: number;
  concurrency: number;
  timeoutMs: number;
  policy: ConnectionPolicy;
  /** HTTP client: `fetch` (default) or the lean `h1` engine. */
  engine: EngineName;
  phase: string;
  outDir: string;
  /** The SLA: `--sla` and `--max-error-rate`, parsed once by the flag parser. */
  thresholds: Threshold[];
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** No live progress line. */
  quiet: boolean;
  /** Also write report.html. */
  html: boolean;
  /** JSONL file of request bodies, or null. */
  dataset: string | null;
  datasetOrder: DatasetOrder;
  /** Stop starting requests after this many ms, or null (bounded by `requests` only). */
  durationMs: number | null;
  /** Warm-up requests before the measured ones. */
  warmup: number;
  /** Open loop: arrivals per second; null for the closed loop. */
  rate: number | null;
  arrival: Arrival;
  /** Open loop: cap on requests in flight, or null. */
  maxInFlight: number | null;
  /** Parse streamed responses (SSE or JSON lines): TTFT, ITL, TPOT, tokens/s. */
  stream: boolean;
  /** Largest response body read, in bytes; more is a failed request (`body`). */
  maxResponseBytes?: number;
}

/** Where `run` writes and what it may use. */
export interface RunIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stop: AbortSignal;
  /** Draws a live progress line; absent when there is no terminal for it. */
  progress?: ProgressFactory;
}

/** The metric groups a run reports. */
export function groupsOf(options: RunCommandOptions): MetricGroups {
  return { openLoop: options.rate !== null, streaming: options.stream };
}

/** Runs one phase against `options.url`; returns the exit code. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<number> {
  const plan = planOf(options);
  const planned = plan.model === "open" ? scheduleOf(plan).length : plan.requests;
  const workload = await workloadFor(options, Math.max(planned, options.warmup));
  const logPath = `${options.outDir}/${options.phase}.csv`;
  io.err(describeRun(options, planned));
  const groups = groupsOf(options);
  // Per-request objects only where a metric or the report needs them: memory stays
  // bounded (a few bytes a request) on a plain closed loop of any length.
  const keep = groups.openLoop || groups.streaming || options.html || options.warmup > 0;
  const outcome = await runOnePhase({
    options,
    plan,
    planned,
    workload,
    logPath,
    keepSamples: keep,
    stop: io.stop,
    ...(io.progress ? { progress: io.progress } : {}),
  });
  const summary: FullSummary = keep
    ? fullSummary(outcome.samples, groups)
    : outcome.store.summary();
  const measured = outcome.samples.filter((s) => s.warmup !== true);
  const uOptions = options.uncertainty ?? UNCERTAINTY_DEFAULTS;
  const u = assessPhase({
    phase: options.phase,
    samples: keep ? measured : outcome.store.sortedMs(),
    summary,
    thresholds: options.thresholds,
    options: uOptions,
  });
  const judged = judge({
    thresholds: options.thresholds,
    summary,
    checks: {},
    interval: uOptions.verdict === "interval" ? u.verdict : null,
    policy: uOptions.inconclusive,
    interrupted: outcome.interrupted,
  });
  const behind = groups.openLoop
    ? behindScheduleNote(openLoopSummary(outcome.samples), summary.requests)
    : null;
  const warmups = plan.warmup > 0 ? outcome.samples.length - summary.requests : 0;
  const written = await writeRunFiles({
    options,
    outcome,
    summary,
    measured,
    workload,
    judged,
    uncertainty: u,
    uOptions,
    behind,
    warmups,
    err: io.err,
  });
  const lines = [
    ...resultLines({
      phase: options.phase,
      summary,
      groups,
      warmups,
      behind,
      capWaits: outcome.capWaits,
      maxInFlight: options.maxInFlight,
    }),
    ...slaResultLines(judged.results),
    ...formatPhaseUncertainty(u, uOptions),
    verdictLine(judged.verdict, {
      confidence: uOptions.confidence,
      policy: uOptions.inconclusive,
      ...(outcome.interrupted
        ? { interrupted: `${summary.requests} of ${options.requests} requests finished` }
        : {}),
    }),
    `wrote ${logPath}${written.map((f) => ` and ${options.outDir}/${f}`).join("")}`,
  ];
  for (const line of lines) io.out(line);
  return judged.exitCode;
}
