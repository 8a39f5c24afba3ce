/**
 * What `run` settles before its phase starts: the load plan, the workload
 * (seeded, a dataset, or an `--api` prompt source), the files it will write
 * and whether per-request samples are kept.
 *
 * @module
 */

import { type LoadPlan, ownRequests, plannedRequests } from "../../load/load_plan.ts";
import type { MetricGroups } from "../../stats/load_metrics.ts";
import type { Workload } from "../../workload/workload.ts";
import { type LlmWorkload, llmWorkload } from "./llm/workload.ts";
import { PhaseFiles, reportOfPhase } from "../shared/phase_files.ts";
import { type TraceReplay, traceReplayOf } from "./traffic/trace.ts";
import { ciOutputFiles, outFile, type OutputCheck } from "../shared/output_paths.ts";
import { planOf, workloadFor } from "./phase.ts";
import { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./options.ts";

/** A run's plan, workload and files, before anything is sent. */
export interface RunSetup {
  plan: LoadPlan;
  /** Requests of the whole run (every shard). */
  planned: number;
  /** Requests this process sends (its shard's share). */
  own: number;
  workload: Workload;
  /** The `--api` workload, or null. */
  llm: LlmWorkload | null;
  logPath: string;
  summaryPath: string;
  /** `OUT/report.html`: written (through its temporary name) with --html, else removed. */
  reportPath: string;
  files: PhaseFiles;
  groups: MetricGroups;
  /** Per-request samples are kept (a metric or the report needs them). */
  keep: boolean;
}

/** Builds the plan and workload of a run and names its files (nothing written yet). */
export async function prepareRun(options: RunCommandOptions): Promise<RunSetup> {
  const replay = options.trace ? await traceReplayOf(options.trace, options.seed) : null;
  const plan = planOf(options, replay?.schedule);
  // A shard builds the whole run's workload (one digest in every shard) and sends its share.
  const planned = plannedRequests(plan);
  const own = ownRequests(plan);
  const requests = Math.max(planned, options.warmup);
  const llm = options.llm ? await llmWorkloadOf(options, requests, replay) : null;
  const workload = llm?.workload ?? await workloadFor(options, requests);
  const logPath = `${options.outDir}/${options.phase}.csv`;
  const summaryPath = `${options.outDir}/${options.phase}.json`;
  // Written under temporary names, renamed at the end: an earlier run's files stay whole
  // until this run has written its own.
  const reportPath = `${options.outDir}/report.html`;
  // Without --html, an earlier report.html is removed only when it is this phase's (stale).
  const staleReport = !options.html && await reportOfPhase(reportPath, options.phase);
  const files = new PhaseFiles(
    options.html ? [logPath, summaryPath, reportPath] : [logPath, summaryPath],
    staleReport ? [reportPath] : [],
  );
  const groups = groupsOf(options);
  const keep = keepsSamples(options, groups);
  return {
    plan,
    planned,
    own,
    workload,
    llm,
    logPath,
    summaryPath,
    reportPath,
    files,
    groups,
    keep,
  };
}

/**
 * Per-request objects only where a metric or the report needs them: memory stays
 * bounded (a few bytes a request) on a plain closed loop of any length.
 */
function keepsSamples(options: RunCommandOptions, groups: MetricGroups): boolean {
  return !options.histogram &&
    (groups.openLoop || groups.streaming || groups.llm || options.html || options.warmup > 0 ||
      Boolean(options.goodput));
}

/** The workload of an `--api` run (the model discovered when not given). */
function llmWorkloadOf(
  options: RunCommandOptions,
  requests: number,
  replay: TraceReplay | null,
): Promise<LlmWorkload> {
  return llmWorkload(options.llm!, {
    ...(replay ? { replay } : {}),
    url: options.url,
    dataset: options.dataset,
    order: options.datasetOrder,
    seed: options.seed,
    requests: Math.min(requests, DURATION_REQUEST_CAP),
    stream: options.stream,
    timeoutMs: options.timeoutMs,
  });
}

/** Every file a run writes (the log, the summary, the report, `--hlog`, the CI files) and reads. */
export function runOutputs(
  options: RunCommandOptions,
  ci: { junit: string | null; prom: string | null },
): OutputCheck {
  const { outDir, phase } = options;
  return {
    outDir,
    files: [
      ...outFile(outDir, `${phase}.csv`, "log", true),
      ...outFile(outDir, `${phase}.json`, "json", true),
      ...(options.html ? outFile(outDir, "report.html", "html", true) : []),
      ...(options.hlog ? [{ path: options.hlog, kind: "hlog" as const, role: "--hlog" }] : []),
      ...ciOutputFiles(ci),
    ],
    inputs: [
      ...(options.dataset === null ? [] : [options.dataset]),
      ...(options.trace ? [options.trace.path] : []),
    ],
  };
}
