/**
 * `loadgate run`: one phase against any URL, with its CSV log, a summary JSON
 * and an SLA gate. Flags are parsed in lib/commands/run/flags.ts. The log and the
 * summary are written as `.partial` files and renamed at the end
 * ({@linkcode PhaseFiles}).
 *
 * @module
 */

import type { PhaseOutcome } from "../../load/phase_runner.ts";
import { clientBottleneck } from "../../load/self_monitor.ts";
import { startScraper } from "../../load/scraper.ts";
import {
  readModelStats,
  type ServerSplit,
  serverSplit,
  serverSplitLine,
} from "../../load/model_stats.ts";
import { readGrpcModelStats } from "../../load/grpc/client.ts";
import { throughputLine } from "../../workload/retrieval/workload.ts";
import type { ScrapeJson } from "../../log/scrape_series.ts";
import type { FullSummary } from "../../stats/load_metrics.ts";
import type { Sample } from "../../stats/sample.ts";
import type { CommandIo } from "../shared/context.ts";
import type { ProgressFactory } from "../shared/progress.ts";
import { describeRun } from "./text.ts";
import type { Judgement } from "../../verdict/judge.ts";
import { type CiTargets, NO_CI_TARGETS, publishGate } from "../shared/ci_outputs.ts";
import { type RunFilesWritten, writeRunFiles } from "./files.ts";
import { evaluateRun } from "./evaluate.ts";
import { clientNotes, runResultLines, slaNote } from "./lines.ts";
import { runOnePhase } from "./phase.ts";
import { prepareRun, type RunSetup } from "./setup.ts";
import { UNCERTAINTY_DEFAULTS } from "../../verdict/uncertainty.ts";
import { coordinatedStart, shardFields, shardLine } from "./shard.ts";

export { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./options.ts";
import { DURATION_REQUEST_CAP, type RunCommandOptions } from "./options.ts";
import type { ScrapeOptions } from "./llm/options.ts";

/** Where `run` writes and what it may use. */
export interface RunIo extends CommandIo {
  /** Draws a live progress line; absent when there is no terminal for it. */
  progress?: ProgressFactory;
  /** Also sees each measured sample as it completes (a sweep watches for overload); O(1). */
  onSample?: (sample: Sample) => void;
  /** JUnit, Prometheus, JSON on stdout, the job summary (none by default). */
  ci?: CiTargets;
}

/** Runs one phase against `options.url`; returns the exit code. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<number> {
  const { lines, judged, summary, files, logPath, outcome } = await runAndJudge(options, io);
  for (const line of lines) io.out(line);
  const exitCode = await againstHistory(options, io, files.document, judged.exitCode);
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
      latencies: outcome.store.sortedMs().all,
    },
    io.ci ?? NO_CI_TARGETS,
    io.err,
  );
  const written = [...files.written.map((f) => `${options.outDir}/${f}`), ...ciFiles];
  io.out(`wrote ${logPath}${written.map((f) => ` and ${f}`).join("")}`);
  return exitCode;
}

/** `--against-history`: prints the band and where the run falls; the exit code with its state. */
async function againstHistory(
  options: RunCommandOptions,
  io: RunIo,
  document: object,
  exitCode: number,
): Promise<number> {
  const store = io.ci?.history;
  if (!options.againstHistory || !store) return exitCode;
  const { judgeRunAgainstHistory, withHistoryGate } = await import("./history_gate.ts");
  const confidence = options.uncertainty?.confidence ?? UNCERTAINTY_DEFAULTS.confidence;
  const gate = await judgeRunAgainstHistory(
    options.againstHistory,
    store.location,
    document,
    confidence,
  );
  for (const r of gate.results) io.out(r.line);
  io.out(`verdict against history: ${gate.state.toUpperCase()}`);
  return withHistoryGate(exitCode, gate.state);
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
  const setup = await prepareRun(options);
  const { files, plan, target } = setup;
  const { phase } = setup.outputs;
  io.err(describeRun(plan, target, setup.planned, setup.shape.trace));
  const cleared = await files.begin();
  if (cleared !== null) io.err(cleared);
  const { startAtMs } = setup.shape;
  const start = await coordinatedStart({ startAtMs }, io.stop);
  const line = shardLine({ shard: plan.shard, phase }, setup.own, setup.planned, start);
  if (line !== null) io.err(line);
  for (const line of clientNotes(target.client)) io.err(line);
  const sla = slaNote(options);
  if (sla !== null) io.err(sla);
  const { outcome, scrape, split } = await measureRun(options.scrape ?? null, setup, io);
  const ev = evaluateRun(setup, outcome);
  const bottleneck = clientBottleneck(outcome.client);
  if (bottleneck !== null) io.err(bottleneck);
  const written = await writeRunFiles({
    ...ev,
    target,
    outputs: setup.outputs,
    shape: setup.shape,
    groups: setup.groups,
    outcome,
    workload: setup.workload,
    manifestExtra: shardFields({
      options: { shard: plan.shard, startAtMs },
      plan,
      workloadDigest: setup.workload.digest,
      start,
    }),
    summaryPath: files.temp(setup.summaryPath),
    reportPath: files.temp(setup.reportPath),
    bottleneck,
    err: io.err,
    llmManifest: (setup.llm ?? setup.kserve ?? setup.retrieval)?.manifest ?? null,
    scrape,
    split,
    retrieval: setup.retrieval?.throughput(ev.measured, ev.summary.duration_s) ?? null,
  });
  const replaced = await files.commit();
  if (replaced !== null) io.err(replaced);
  const { judged, summary } = ev;
  const lines = runResultLines(setup, ev, outcome);
  if (split !== null) {
    lines.splice(lines.length - 1, 0, serverSplitLine(split, finiteOrNull(summary.mean)));
  }
  const throughput = written.document.retrieval;
  if (throughput) lines.splice(lines.length - 1, 0, throughputLine(throughput));
  const { logPath } = setup;
  return { exitCode: judged.exitCode, lines, outcome, summary, judged, files: written, logPath };
}

/** What each run of a series (a sweep's step) sets: its name, folder, load and length. */
export interface RunStep {
  phase: string;
  outDir: string;
  /** Open-loop rate, or null for a closed loop. */
  rate: number | null;
  /** Workers of the closed loop (and of the warm-up). */
  concurrency: number;
  /** Measured requests, or null for a run bounded by `durationMs` only. */
  requests: number | null;
  durationMs: number | null;
}

/** Runs one step of a series: the same run at another load, quiet, without report.html. */
export type RunSeries = (step: RunStep, io: RunIo) => Promise<RunReport>;

/** The series of runs of `base` (a sweep's parsed `run` flags), one step at a time. */
export function runSeries(base: RunCommandOptions): RunSeries {
  return (step, io) =>
    runAndJudge({
      ...base,
      ...step,
      html: false,
      quiet: true,
      requests: step.requests ?? DURATION_REQUEST_CAP,
    }, io);
}

/** Sends the phase (with `--scrape` around it): the outcome and what the scraper read. */
async function measureRun(
  scrapeTarget: ScrapeOptions | null,
  setup: RunSetup,
  io: RunIo,
): Promise<{ outcome: PhaseOutcome; scrape: ScrapeJson | null; split: ServerSplit | null }> {
  const statsUrl = setup.kserve?.statsUrl;
  const timeoutMs = setup.target.request.timeoutMs;
  const model = setup.kserve?.model ?? null;
  const readStats = () =>
    model?.grpc
      ? readGrpcModelStats(statsUrl!, model, timeoutMs)
      : readModelStats(statsUrl!, (u) => fetch(u, { signal: AbortSignal.timeout(timeoutMs) }));
  const before = statsUrl ? await readStats() : null;
  if (typeof before === "string") io.err(`warning: no server split: ${before}`);
  const scraper = scrapeTarget
    ? await startScraper({ ...scrapeTarget, now: () => performance.now() })
    : null;
  scraper?.phaseStarted();
  const outcome = await runOnePhase({
    target: setup.target,
    plan: setup.plan,
    planned: setup.own,
    workload: setup.workload,
    logPath: setup.files.temp(setup.logPath),
    keepSamples: setup.keep,
    stop: io.stop,
    ...(onBodyOf(setup) ? { onBody: onBodyOf(setup)! } : {}),
    ...(io.progress ? { progress: io.progress } : {}),
    ...(io.onSample ? { onSample: io.onSample } : {}),
  });
  const scrape = scraper ? await scraper.stop() : null;
  for (const warning of scrape?.failures ?? []) io.err(`warning: ${warning}`);
  const after = before !== null && typeof before !== "string" ? await readStats() : null;
  if (typeof after === "string") io.err(`warning: no server split: ${after}`);
  const split = after !== null && typeof after !== "string" && typeof before !== "string" &&
      before !== null
    ? serverSplit(before, after)
    : null;
  return { outcome, scrape, split };
}

/** The hook that reads each answer into its sample: an API's tokens or output check. */
function onBodyOf(setup: RunSetup): ((sample: Sample, body: Uint8Array) => void) | undefined {
  return (setup.llm ?? setup.kserve ?? setup.retrieval)?.onBody;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
