/**
 * What `run` settles before its phase starts, from its options: the load
 * plan, the workload (seeded, a dataset, or an `--api` prompt source), the
 * target (request and client), how it is judged, the files it will write
 * and whether per-request samples are kept. The stages after it take these
 * pieces, not the options.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { type LoadPlan, ownRequests, plannedRequests } from "../../load/load_plan.ts";
import { DEFAULT_MAX_RESPONSE } from "../../load/measure.ts";
import type { Arrival } from "../../load/open_loop.ts";
import { MAX_STAGED_ARRIVALS } from "../../load/stages.ts";
import type { MetricGroups } from "../../stats/load_metrics.ts";
import { type DatasetOrder, datasetWorkload, readDataset } from "../../workload/dataset.ts";
import { buildWorkload, type Workload, workloadFromBodies } from "../../workload/workload.ts";
import { checkJsonBody } from "../shared/input_checks.ts";
import { PhaseFiles, reportOfPhase } from "../shared/phase_files.ts";
import { ciOutputFiles, outFile, type OutputCheck } from "../shared/output_paths.ts";
import type { Stage } from "../../load/stages.ts";
import type { Threshold } from "../../verdict/threshold.ts";
import type { UncertaintyOptions } from "../../verdict/uncertainty.ts";
import { type LlmWorkload, llmWorkload } from "./llm/workload.ts";
import { type KserveWorkload, kserveWorkload } from "../../workload/kserve/workload.ts";
import { readGrpcMetadata } from "../../load/grpc/client.ts";
import { type RetrievalWorkload, retrievalWorkload } from "../../workload/retrieval/workload.ts";
import { conversationRun } from "./traffic/conversations.ts";
import { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./options.ts";
import type { RunTarget } from "./phase.ts";
import { type TraceReplay, traceReplayOf } from "./traffic/trace.ts";

/** Distinct seeded bodies built for a run bounded by time or kept in a histogram (they repeat beyond). */
const DURATION_WORKLOAD = 10_000;

/** How a run is judged: its SLA (parsed once by the flag parser), intervals, stages. */
export interface RunJudging {
  phase: string;
  thresholds: Threshold[];
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** `--stages`: percentiles per stage too. */
  stages?: Stage[];
  /** Multi-turn sessions: figures by turn and per session too. */
  sessions?: boolean;
  /** `--steady`: judge the steady window. */
  steady?: boolean;
}

/** Where a run writes: its folder, its phase name (the files' names), and whether report.html. */
export interface RunOutputs {
  outDir: string;
  phase: string;
  html: boolean;
  /** `--percentiles`: the percentiles reported for every latency metric (printed when given). */
  percentiles?: number[];
  /** How tokens are estimated without `usage`, when `--tokenizer` names a file. */
  tokensBy?: string;
}

/** What the summary JSON records of how the run was driven, beside its plan. */
export interface RunShape {
  /** The open loop's flags (`rate` null under `--stages`), or null for the closed loop. */
  openLoop: {
    rate: number | null;
    arrival: Arrival;
    /** `--burstiness`: the gamma shape of Poisson gaps. */
    burstiness?: number;
    maxInFlight: number | null;
  } | null;
  /** `--dataset` and its order, or null. */
  dataset: { path: string; order: DatasetOrder } | null;
  /** `--start-at` (epoch ms), when given. */
  startAtMs?: number;
  /** `--trace`: the trace replayed and its clock factor. */
  trace?: { path: string; speed: number };
}

/** A run's plan, workload, target and files, before anything is sent. */
export interface RunSetup {
  plan: LoadPlan;
  /** Requests of the whole run (every shard). */
  planned: number;
  /** Requests this process sends (its shard's share). */
  own: number;
  workload: Workload;
  /** The `--api` workload, or null. */
  llm: LlmWorkload | null;
  /** The `--api kserve-v2` workload (its metadata, URLs, output check), or null. */
  kserve: KserveWorkload | null;
  /** The embeddings or rerank workload, or null. */
  retrieval: RetrievalWorkload | null;
  target: RunTarget;
  judging: RunJudging;
  outputs: RunOutputs;
  shape: RunShape;
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
  const talk = options.conversations ? await conversationRun(options, options.conversations) : null;
  const plan = talk?.plan ?? planOf(options, replay?.schedule);
  // A shard builds the whole run's workload (one digest in every shard) and sends its share.
  const planned = plannedRequests(plan);
  const own = ownRequests(plan);
  const requests = Math.max(planned, options.warmup);
  const llm = talk?.llm ?? (options.llm ? await llmWorkloadOf(options, requests, replay) : null);
  const { kserve, retrieval } = await protocolWorkloads(options, requests);
  const workload = llm?.workload ?? kserve?.workload ?? retrieval?.workload ??
    await workloadFor(options, requests);
  const { outDir, phase, html } = options;
  const logPath = `${outDir}/${phase}.csv`;
  const summaryPath = `${outDir}/${phase}.json`;
  // Written under temporary names, renamed at the end: an earlier run's files stay whole
  // until this run has written its own.
  const reportPath = `${outDir}/report.html`;
  // Without --html, an earlier report.html is removed only when it is this phase's (stale).
  const staleReport = !html && await reportOfPhase(reportPath, phase);
  const files = new PhaseFiles(
    html ? [logPath, summaryPath, reportPath] : [logPath, summaryPath],
    staleReport ? [reportPath] : [],
  );
  const groups = groupsOf(options);
  return {
    plan,
    planned,
    own,
    workload,
    llm,
    kserve,
    retrieval,
    target: protocolTarget(targetOf(options), kserve, retrieval),
    judging: {
      phase,
      thresholds: options.thresholds,
      ...(options.uncertainty ? { uncertainty: options.uncertainty } : {}),
      ...(options.stages ? { stages: options.stages } : {}),
      ...(options.conversations ? { sessions: true } : {}),
      ...(options.steady ? { steady: true } : {}),
    },
    outputs: {
      outDir,
      phase,
      html,
      ...(options.percentiles ? { percentiles: options.percentiles } : {}),
      ...(options.llm?.tokenizer ? { tokensBy: `with --tokenizer ${options.llm.tokenizer}` } : {}),
    },
    shape: shapeOf(options),
    logPath,
    summaryPath,
    reportPath,
    files,
    groups,
    // The embeddings and rerank throughput is counted over the measured samples.
    keep: keepsSamples(options, groups) || (retrieval !== null && !options.histogram),
  };
}

/** The load plan of a run; `traceSchedule` is a `--trace` replay's clock. */
function planOf(options: RunCommandOptions, traceSchedule?: Float64Array): LoadPlan {
  const common = {
    requests: options.requests,
    durationMs: options.durationMs,
    warmup: options.warmup,
    ...(options.shard ? { shard: options.shard } : {}),
  };
  if (options.stages) {
    const { stages, maxInFlight, concurrency } = options;
    return {
      kind: "stages",
      ...common,
      requests: MAX_STAGED_ARRIVALS,
      durationMs: null,
      stages,
      maxInFlight,
      warmupConcurrency: concurrency,
    };
  }
  if (traceSchedule) {
    const n = traceSchedule.length;
    const span = n > 1 ? traceSchedule[n - 1]! - traceSchedule[0]! : 0;
    return {
      kind: "open",
      ...common,
      requests: n,
      durationMs: null,
      rate: span > 0 ? ((n - 1) * 1000) / span : 1,
      arrival: "constant",
      seed: options.seed,
      maxInFlight: options.maxInFlight,
      warmupConcurrency: options.concurrency,
      traceSchedule,
    };
  }
  if (options.rate === null) {
    return { kind: "closed", ...common, concurrency: options.concurrency };
  }
  return {
    kind: "open",
    ...common,
    rate: options.rate,
    arrival: options.arrival,
    seed: options.seed,
    ...(options.burstiness === undefined ? {} : { burstiness: options.burstiness }),
    maxInFlight: options.maxInFlight,
    warmupConcurrency: options.concurrency,
  };
}

/** The request and the client of a run. */
function targetOf(options: RunCommandOptions): RunTarget {
  return {
    request: {
      phase: options.phase,
      url: options.url,
      method: options.method,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes || DEFAULT_MAX_RESPONSE,
      stream: options.stream,
    },
    client: {
      policy: options.policy,
      engine: options.engine,
      histogram: options.histogram === true,
      hlog: options.hlog ?? null,
      debug: options.debug === true,
      ...(options.caCerts ? { caCerts: options.caCerts } : {}),
      ...(options.insecure ? { insecure: true } : {}),
      ...(options.http2 ? { http2: true } : {}),
    },
  };
}

function shapeOf(options: RunCommandOptions): RunShape {
  const open = options.rate !== null || options.stages !== undefined;
  return {
    openLoop: open
      ? {
        rate: options.rate,
        arrival: options.arrival,
        ...(options.burstiness === undefined ? {} : { burstiness: options.burstiness }),
        maxInFlight: options.maxInFlight,
      }
      : null,
    dataset: options.dataset === null
      ? null
      : { path: options.dataset, order: options.datasetOrder },
    ...(options.startAtMs === undefined ? {} : { startAtMs: options.startAtMs }),
    ...(options.trace ? { trace: { path: options.trace.path, speed: options.trace.speed } } : {}),
  };
}

/** The bodies a run sends: a dataset, one fixed body, or the seeded workload. */
async function workloadFor(options: RunCommandOptions, planned: number): Promise<Workload> {
  // Every request gets its own body up to a bound; beyond it bodies repeat in order.
  if (options.dataset !== null) {
    const lines = await readDataset(options.dataset);
    return await datasetWorkload(lines, {
      order: options.datasetOrder,
      seed: options.seed,
      requests: Math.min(planned, DURATION_REQUEST_CAP),
    });
  }
  if (options.body === null) {
    const bounded = options.durationMs !== null || options.stages !== undefined ||
      options.histogram === true;
    const bound = bounded ? Math.min(planned, DURATION_WORKLOAD) : planned;
    return await buildWorkload({ seed: options.seed, requests: bound });
  }
  let text = options.body;
  let source = "--body";
  if (text.startsWith("@")) {
    source = `--body file "${text.slice(1)}"`;
    try {
      text = await Deno.readTextFile(text.slice(1));
    } catch (err) {
      throw new UsageError(
        `Cannot read --body file "${text.slice(1)}": ${err instanceof Error ? err.message : err}`,
      );
    }
  }
  checkJsonBody(text, source, options.headers["content-type"]);
  return await workloadFromBodies([new TextEncoder().encode(text)]);
}

/**
 * Per-request objects only where a metric or the report needs them: memory stays
 * bounded (a few bytes a request) on a plain closed loop of any length.
 */
function keepsSamples(options: RunCommandOptions, groups: MetricGroups): boolean {
  return !options.histogram &&
    (groups.openLoop || groups.streaming || groups.llm || options.html || options.warmup > 0 ||
      Boolean(options.goodput) || options.steady === true);
}

/** The workload of an `--api` run (the model discovered when not given). */
function llmWorkloadOf(
  options: RunCommandOptions,
  requests: number,
  replay: TraceReplay | null,
): Promise<LlmWorkload> {
  return llmWorkload(options.llm!, {
    ...(replay ? { replay } : {}),
    ...(options.sharedPrefix ? { sharedPrefix: options.sharedPrefix } : {}),
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

/** The kserve-v2 or embeddings/rerank workload of `--api`, when it names one. */
async function protocolWorkloads(
  options: RunCommandOptions,
  requests: number,
): Promise<{ kserve: KserveWorkload | null; retrieval: RetrievalWorkload | null }> {
  const count = Math.min(requests, DURATION_REQUEST_CAP);
  const kserve = options.kserve
    ? await kserveWorkload(options.kserve, {
      url: options.url,
      seed: options.seed,
      requests: count,
      fetch: (u, init) => fetch(u, { ...init, signal: AbortSignal.timeout(options.timeoutMs) }),
      grpcMetadata: () =>
        readGrpcMetadata(
          options.url,
          { name: options.kserve!.model, version: options.kserve!.version },
          options.timeoutMs,
        ),
    })
    : null;
  const retrieval = options.retrieval
    ? await retrievalWorkload(options.retrieval, {
      url: options.url,
      dataset: options.dataset,
      seed: options.seed,
      requests: count,
    })
    : null;
  return { kserve, retrieval };
}

/** The target with a protocol's URL (kserve-v2's infer route, an API's path) and headers. */
function protocolTarget(
  target: RunTarget,
  kserve: KserveWorkload | null,
  retrieval: RetrievalWorkload | null,
): RunTarget {
  if (kserve) {
    const headers = { ...target.request.headers, ...kserve.headers };
    return { ...target, request: { ...target.request, url: kserve.inferUrl, headers } };
  }
  if (retrieval) return { ...target, request: { ...target.request, url: retrieval.url } };
  return target;
}
