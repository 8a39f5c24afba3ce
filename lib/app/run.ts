/**
 * `loadgate run`: one phase against any URL, with its CSV log, a summary JSON
 * and an SLA gate.
 *
 * @module
 */

import { choice, type FlagSpec, int, num, parseFlags, str, strList } from "../base/flags.ts";
import type { ConnectionPolicy } from "../load/connection.ts";
import {
  DATASET_ORDERS,
  type DatasetOrder,
  datasetWorkload,
  readDataset,
} from "../workload/dataset.ts";
import { ENGINE_NAMES, type EngineName } from "../load/engine.ts";
import { ExitCode, UsageError } from "../base/errors.ts";
import { withFailureReasons } from "../verdict/failures.ts";
import { checkJsonBody, checkLoadLimits } from "./input_checks.ts";
import { writeJson } from "./gate.ts";
import {
  ALL_METRICS,
  behindScheduleNote,
  type FullSummary,
  fullSummary,
  type MetricGroups,
  openLoopSummary,
  requireMetrics,
} from "../stats/load_metrics.ts";
import { type LoadPlan, plannedRequests } from "../load/load_plan.ts";
import { DEFAULT_MAX_RESPONSE } from "../load/measure.ts";
import { runPhase } from "../load/phase_runner.ts";
import { makeManifest } from "./manifest.ts";
import type { ProgressFactory } from "../report/progress.ts";
import { singlePhaseReport, writeReports } from "./report_files.ts";
import { type Arrival, ARRIVALS } from "../load/open_loop.ts";
import { decide, evaluate, metricNames, thresholdsFor } from "../verdict/verdict.ts";
import type { Sample } from "../stats/sample.ts";
import { buildWorkload, type Workload, workloadFromBodies } from "../workload/workload.ts";
import {
  assessPhase,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
} from "../verdict/uncertainty.ts";
import { parseUncertaintyFlags, UNCERTAINTY_FLAGS, UNCERTAINTY_HELP } from "./uncertainty_args.ts";
import { formatPhaseUncertainty } from "../report/uncertainty_report.ts";

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
  sla: string[];
  maxErrorRate: number;
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

/** Requests a run bounded only by --duration may send at most (every run is bounded). */
export const DURATION_REQUEST_CAP = 1_000_000;
/** Distinct seeded bodies built for a run bounded by time (they repeat beyond). */
const DURATION_WORKLOAD = 10_000;

export const RUN_FLAGS: FlagSpec = {
  url: { type: "string" },
  method: { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  body: { type: "string" },
  seed: { type: "string" },
  requests: { type: "string", short: "n" },
  concurrency: { type: "string", short: "c" },
  "timeout-ms": { type: "string" },
  reuse: { type: "boolean" },
  "no-reuse": { type: "boolean" },
  engine: { type: "string" },
  phase: { type: "string" },
  out: { type: "string" },
  sla: { type: "string", multiple: true },
  "max-error-rate": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  html: { type: "boolean" },
  dataset: { type: "string" },
  "dataset-order": { type: "string" },
  duration: { type: "string", short: "d" },
  warmup: { type: "string" },
  rate: { type: "string" },
  arrival: { type: "string" },
  "max-in-flight": { type: "string" },
  stream: { type: "boolean" },
  "max-response-bytes": { type: "string" },
  help: { type: "boolean", short: "h" },
  ...UNCERTAINTY_FLAGS,
};

export const RUN_HELP = `Usage: loadgate run --url URL [options]
  --url URL              target (http or https)
  --method M             HTTP method (default POST)
  -H, --header 'K: V'    request header, repeatable
  --body JSON|@FILE      request body for every request (default: the seeded workload)
  --dataset FILE.jsonl   request bodies, one JSON value a line
  --dataset-order O      sequential (default: line after line, wrapping) or random
                         (drawn with replacement from --seed)
  --seed N               seed of the workload, of random dataset order and of Poisson
                         arrivals (default 42)
  -n, --requests N       requests (default 100; with --duration, an upper bound)
  -d, --duration S       send requests for S seconds (closed or open loop)
  --warmup N             warm-up requests first: logged, flagged, not in the statistics
  -c, --concurrency C    closed loop: concurrent workers (default 8; also the warm-up's)
  --rate R               open loop: R arrivals per second, whether or not answers came
  --arrival A            open loop: constant (default) or poisson (seeded by --seed)
  --max-in-flight N      open loop: at most N requests in flight (a due request waits)
  --stream               parse streamed responses (SSE or JSON lines): TTFT, ITL, TPOT
  --timeout-ms MS        per-request timeout (default 30000)
  --reuse | --no-reuse   keep-alive pool (default) or a new connection per request
  --engine fetch|h1      HTTP client: Deno's fetch (default) or loadgate's lean HTTP/1.1
                         engine (http only; several times cheaper per request)
  --phase NAME           name written in the log (default run)
  --out DIR              output folder (default results/run)
  --sla EXPR             threshold METRIC OP VALUE, repeatable (default p95<=800); any
                         metric of the summary: p50 p95 p99 mean max error_rate
                         throughput ..., sched_p95 lag_max ... (open loop), ttft_p95
                         itl_p95 tpot_p95 output_tokens_per_s ... (--stream)
  --max-error-rate R     failures allowed (default 0)
  --html                 also write report.html (plots; opens offline)
  -q, --quiet            no live progress line (it shows only when stderr is a
                         terminal and CI is unset)
  --max-response-bytes N largest response body read; more fails the request (default 64 MiB)
${UNCERTAINTY_HELP}`;

/** Parses `run` flags. Throws {@linkcode UsageError}. */
export function parseRunArgs(args: string[]): RunCommandOptions | "help" {
  const { values } = parseFlags(args, RUN_FLAGS);
  if (values.help) return "help";
  const url = parseTargetUrl(str(values, "url", ""));
  if (values.reuse && values["no-reuse"]) {
    throw new UsageError("Cannot use --reuse with --no-reuse");
  }
  const headers: Record<string, string> = {};
  for (const h of strList(values, "header")) {
    const i = h.indexOf(":");
    if (i <= 0) throw new UsageError(`Cannot parse --header: "${h}" is not NAME: VALUE`);
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  const open = values.rate !== undefined;
  for (const flag of ["arrival", "max-in-flight"]) {
    if (!open && values[flag] !== undefined) {
      throw new UsageError(`Cannot use --${flag} without --rate (it belongs to the open loop)`);
    }
  }
  if (values.body !== undefined && values.dataset !== undefined) {
    throw new UsageError("Cannot use --body with --dataset");
  }
  if (values["dataset-order"] !== undefined && values.dataset === undefined) {
    throw new UsageError("Cannot use --dataset-order without --dataset");
  }
  const durationS = values.duration === undefined ? null : num(values, "duration", 1);
  const byTimeOnly = durationS !== null && values.requests === undefined;
  const options: RunCommandOptions = {
    url,
    method: str(values, "method", "POST").toUpperCase(),
    headers,
    body: values.body === undefined ? null : str(values, "body", ""),
    seed: int(values, "seed", 42, 0),
    requests: byTimeOnly ? DURATION_REQUEST_CAP : int(values, "requests", 100),
    concurrency: int(values, "concurrency", 8),
    timeoutMs: int(values, "timeout-ms", 30_000),
    policy: values["no-reuse"] ? "fresh" : "pooled",
    engine: choice(values, "engine", ENGINE_NAMES, "fetch"),
    phase: str(values, "phase", "run"),
    outDir: str(values, "out", "results/run"),
    sla: strList(values, "sla"),
    maxErrorRate: num(values, "max-error-rate", 0, true),
    uncertainty: parseUncertaintyFlags(values),
    quiet: values.quiet === true,
    html: values.html === true,
    dataset: values.dataset === undefined ? null : str(values, "dataset", ""),
    datasetOrder: choice(values, "dataset-order", DATASET_ORDERS, "sequential"),
    durationMs: durationS === null ? null : durationS * 1000,
    warmup: int(values, "warmup", 0, 0),
    rate: open ? num(values, "rate", 1) : null,
    arrival: choice(values, "arrival", ARRIVALS, "constant"),
    maxInFlight: values["max-in-flight"] === undefined ? null : int(values, "max-in-flight", 1),
    stream: values.stream === true,
  };
  if (options.rate !== null && options.rate > 1_000_000) {
    throw new UsageError(`Cannot parse --rate: "${options.rate}" is above 1000000 per second`);
  }
  if (options.durationMs !== null && options.durationMs > 86_400_000) {
    throw new UsageError(`Cannot parse --duration: "${durationS}" is above 86400 seconds`);
  }
  if (options.seed > 0xffffffff) {
    throw new UsageError(`Cannot parse --seed: "${options.seed}" is above 4294967295`);
  }
  if (values["max-response-bytes"] !== undefined) {
    options.maxResponseBytes = int(values, "max-response-bytes", 0);
  }
  if (options.engine === "h1" && !url.startsWith("http:")) {
    throw new UsageError(`Cannot use --engine h1 with "${url}": it speaks plain http only`);
  }
  if (options.engine === "h1" && options.stream) {
    throw new UsageError(
      "Cannot use --engine h1 with --stream: it reads each body whole (use fetch)",
    );
  }
  if (!/^[A-Z]+$/.test(options.method)) {
    throw new UsageError(`Cannot parse --method: "${options.method}"`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(options.phase)) {
    throw new UsageError(`Cannot parse --phase: "${options.phase}" (letters, digits, _ . - only)`);
  }
  // A mistyped or malformed --sla must fail before anything runs, as must a metric
  // this kind of run does not report.
  const thresholds = thresholdsFor(options.sla, options.maxErrorRate, ALL_METRICS);
  requireMetrics(thresholds.map((t) => t.metric), groupsOf(options), "this run");
  checkLoadLimits(options);
  if (!("content-type" in headers) && options.method !== "GET") {
    headers["content-type"] = "application/json";
  }
  return options;
}

/** Checks a target URL: absolute, http or https. */
export function parseTargetUrl(text: string): string {
  if (text === "") {
    throw new UsageError("Missing --url (for example --url http://127.0.0.1:8000/v1/infer)");
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Cannot parse --url: "${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `Cannot parse --url: "${text}" has scheme ${url.protocol} (use http or https)`,
    );
  }
  return url.href;
}

/** The metric groups a run reports. */
export function groupsOf(options: RunCommandOptions): MetricGroups {
  return { openLoop: options.rate !== null, streaming: options.stream };
}

/** The load plan of a run. */
export function planOf(options: RunCommandOptions): LoadPlan {
  const common = {
    requests: options.requests,
    durationMs: options.durationMs,
    warmup: options.warmup,
  };
  if (options.rate === null) {
    return { kind: "closed", ...common, concurrency: options.concurrency };
  }
  return {
    kind: "open",
    ...common,
    rate: options.rate,
    arrival: options.arrival,
    seed: options.seed,
    maxInFlight: options.maxInFlight,
    warmupConcurrency: options.concurrency,
  };
}

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
    const bound = options.durationMs === null ? planned : Math.min(planned, DURATION_WORKLOAD);
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

/** What the run is about to do, in one line. */
export function describeRun(options: RunCommandOptions, planned: number): string {
  const parts: string[] = [];
  const bound = options.durationMs === null
    ? `${planned} requests`
    : `for ${options.durationMs / 1000} s (at most ${planned} requests)`;
  if (options.rate === null) {
    parts.push(`closed loop ${bound}, ${options.concurrency} concurrent`);
  } else {
    const arrival = options.arrival === "poisson"
      ? `poisson, seed ${options.seed}`
      : "evenly spaced";
    parts.push(`open loop at ${options.rate} req/s (${arrival}), ${bound}`);
    if (options.maxInFlight !== null) parts.push(`at most ${options.maxInFlight} in flight`);
  }
  if (options.warmup > 0) parts.push(`${options.warmup} warm-up requests first`);
  if (options.stream) parts.push("streamed responses");
  parts.push(`${options.policy} connections`);
  return `${options.phase}: ${parts.join(", ")} -> ${options.url}`;
}

/** The run's result lines beyond the base summary (open loop, streaming). */
export function detailLines(summary: FullSummary, groups: MetricGroups): string[] {
  const f = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(1) : "-");
  const lines: string[] = [];
  if (groups.openLoop) {
    lines.push(
      `  from the scheduled time: p50 ${f(summary.sched_p50)} ms, p95 ${
        f(summary.sched_p95)
      } ms, p99 ${f(summary.sched_p99)} ms (from the send: p50 ${f(summary.p50)}, p95 ${
        f(summary.p95)
      }, p99 ${f(summary.p99)})`,
    );
  }
  if (groups.streaming) {
    lines.push(
      `  streaming: TTFT p50 ${f(summary.ttft_p50)} ms, p95 ${f(summary.ttft_p95)} ms, p99 ${
        f(summary.ttft_p99)
      } ms; ITL p50 ${f(summary.itl_p50)} ms, p95 ${f(summary.itl_p95)} ms; TPOT p50 ${
        f(summary.tpot_p50)
      } ms; ${summary.output_tokens ?? 0} tokens in ${summary.chunks ?? 0} chunks, ${
        f(summary.output_tokens_per_s)
      } tokens/s`,
    );
  }
  return lines;
}

/** Runs one phase against `options.url`; returns the exit code. */
export async function runCommand(
  options: RunCommandOptions,
  io: {
    out: (line: string) => void;
    err: (line: string) => void;
    stop: AbortSignal;
    /** Draws a live progress line; absent when there is no terminal for it. */
    progress?: ProgressFactory;
  },
): Promise<number> {
  const plan = planOf(options);
  const planned = plannedRequests(plan);
  const workload = await workloadFor(options, Math.max(planned, options.warmup));
  const logPath = `${options.outDir}/${options.phase}.csv`;
  io.err(describeRun(options, planned));
  const groups = groupsOf(options);
  // Per-request objects only where a metric or the report needs them: memory stays
  // bounded (a few bytes a request) on a plain closed loop of any length.
  const keep = groups.openLoop || groups.streaming || options.html || options.warmup > 0;
  const progress = io.progress?.(options.phase, { total: planned });
  progress?.start();
  let outcome;
  try {
    outcome = await runPhase({
      request: {
        phase: options.phase,
        url: options.url,
        method: options.method,
        headers: options.headers,
        workload,
        timeoutMs: options.timeoutMs,
        maxResponseBytes: options.maxResponseBytes || DEFAULT_MAX_RESPONSE,
        stream: options.stream,
      },
      plan,
      policy: options.policy,
      engine: options.engine,
      keepSamples: keep,
      log: { path: logPath, extended: true },
      stop: io.stop,
      ...(progress ? { onSample: (s: Sample) => progress.record(s) } : {}),
    });
  } finally {
    progress?.finish();
  }
  const summary: FullSummary = keep
    ? fullSummary(outcome.samples, groups)
    : outcome.store.summary();
  const thresholds = thresholdsFor(options.sla, options.maxErrorRate, metricNames(summary));
  const results = evaluate(thresholds, summary);
  const verdict = withFailureReasons(decide(results, {}), summary);
  const measured = outcome.samples.filter((s) => s.warmup !== true);
  const uOptions = options.uncertainty ?? UNCERTAINTY_DEFAULTS;
  const u = assessPhase({
    phase: options.phase,
    samples: keep ? measured : outcome.store.sortedMs(),
    summary,
    thresholds,
    options: uOptions,
  });
  const gating = uOptions.verdict === "interval";
  const interrupted = outcome.interrupted;
  const behind = groups.openLoop
    ? behindScheduleNote(openLoopSummary(outcome.samples), summary.requests)
    : null;
  const warmups = plan.warmup > 0 ? outcome.samples.length - summary.requests : 0;
  const manifest = makeManifest({
    command: "run",
    seed: workload.seed,
    workload_digest: workload.digest,
    ...(options.dataset === null
      ? {}
      : { dataset: options.dataset, dataset_order: options.datasetOrder }),
  });
  await writeJson(`${options.outDir}/${options.phase}.json`, {
    phase: options.phase,
    log: `${options.phase}.csv`,
    url: options.url,
    connection: options.policy,
    engine: options.engine,
    interrupted,
    load: outcome.load,
    summary,
    ...(warmups > 0 ? { warmup_requests: warmups } : {}),
    ...(groups.openLoop
      ? {
        open_loop: {
          rate: options.rate,
          arrival: options.arrival,
          max_in_flight: options.maxInFlight,
          cap_waits: outcome.capWaits,
          fell_behind: behind !== null,
          note: behind,
        },
      }
      : {}),
    sla: { thresholds: results },
    sla_met: results.every((r) => r.pass),
    verdict: interrupted
      ? "interrupted"
      : gating
      ? u.verdict.state
      : verdict.pass
      ? "pass"
      : "fail",
    reasons: gating ? u.verdict.reasons : verdict.reasons,
    verdict_basis: uOptions.verdict,
    uncertainty: u.json,
    interval_verdict: { ...u.verdict, confidence: uOptions.confidence, thresholds: u.sla },
    manifest,
  });
  const reports = options.html
    ? await writeReports(
      singlePhaseReport({
        phase: {
          name: options.phase,
          detail: `${options.policy} connections, ${options.url}`,
          samples: measured,
        },
        summary,
        results,
        verdict,
        interrupted,
        manifest: { ...manifest, url: options.url, ...outcome.load },
      }),
      { outDir: options.outDir, html: true, markdown: false, stepSummary: null, err: io.err },
    )
    : [];
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  io.out(
    `${options.phase}: ${summary.requests} requests, ${summary.ok} ok, ${summary.failed} failed; ` +
      `p50 ${f(summary.p50)} ms, p95 ${f(summary.p95)} ms, p99 ${f(summary.p99)} ms, ${
        f(summary.throughput)
      } req/s${warmups > 0 ? ` (after ${warmups} warm-up requests)` : ""}`,
  );
  for (const line of detailLines(summary, groups)) io.out(line);
  if (behind !== null) {
    const capped = outcome.capWaits > 0
      ? ` (${outcome.capWaits} requests waited for a slot under --max-in-flight ${options.maxInFlight})`
      : "";
    io.out(`warning: ${behind}${capped}`);
  }
  if (groups.streaming && summary.streamed === 0 && summary.ok > 0) {
    io.out(
      "warning: --stream is on but no response carried a token chunk (is the body streaming?)",
    );
  }
  for (const r of results) {
    io.out(
      `SLA ${r.expr}: ${r.pass ? "pass" : "FAIL"} (${
        r.actual === null ? "-" : Math.round(r.actual * 1000) / 1000
      })`,
    );
  }
  for (const line of formatPhaseUncertainty(u, uOptions)) io.out(line);
  io.out(
    interrupted
      ? `verdict: INTERRUPTED (${summary.requests} of ${options.requests} requests finished)`
      : verdict.pass
      ? "verdict: PASS"
      : `verdict: FAIL (${verdict.reasons.join("; ")})`,
  );
  io.out(
    `wrote ${logPath} and ${options.outDir}/${options.phase}.json${
      reports.map((f) => ` and ${options.outDir}/${f}`).join("")
    }`,
  );
  if (interrupted) return ExitCode.Interrupted;
  if (gating) return u.verdict.exit_code;
  return verdict.pass ? ExitCode.Pass : ExitCode.Fail;
}
