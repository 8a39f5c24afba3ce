/**
 * `loadgate run`: one phase against any URL, with its CSV log, a summary JSON
 * and an SLA gate. Flags are parsed in lib/cli/run_args.ts. The log and the
 * summary are written as `.partial` files and renamed at the end
 * ({@linkcode PhaseFiles}).
 *
 * @module
 */

import { ownRequests, plannedRequests } from "../load/load_plan.ts";
import {
  behindScheduleNote,
  type FullSummary,
  fullSummary,
  openLoopSummary,
} from "../stats/load_metrics.ts";
import type { PhaseOutcome } from "../load/phase_runner.ts";
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
import { stageSummaries } from "../stats/stage_summary.ts";
import { stageLines } from "../report/stages_text.ts";
import { planOf, runOnePhase, workloadFor } from "./run_phase.ts";
import { type LlmWorkload, llmWorkload } from "./llm_workload.ts";
import { startScraper } from "../load/scraper.ts";
import { type RunFilesWritten, writeRunFiles } from "./run_files.ts";
import { coordinatedStart, shardFields, shardLine } from "./shard_run.ts";
import { PhaseFiles } from "./phase_files.ts";
import { type CiTargets, NO_CI_TARGETS, publishGate } from "./ci_outputs.ts";
import { clientBottleneck } from "../load/self_monitor.ts";
import { HISTOGRAM_PRECISION } from "../stats/hdr_histogram.ts";

export { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./run_options.ts";
import { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./run_options.ts";

/** Where `run` writes and what it may use. */
export interface RunIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stop: AbortSignal;
  /** Draws a live progress line; absent when there is no terminal for it. */
  progress?: ProgressFactory;
  /** Also sees each measured sample as it completes (a sweep watches for overload); O(1). */
  onSample?: (sample: Sample) => void;
  /** JUnit, Prometheus, JSON on stdout, the job summary (none by default). */
  ci?: CiTargets;
}

/** Runs one phase against `options.url`; returns the exit code. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<number> {
  const { lines, judged, summary, files, logPath } = await runAndJudge(options, io);
  for (const line of lines) io.out(line);
  const ciFiles = await publishGate(
    {
      command: "run",
      results: judged.results,
      checks: {},
      verdict: judged.verdict,
      document: files.document,
      phases: [{ phase: options.phase, target: options.url, summary }],
      markdown: files.markdown,
      timestamp: files.document.manifest.started_at,
      timeS: summary.duration_s,
    },
    io.ci ?? NO_CI_TARGETS,
    io.err,
  );
  const written = [...files.written.map((f) => `${options.outDir}/${f}`), ...ciFiles];
  io.out(`wrote ${logPath}${written.map((f) => ` and ${f}`).join("")}`);
  return judged.exitCode;
}

/** What a judged run produced: its outcome, summary, judgement, and the lines `run` prints. */
export interface RunReport {
  exitCode: number;
  lines: string[];
  outcome: PhaseOutcome;
  summary: FullSummary;
  judged: Judgement;
  /** The files written beside the log, and the summary document. */
  files: RunFilesWritten;
  logPath: string;
}

/**
 * Runs one phase, writes its files (log, summary JSON, report) and judges it:
 * `run`, and each step of a sweep. Prints only the line before the phase (on `io.err`).
 */
export async function runAndJudge(options: RunCommandOptions, io: RunIo): Promise<RunReport> {
  const plan = planOf(options);
  // A shard builds the whole run's workload (one digest in every shard) and sends its share.
  const planned = plannedRequests(plan);
  const own = ownRequests(plan);
  const requests = Math.max(planned, options.warmup);
  const llm = options.llm ? await llmWorkloadOf(options, requests) : null;
  const workload = llm?.workload ?? await workloadFor(options, requests);
  const logPath = `${options.outDir}/${options.phase}.csv`;
  const summaryPath = `${options.outDir}/${options.phase}.json`;
  // Written under temporary names, renamed at the end: an earlier run's files stay whole
  // until this run has written its own.
  const files = new PhaseFiles(
    [logPath, summaryPath],
    options.html ? [] : [`${options.outDir}/report.html`],
  );
  io.err(describeRun(options, planned));
  const cleared = await files.begin();
  if (cleared !== null) io.err(cleared);
  const start = await coordinatedStart(options, io.stop);
  const line = shardLine(options, own, planned, start);
  if (line !== null) io.err(line);
  const groups = groupsOf(options);
  // Per-request objects only where a metric or the report needs them: memory stays
  // bounded (a few bytes a request) on a plain closed loop of any length.
  const keep = !options.histogram &&
    (groups.openLoop || groups.streaming || groups.llm || options.html || options.warmup > 0 ||
      Boolean(options.goodput));
  for (const line of clientNotes(options)) io.err(line);
  const scraper = options.scrape
    ? await startScraper({ ...options.scrape, now: () => performance.now() })
    : null;
  scraper?.phaseStarted();
  const outcome = await runOnePhase({
    options,
    plan,
    planned: own,
    workload,
    logPath: files.temp(logPath),
    keepSamples: keep,
    stop: io.stop,
    ...(llm ? { onBody: llm.onBody } : {}),
    ...(io.progress ? { progress: io.progress } : {}),
    ...(io.onSample ? { onSample: io.onSample } : {}),
  });
  const scrape = scraper ? await scraper.stop() : null;
  for (const warning of scrape?.failures ?? []) io.err(`warning: ${warning}`);
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
  const stages = options.stages ? stageSummaries(outcome.samples, options.stages) : undefined;
  const written = await writeRunFiles({
    ...(stages ? { stages } : {}),
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
    manifestExtra: shardFields({ options, plan, workloadDigest: workload.digest, start }),
    summaryPath: files.temp(summaryPath),
    bottleneck,
    err: io.err,
    llmManifest: llm?.manifest ?? null,
    scrape,
  });
  const replaced = await files.commit();
  if (replaced !== null) io.err(replaced);
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
    ...(stages ? stageLines(stages) : []),
    ...slaResultLines(judged.results),
    ...formatPhaseUncertainty(u, uOptions),
    verdictLine(judged.verdict, {
      confidence: uOptions.confidence,
      policy: uOptions.inconclusive,
      ...(outcome.interrupted
        ? { interrupted: `${summary.requests} of ${own} requests finished` }
        : {}),
    }),
  ];
  return { exitCode: judged.exitCode, lines, outcome, summary, judged, files: written, logPath };
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

/** The workload of an `--api` run (the model discovered when not given). */
function llmWorkloadOf(options: RunCommandOptions, requests: number): Promise<LlmWorkload> {
  return llmWorkload(options.llm!, {
    url: options.url,
    dataset: options.dataset,
    order: options.datasetOrder,
    seed: options.seed,
    requests: Math.min(requests, DURATION_REQUEST_CAP),
    stream: options.stream,
    timeoutMs: options.timeoutMs,
  });
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
