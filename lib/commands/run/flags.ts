/**
 * `loadgate run`: its flags (the one spec that parses them and writes the
 * help) and the parser that turns them into {@linkcode RunCommandOptions},
 * thresholds included, before anything runs.
 *
 * @module
 */

import { joinGoodputArgs } from "../../stats/goodput.ts";
import { parsePercentiles } from "../shared/flags/percentiles.ts";
import { choice, type FlagSpec, int, num, parseFlags, str, strList } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { DATASET_ORDERS } from "../../workload/dataset.ts";
import { applyClientChoice, CLIENT_FLAGS } from "./client_flags.ts";
import { ARRIVALS } from "../../load/open_loop.ts";
import { ALL_METRICS, requireMetrics } from "../../stats/load_metrics.ts";
import { parseSla } from "../../verdict/threshold.ts";
import { checkLoadLimits } from "../shared/input_checks.ts";
import { DURATION_REQUEST_CAP, groupsOf, type RunCommandOptions } from "./options.ts";
import { parseUncertaintyFlags, UNCERTAINTY_FLAGS } from "../shared/flags/uncertainty.ts";
import {
  concurrencyFlag,
  HELP_FLAG,
  parseHeaders,
  parseTargetUrl,
  QUIET_FLAG,
  requestsFlag,
  SLA_HELP,
} from "../shared/flags/common.ts";
import { LLM_FLAGS, parseLlmFlags } from "./llm/flags.ts";
import { parseProtocolFlags, PROTOCOL_FLAGS } from "./protocol/flags.ts";
import {
  parseMaxSendLag,
  parseSharedPrefixFlag,
  parseTraceFlags,
  TRAFFIC_FLAGS,
} from "./traffic/flags.ts";
import { CONVERSATION_FLAGS, parseConversationFlags } from "./traffic/conversation_flags.ts";
import { parseShardFlags, permittedEnv, SHARD_FLAGS } from "./shard_flags.ts";
import { parseStagesFlag, STAGES_FLAG } from "./stages_flag.ts";
import { CI_FLAGS } from "../shared/flags/ci.ts";
import { API_KEY_FLAG, runCredentials } from "./credentials.ts";
import { durationFlag, TIMEOUT_FLAG, timeoutFlag } from "../shared/flags/duration.ts";
import { AGAINST_HISTORY_FLAGS, parseAgainstHistory } from "./history_flags.ts";

/** Flags of `run`. */
export const RUN_FLAGS: FlagSpec = {
  url: { type: "string", arg: "URL", help: "target (http or https)" },
  method: { type: "string", short: "m", arg: "M", help: "HTTP method (default POST)" },
  header: {
    type: "string",
    short: "H",
    multiple: true,
    arg: "'K: V'",
    help: "request header, repeatable",
  },
  ...API_KEY_FLAG,
  body: {
    type: "string",
    arg: "JSON|@FILE",
    help: "request body for every request (default: the seeded workload)",
  },
  dataset: {
    type: "string",
    arg: "FILE.jsonl",
    help: "request bodies, one JSON value a line (with --api: JSONL\nprompts or ShareGPT JSON)",
  },
  "dataset-order": {
    type: "string",
    arg: "O",
    help: "sequential (default: line after line, wrapping) or random\n" +
      "(drawn with replacement from --seed)",
  },
  seed: {
    type: "string",
    arg: "N",
    help: "seed of the workload, of random dataset order and of Poisson\narrivals (default 42)",
  },
  ...requestsFlag("requests (default 100; with --duration, an upper bound)"),
  duration: {
    type: "string",
    short: "d",
    arg: "D",
    help: "send requests for D: 30s, 2m, 1h (a plain number is seconds)",
  },
  warmup: {
    type: "string",
    arg: "N",
    help: "warm-up requests first: logged, flagged, not in the statistics",
  },
  ...concurrencyFlag("closed loop: concurrent workers (default 8; also the warm-up's)"),
  rate: {
    type: "string",
    arg: "R",
    help: "open loop: R arrivals per second, whether or not answers came",
  },
  arrival: {
    type: "string",
    arg: "A",
    help: "open loop: constant or poisson (seeded by --seed); default\n" +
      "poisson with --api openai-* (vLLM's), else constant",
  },
  percentiles: {
    type: "string",
    arg: "LIST",
    help: "percentiles of every latency metric, printed and in the JSON\n" +
      "(default 50,90,95,99; e.g. 50,90,95,99,99.9)",
  },
  burstiness: {
    type: "string",
    arg: "K",
    help: "open loop: gamma-distributed gaps of shape K (vLLM's\n" +
      "--burstiness; 1 is Poisson, < 1 burstier, > 1 more even); implies\n" +
      "--arrival poisson",
  },
  "max-in-flight": {
    type: "string",
    arg: "N",
    help: "open loop: at most N requests in flight (a due request waits)",
  },
  ...STAGES_FLAG,
  stream: {
    type: "boolean",
    help: "parse streamed responses (SSE or JSON lines): TTFT, ITL, TPOT\n" +
      "(with --api also asks for them: stream, stream_options.include_usage)",
  },
  "timeout-ms": { type: "string", arg: "MS", help: "per-request timeout (default 30000)" },
  reuse: {
    type: "boolean",
    label: "--reuse | --no-reuse",
    help: "keep-alive pool (default) or a new connection per request",
  },
  "no-reuse": { type: "boolean" },
  ...CLIENT_FLAGS,
  phase: { type: "string", arg: "NAME", help: "name written in the log (default run)" },
  out: { type: "string", arg: "DIR", help: "output folder (default results/run)" },
  sla: {
    type: "string",
    multiple: true,
    arg: "EXPR",
    help: `${SLA_HELP}; any\n` +
      "metric of the summary: p50 p95 p99 mean max error_rate\n" +
      "throughput ..., sched_p95 lag_max ... (open loop), ttft_p95\n" +
      "itl_p95 tpot_p95 output_tokens_per_s ... (--stream)",
  },
  "max-error-rate": { type: "string", arg: "R", help: "failures allowed (default 0)" },
  html: { type: "boolean", help: "also write report.html (plots; opens offline)" },
  ...QUIET_FLAG,
  "max-response-bytes": {
    type: "string",
    arg: "N",
    help: "largest response body read; more fails the request (default 64 MiB)",
  },
  ...SHARD_FLAGS,
  ...HELP_FLAG,
  ...UNCERTAINTY_FLAGS,
  // Conventions and CI outputs (interop issue): --timeout D, --junit, --prom, --json, --config.
  ...TIMEOUT_FLAG,
  ...CI_FLAGS,
  ...AGAINST_HISTORY_FLAGS,
  debug: {
    type: "boolean",
    help:
      "log the first bytes of each failed response's body (an\nerror_detail column; fetch engine)",
  },
  ...LLM_FLAGS,
  ...PROTOCOL_FLAGS,
  ...TRAFFIC_FLAGS,
  ...CONVERSATION_FLAGS,
};

/** Usage line of `run`. */
export const RUN_USAGE = "loadgate run --url URL [options]";

/**
 * Parses `run` flags, thresholds included. Throws {@linkcode UsageError}.
 * `deps` gives `--shard N` its index (`JOB_COMPLETION_INDEX`) and `--start-at` its now.
 */
export function parseRunArgs(
  args: string[],
  deps: { env: (name: string) => string | undefined; nowMs: number } = {
    env: permittedEnv,
    nowMs: Date.now(),
  },
): RunCommandOptions | "help" {
  const { values } = parseFlags(joinGoodputArgs(args), RUN_FLAGS);
  if (values.help) return "help";
  const grpc = values.api === "kserve-v2-grpc";
  const llmFlags = parseLlmFlags(values, parseTargetUrl(str(values, "url", ""), grpc));
  if (values.reuse && values["no-reuse"]) {
    throw new UsageError("Cannot use --reuse with --no-reuse");
  }
  const { url, headers, apiKeyEnv } = runCredentials(values, {
    url: llmFlags.url,
    headers: parseHeaders(strList(values, "header")),
    llm: llmFlags.llm !== null,
    env: deps.env,
  });
  checkRunCombinations(values);
  const durationMs = durationFlag(values, "duration", "s");
  const durationS = durationMs === null ? null : durationMs / 1000;
  const byTimeOnly = durationS !== null && values.requests === undefined;
  const stages = parseStagesFlag(values);
  const trace = parseTraceFlags(values);
  const conversations = parseConversationFlags(values);
  const open = values.rate !== undefined;
  const maxErrorRate = num(values, "max-error-rate", 0, true);
  const options: RunCommandOptions = {
    url,
    method: str(values, "method", "POST").toUpperCase(),
    headers,
    body: values.body === undefined ? null : str(values, "body", ""),
    seed: int(values, "seed", 42, 0),
    requests: byTimeOnly ? DURATION_REQUEST_CAP : int(values, "requests", 100),
    concurrency: int(values, "concurrency", 8),
    timeoutMs: timeoutFlag(values, 30_000),
    policy: values["no-reuse"] ? "fresh" : "pooled",
    engine: "h1",
    phase: str(values, "phase", "run"),
    outDir: str(values, "out", "results/run"),
    thresholds: [],
    uncertainty: parseUncertaintyFlags(values),
    quiet: values.quiet === true,
    html: values.html === true,
    dataset: values.dataset === undefined ? null : str(values, "dataset", ""),
    datasetOrder: choice(values, "dataset-order", DATASET_ORDERS, "sequential"),
    durationMs,
    warmup: int(values, "warmup", 0, 0),
    rate: open ? num(values, "rate", 1) : null,
    arrival: choice(
      values,
      "arrival",
      ARRIVALS,
      values.burstiness !== undefined || llmFlags.llm !== null ? "poisson" : "constant",
    ),
    maxInFlight: values["max-in-flight"] === undefined ? null : int(values, "max-in-flight", 1),
    stream: values.stream === true,
    llm: llmFlags.llm,
    goodput: llmFlags.goodput,
    scrape: llmFlags.scrape,
    ...parseProtocolFlags(values),
    ...(stages ? { stages } : {}),
    ...(trace ? { trace } : {}),
    ...(apiKeyEnv === null ? {} : { apiKeyEnv }),
    ...(conversations ? { conversations } : {}),
  };
  if (options.goodput && !options.llm && !options.stream) {
    throw new UsageError("Cannot use --goodput without --api or --stream");
  }
  if (values.burstiness !== undefined) {
    if (options.arrival !== "poisson") {
      throw new UsageError(
        "Cannot use --burstiness with --arrival constant (gamma gaps are random)",
      );
    }
    options.burstiness = num(values, "burstiness", 0.01);
    if (options.burstiness > 1000) {
      throw new UsageError(`Cannot parse --burstiness: "${options.burstiness}" is above 1000`);
    }
  }
  if (values.percentiles !== undefined) {
    options.percentiles = parsePercentiles(str(values, "percentiles", ""));
  }
  if (values["max-response-bytes"] !== undefined) {
    options.maxResponseBytes = int(values, "max-response-bytes", 0);
  }
  if (values.debug === true) options.debug = true;
  Object.assign(options, parseAgainstHistory(values));
  if (values.steady === true) options.steady = true;
  const sharedPrefix = parseSharedPrefixFlag(values, options.seed);
  if (sharedPrefix) options.sharedPrefix = sharedPrefix;
  checkRunOptions(options, durationS);
  const split = {
    requests: options.requests,
    concurrency: open || trace ? null : options.concurrency,
  };
  Object.assign(options, parseShardFlags(values, split, deps));
  applyClientChoice(options, values, byTimeOnly);
  // Parsed once, here: a mistyped or malformed --sla fails before anything runs.
  const maxSendLag = parseMaxSendLag(values);
  const sla = strList(values, "sla");
  if (maxSendLag !== null) sla.push(`lag_max<=${maxSendLag}`);
  options.thresholds = parseSla(sla, maxErrorRate, ALL_METRICS);
  if (strList(values, "sla").length === 0 && maxSendLag === null) options.slaDefault = true;
  // A threshold on a metric this kind of run does not report is bad usage too.
  requireMetrics(options.thresholds.map((t) => t.metric), groupsOf(options), "this run");
  if (options.steady && options.histogram) {
    throw new UsageError("Cannot use --steady with --histogram (the window needs every request)");
  }
  // A histogram run holds neither every body nor every sample: its own bound applies.
  checkLoadLimits({ ...options, maxErrorRate, ...(options.histogram ? { requests: 0 } : {}) });
  if (!("content-type" in options.headers) && options.method !== "GET" && !grpc) {
    options.headers["content-type"] = "application/json";
  }
  return options;
}

function checkRunCombinations(values: Record<string, unknown>): void {
  const open = values.rate !== undefined || values.stages !== undefined ||
    values.trace !== undefined || values["session-rate"] !== undefined;
  for (const flag of ["arrival", "max-in-flight", "max-send-lag", "burstiness"]) {
    if (!open && values[flag] !== undefined) {
      throw new UsageError(
        `Cannot use --${flag} without --rate or --stages (it belongs to the open loop)`,
      );
    }
  }
  if (values.body !== undefined && values.dataset !== undefined) {
    throw new UsageError("Cannot use --body with --dataset");
  }
  if (values["dataset-order"] !== undefined && values.dataset === undefined) {
    throw new UsageError("Cannot use --dataset-order without --dataset");
  }
}

function checkRunOptions(options: RunCommandOptions, durationS: number | null): void {
  if (options.rate !== null && options.rate > 1_000_000) {
    throw new UsageError(`Cannot parse --rate: "${options.rate}" is above 1000000 per second`);
  }
  if (options.durationMs !== null && options.durationMs > 86_400_000) {
    throw new UsageError(`Cannot parse --duration: "${durationS}" is above 86400 seconds`);
  }
  if (options.seed > 0xffffffff) {
    throw new UsageError(`Cannot parse --seed: "${options.seed}" is above 4294967295`);
  }
  if (!/^[A-Z]+$/.test(options.method)) {
    throw new UsageError(`Cannot parse --method: "${options.method}"`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(options.phase)) {
    throw new UsageError(`Cannot parse --phase: "${options.phase}" (letters, digits, _ . - only)`);
  }
}
