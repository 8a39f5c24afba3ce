/**
 * The files `run` writes after its phase (the CSV log is written as requests
 * complete): the phase summary JSON and, with --html, report.html.
 *
 * @module
 */

import { DEFAULT_PERCENTILES, percentileTable } from "../../stats/percentile_table.ts";
import type { ServerSplit } from "../../load/model_stats.ts";
import { serverSplitSection } from "../../report/server_split.ts";
import type { RetrievalThroughput } from "../../workload/retrieval/workload.ts";
import type { PhaseOutcome } from "../../load/phase_runner.ts";
import type { FullSummary } from "../../stats/load_metrics.ts";
import type { SessionSummary } from "../../stats/llm/session_summary.ts";
import type { SteadyWindowJson } from "../../stats/steady_window.ts";
import type { Sample } from "../../stats/sample.ts";
import { llmDetail } from "../../stats/llm/summary.ts";
import { llmSections } from "../../report/llm_sections.ts";
import type { ReportSection } from "../../report/html/report.ts";
import type { ScrapeJson } from "../../log/scrape_series.ts";
import type { StageSummary } from "../../stats/stage_summary.ts";
import type { Workload } from "../../workload/workload.ts";
import { phaseUncertaintyFields } from "../../report/uncertainty_report.ts";
import type { Judgement } from "../../verdict/judge.ts";
import type { PhaseUncertaintyReport, UncertaintyOptions } from "../../verdict/uncertainty.ts";
import { makeManifest, type Manifest } from "../shared/manifest.ts";
import { singlePhaseReport, writeReports } from "../shared/report_files.ts";
import { type PhaseSummaryJson, writePhaseSummary } from "../shared/result_json.ts";
import { formatSummaryMarkdown } from "../../report/summary_md.ts";
import type { MetricGroups } from "../../stats/load_metrics.ts";
import type { RunTarget } from "./phase.ts";
import type { RunOutputs, RunShape } from "./setup.ts";
import { HISTOGRAM_PRECISION } from "../../stats/histogram/hdr_histogram.ts";

/** What {@linkcode writeRunFiles} writes from. */
export interface RunResult {
  target: RunTarget;
  outputs: RunOutputs;
  shape: RunShape;
  groups: MetricGroups;
  outcome: PhaseOutcome;
  summary: FullSummary;
  /** The measured samples (no warm-ups); empty when the run kept none. */
  measured: Sample[];
  workload: Workload;
  judged: Judgement;
  uncertainty: PhaseUncertaintyReport;
  uOptions: UncertaintyOptions;
  /** The open loop fell behind its schedule: why, or null. */
  behind: string | null;
  warmups: number;
  /** More manifest fields (a shard's `shard`, a coordinated start's `start`). */
  manifestExtra?: Record<string, unknown>;
  /** Where to write the summary JSON (its `.partial` name until the run commits its files). */
  summaryPath: string;
  /** Where report.html goes with --html (its temporary name until the run's files commit). */
  reportPath: string;
  /** `--stages`: each stage's percentiles. */
  stages?: StageSummary[];
  /** Multi-turn sessions: by turn and per session. */
  sessions?: SessionSummary;
  /** The steady window (MSER-5), and whether `--steady` judged it. */
  steady?: SteadyWindowJson & { judged: boolean };
  /** The client-bottleneck warning, or null. */
  bottleneck: string | null;
  err: (line: string) => void;
  /** An `--api` run's manifest fields (API, model, prompt source and digest), or null. */
  llmManifest?: Record<string, unknown> | null;
  /** What `--scrape` read, or null. */
  scrape?: ScrapeJson | null;
  /** kserve-v2: the statistics extension's split of the phase, or null. */
  split?: ServerSplit | null;
  /** Embeddings and rerank: inputs and tokens, and their rates, or null. */
  retrieval?: RetrievalThroughput | null;
}

/** What {@linkcode writeRunFiles} wrote: file names beside the log, the summary, summary.md's text. */
export interface RunFilesWritten {
  written: string[];
  document: PhaseSummaryJson;
  markdown: string;
}

/** Writes `<phase>.json` (and report.html with --html); returns the names written and the summary. */
export async function writeRunFiles(r: RunResult): Promise<RunFilesWritten> {
  const { outputs, groups } = r;
  const { url } = r.target.request;
  const { dataset } = r.shape;
  const manifest = makeManifest({
    command: "run",
    seed: r.workload.seed,
    workload_digest: r.workload.digest,
    ...(dataset === null ? {} : { dataset: dataset.path, dataset_order: dataset.order }),
    ...r.manifestExtra,
    ...(r.llmManifest ?? {}),
  });
  const document = runSummaryJson(r, manifest);
  await writePhaseSummary(r.summaryPath, document);
  const report = singlePhaseReport({
    phase: {
      name: outputs.phase,
      detail: `${r.target.client.policy} connections, ${url}`,
      samples: r.measured,
    },
    summary: r.summary,
    results: r.judged.results,
    verdict: r.judged.verdict,
    interrupted: r.outcome.interrupted,
    manifest: { ...manifest, url, ...r.outcome.load },
    ...(groups.llm || groups.streaming || groups.goodput || r.scrape || r.split
      ? { sections: [...runLlmSections(r), ...splitSections(r)] }
      : {}),
  });
  const reports = outputs.html
    ? await writeReports(
      report,
      {
        outDir: outputs.outDir,
        html: true,
        htmlPath: r.reportPath,
        markdown: false,
        stepSummary: null,
        err: r.err,
      },
    )
    : [];
  const written = [`${outputs.phase}.json`, ...reports];
  return { written, document, markdown: formatSummaryMarkdown(report) };
}

/** The summary JSON of a run: the phase, its load, its summary and its verdict. */
export function runSummaryJson(r: RunResult, manifest: Manifest): PhaseSummaryJson {
  const { outcome, judged, groups } = r;
  const { client } = r.target;
  const { phase } = r.outputs;
  const { openLoop } = r.shape;
  return {
    phase,
    log: `${phase}.csv`,
    url: r.target.request.url,
    connection: client.policy,
    engine: client.engine,
    ...(client.http2 ? { http2: true } : {}),
    ...(client.insecure ? { insecure: true } : {}),
    interrupted: outcome.interrupted,
    load: outcome.load,
    summary: r.summary,
    ...(r.warmups > 0 ? { warmup_requests: r.warmups } : {}),
    ...(r.stages ? { stages: r.stages } : {}),
    ...(r.sessions ? { sessions: r.sessions } : {}),
    ...(r.steady ? { steady_state: r.steady } : {}),
    ...(openLoop
      ? {
        open_loop: {
          rate: openLoop.rate,
          arrival: openLoop.arrival,
          ...(openLoop.burstiness === undefined ? {} : { burstiness: openLoop.burstiness }),
          max_in_flight: openLoop.maxInFlight,
          cap_waits: outcome.capWaits,
          fell_behind: r.behind !== null,
          note: r.behind,
        },
      }
      : {}),
    ...(groups.llm || groups.goodput
      ? { llm: llmDetail(r.measured, r.summary.duration_s, groups.goodput ?? null) }
      : {}),
    ...(client.histogram ? {} : {
      percentiles: percentileTable(r.measured, r.outputs.percentiles ?? DEFAULT_PERCENTILES),
    }),
    ...(r.scrape ? { server_metrics: r.scrape } : {}),
    ...(r.split ? { server_split: r.split } : {}),
    ...(r.retrieval ? { retrieval: r.retrieval } : {}),
    client: { ...outcome.client, preconnected: outcome.preconnected, bottleneck: r.bottleneck },
    ...(client.histogram
      ? { latency_store: { kind: "histogram" as const, precision: HISTOGRAM_PRECISION } }
      : {}),
    sla: { thresholds: judged.results },
    sla_met: judged.results.every((t) => t.pass),
    verdict: outcome.interrupted ? "interrupted" : judged.verdict.state,
    reasons: judged.verdict.reasons,
    ...phaseUncertaintyFields(r.uncertainty, r.uOptions),
    manifest,
  };
}

/** The kserve-v2 split's section, when the server offered the statistics extension. */
function splitSections(r: RunResult): ReportSection[] {
  if (!r.split) return [];
  const mean = Number.isFinite(r.summary.mean) ? r.summary.mean : null;
  return [serverSplitSection([{ phase: r.outputs.phase, split: r.split, clientMeanMs: mean }])];
}

/** The LLM sections of a run's report: its streams, tokens, goodput and scraped series. */
function runLlmSections(r: RunResult): ReportSection[] {
  if (!(r.groups.llm || r.groups.streaming || r.groups.goodput || r.scrape)) return [];
  const detail = llmDetail(r.measured, r.summary.duration_s, r.groups.goodput ?? null);
  const phase = {
    name: r.outputs.phase,
    samples: r.measured,
    durationS: r.summary.duration_s,
    detail,
  };
  return llmSections([phase], r.scrape ?? null);
}
