/**
 * `loadgate run`: one phase against any URL, with its CSV log, a summary JSON
 * and an SLA gate. Flags are parsed in lib/cli/run_args.ts.
 *
 * @module
 */

import { plannedRequests } from "../load/load_plan.ts";
import {
  behindScheduleNote,
  type FullSummary,
  fullSummary,
  openLoopSummary,
} from "../stats/load_metrics.ts";
import type { ProgressFactory } from "../report/progress.ts";
import { describeRun, resultLines, slaResultLines } from "../report/run_text.ts";
import { formatPhaseUncertainty } from "../report/uncertainty_report.ts";
import { verdictLine } from "../report/verdict_line.ts";
import { judge, type Judgement } from "../verdict/judge.ts";
import {
  assessPhase,
  type LatencyColumns,
  type PhaseUncertaintyReport,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
} from "../verdict/uncertainty.ts";
import type { Sample } from "../stats/sample.ts";
import { planOf, runOnePhase, workloadFor } from "./run_phase.ts";
import { writeRunFiles } from "./run_files.ts";
import { clientBottleneck } from "../load/self_monitor.ts";
import { HISTOGRAM_PRECISION } from "../stats/hdr_histogram.ts";

export { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./run_options.ts";
import { groupsOf, type RunCommandOptions } from "./run_options.ts";

/** Where `run` writes and what it may use. */
export interface RunIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stop: AbortSignal;
  /** Draws a live progress line; absent when there is no terminal for it. */
  progress?: ProgressFactory;
}

/** Runs one phase against `options.url`; returns the exit code. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<number> {
  const plan = planOf(options);
  const planned = plannedRequests(plan);
  const workload = await workloadFor(options, Math.max(planned, options.warmup));
  const logPath = `${options.outDir}/${options.phase}.csv`;
  io.err(describeRun(options, planned));
  const groups = groupsOf(options);
  // Per-request objects only where a metric or the report needs them: memory stays
  // bounded (a few bytes a request) on a plain closed loop of any length.
  const keep = !options.histogram &&
    (groups.openLoop || groups.streaming || options.html || options.warmup > 0);
  for (const line of clientNotes(options)) io.err(line);
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
  const { u, judged } = judgeRun(options, uOptions, {
    summary,
    latencies: keep ? measured : outcome.store.sortedMs(),
    interrupted: outcome.interrupted,
  });
  const behind = groups.openLoop
    ? behindScheduleNote(openLoopSummary(outcome.samples), summary.requests)
    : null;
  const warmups = plan.warmup === 0
    ? 0
    : keep
    ? outcome.samples.length - summary.requests
    : plan.warmup;
  const bottleneck = clientBottleneck(outcome.client);
  if (bottleneck !== null) io.err(bottleneck);
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
    bottleneck,
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

/** The phase's intervals, and the one verdict of the run with its exit code. */
function judgeRun(
  options: RunCommandOptions,
  uOptions: UncertaintyOptions,
  r: { summary: FullSummary; latencies: Sample[] | LatencyColumns; interrupted: boolean },
): { u: PhaseUncertaintyReport; judged: Judgement } {
  const u = assessPhase({
    phase: options.phase,
    samples: r.latencies,
    summary: r.summary,
    thresholds: options.thresholds,
    options: uOptions,
  });
  const judged = judge({
    thresholds: options.thresholds,
    summary: r.summary,
    checks: {},
    interval: uOptions.verdict === "interval" ? u.verdict : null,
    policy: uOptions.inconclusive,
    interrupted: r.interrupted,
  });
  return { u, judged };
}

/** What the user must know about the client before the run: no verification, a histogram. */
function clientNotes(options: RunCommandOptions): string[] {
  const notes: string[] = [];
  if (options.insecure) {
    notes.push(
      "WARNING: --insecure: the server's TLS certificate is NOT verified; anyone on the path " +
        "can answer for it",
    );
  }
  if (options.histogram) {
    notes.push(`latencies kept in a histogram: percentiles are ${HISTOGRAM_PRECISION}`);
  }
  return notes;
}
