/**
 * `loadgate job`: its flags (the one spec that parses them and writes the
 * help) and the parser, thresholds included.
 *
 * @module
 */

import {
  choice,
  type FlagSpec,
  type FlagValues,
  int,
  num,
  parseFlags,
  range,
  str,
  strList,
} from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { checkLoadLimits } from "../shared/input_checks.ts";
import { ENGINE_NAMES } from "../../load/engine.ts";
import { JOB_DEFAULTS, JOB_METRICS, type JobOptions } from "./options.ts";
import { parseSla } from "../../verdict/threshold.ts";
import { parseUncertaintyFlags, UNCERTAINTY_FLAGS } from "../shared/flags/uncertainty.ts";
import { LLM_JOB } from "./llm.ts";
import { CONVERSATION_JOB, CONVERSATION_REQUESTS } from "./conversations.ts";
import { ALL_METRICS, type MetricGroups, requireMetrics } from "../../stats/load_metrics.ts";
import { type OpenAiApi, parseApi } from "../../workload/openai_request.ts";

const LLM_GROUPS: MetricGroups = { openLoop: false, streaming: true, llm: true };

function parseJobApi(values: Record<string, unknown>): OpenAiApi | null {
  if (values.api === undefined || values.api === "kserve-v2" || values.api === "kserve-v2-grpc") {
    return null;
  }
  const api = parseApi(String(values.api));
  if (api === "raw") throw new UsageError("Cannot use --api raw with job (it is the default job)");
  return api;
}
import { CI_FLAGS } from "../shared/flags/ci.ts";
import { concurrencyFlag, HELP_FLAG, QUIET_FLAG, requestsFlag } from "../shared/flags/common.ts";
import { OUTPUT_CHECK_FLAGS, parseOutputCheck } from "../shared/flags/output_check.ts";
import { TIMEOUT_FLAG, timeoutFlag } from "../shared/flags/duration.ts";

const D = JOB_DEFAULTS;

/** Flags of the main job. */
export const JOB_FLAGS: FlagSpec = {
  ...requestsFlag(`requests per phase (default ${D.requests})`),
  ...concurrencyFlag(`concurrent workers (default ${D.concurrency})`),
  "timeout-ms": { type: "string", arg: "MS", help: `per-request timeout (default ${D.timeoutMs})` },
  seed: { type: "string", arg: "N", help: `workload seed (default ${D.seed})` },
  "service-ms": {
    type: "string",
    arg: "MIN:MAX",
    help: `stub service time range (default ${D.serviceMs.join(":")})`,
  },
  sla: {
    type: "string",
    multiple: true,
    arg: "EXPR",
    help: "threshold on the optimized phase, repeatable (default p95<=800)",
  },
  "max-error-rate": {
    type: "string",
    arg: "R",
    help: "failures allowed in the optimized phase (default 0)",
  },
  out: { type: "string", arg: "DIR", help: `output folder (default ${D.outDir})` },
  "skip-tests": { type: "boolean", help: "do not run the functional tests first" },
  "tests-junit": {
    type: "string",
    arg: "FILE",
    help: "read the functional tests' counts from the JUnit report FILE\n" +
      "of a `deno task test` run just before (CI), instead of running\n" +
      "them again; refused when a file of lib/ or tests/ is newer",
  },
  verbose: { type: "boolean", help: "show the test runner's output as it comes" },
  details: {
    type: "boolean",
    help: "print the 2 x 2 evidence, the intervals and the queueing\n" +
      "analysis too (always in analysis.json, summary.md, report.html)",
  },
  ...UNCERTAINTY_FLAGS,
  ...QUIET_FLAG,
  "no-factorial": { type: "boolean", help: "skip the two extra cells of the 2 x 2 run (below)" },
  tls: {
    type: "boolean",
    help: "stub and client speak HTTPS (self-signed certificate made\n" +
      "by openssl for the run; HTTP/1.1, one request per connection)",
  },
  api: {
    type: "string",
    arg: "API",
    help: "kserve-v2: the same proof against the stub's v2 model (random\n" +
      "tensors from its metadata, the statistics extension's split);\n" +
      "kserve-v2-grpc: the same over gRPC;\n" +
      "openai-chat or openai-completions: the same proof against the\n" +
      "stub's OpenAI API, serialized vs batched handler, streamed\n" +
      `(default ${LLM_JOB.requests} requests, ${LLM_JOB.concurrency} concurrent, SLA p95<=800 and\n` +
      `ttft_p95<=${LLM_JOB.ttftP95Ms})`,
  },
  workload: {
    type: "string",
    arg: "W",
    help: "--api openai-chat: synthetic (default, the handler proof) or\n" +
      "conversations: multi-turn sessions against the batched stub\n" +
      "without (baseline) and with (optimized) its prefix cache",
  },
  ...TIMEOUT_FLAG,
  ...OUTPUT_CHECK_FLAGS,
  ...CI_FLAGS,
  engine: {
    type: "string",
    arg: "fetch|h1",
    help: "HTTP client of the phases: Deno's fetch (default, the one the\n" +
      "job's question is about) or loadgate's lean h1 engine",
  },
  // Fault injection for the tests: not listed in the help.
  "fault-alter-output": { type: "string" },
  ...HELP_FLAG,
};

/** Parses the job's flags, thresholds included. Throws {@linkcode UsageError}. */
export function parseJobArgs(args: string[], color: boolean): JobOptions | "help" {
  const { values } = parseFlags(args, JOB_FLAGS);
  if (values.help) return "help";
  const maxErrorRate = num(values, "max-error-rate", 0, true);
  const api = parseJobApi(values);
  const sla = strList(values, "sla");
  const options: JobOptions = {
    requests: int(values, "requests", api ? LLM_JOB.requests : D.requests),
    concurrency: int(values, "concurrency", api ? LLM_JOB.concurrency : D.concurrency),
    timeoutMs: timeoutFlag(values, D.timeoutMs),
    seed: int(values, "seed", D.seed, 0),
    serviceMs: range(values, "service-ms", D.serviceMs),
    // Parsed once, here: a mistyped --sla must fail before anything runs.
    thresholds: api
      ? parseSla(
        sla.length > 0 ? sla : ["p95<=800", `ttft_p95<=${LLM_JOB.ttftP95Ms}`],
        maxErrorRate,
        ALL_METRICS,
      )
      : parseSla(sla, maxErrorRate, JOB_METRICS),
    outDir: str(values, "out", D.outDir),
    skipTests: values["skip-tests"] === true,
    verbose: values.verbose === true,
    details: values.details === true,
    color,
    uncertainty: parseUncertaintyFlags(values),
    quiet: values.quiet === true,
    tls: values.tls === true,
    engine: choice(values, "engine", ENGINE_NAMES, "fetch"),
    factorial: values["no-factorial"] !== true,
    api,
    outputCheck: parseOutputCheck(values) ?? "exact",
    ...(values.api === "kserve-v2" ? { kserve: true } : {}),
    ...(values.api === "kserve-v2-grpc" ? { kserve: true, kserveGrpc: true } : {}),
  };
  if (values["tests-junit"] !== undefined) {
    if (options.skipTests) throw new UsageError("Cannot use --tests-junit with --skip-tests");
    options.testsJunit = str(values, "tests-junit", "");
  }
  if (api && options.tls) throw new UsageError("Cannot use --api with --tls");
  if (options.kserveGrpc) {
    if (options.tls) throw new UsageError("Cannot use --tls with --api kserve-v2-grpc (plaintext)");
    if (values.engine !== undefined) {
      throw new UsageError("Cannot use --engine with --api kserve-v2-grpc (it runs on gRPC)");
    }
    options.engine = "grpc";
  }
  applyWorkloadFlag(values, options, maxErrorRate);
  if (api) requireMetrics(options.thresholds.map((t) => t.metric), LLM_GROUPS, "job --api");
  checkLoadLimits({ ...options, maxErrorRate });
  if (maxErrorRate > 1) {
    throw new UsageError(`Cannot parse --max-error-rate: "${maxErrorRate}" is above 1`);
  }
  if (values["fault-alter-output"] !== undefined) {
    options.alterOutputNth = int(values, "fault-alter-output", 1);
  }
  return options;
}

/** `--workload conversations`: sessions, their request count, no 2 x 2 (its factors are others). */
function applyWorkloadFlag(values: FlagValues, options: JobOptions, maxErrorRate: number): void {
  const workload = choice(values, "workload", ["synthetic", "conversations"] as const, "synthetic");
  if (workload === "synthetic") return;
  if (options.api !== "openai-chat") {
    throw new UsageError("Cannot use --workload conversations without --api openai-chat");
  }
  if (values.requests !== undefined) {
    throw new UsageError(
      `Cannot use --requests with --workload conversations (it sends ${CONVERSATION_REQUESTS} turns)`,
    );
  }
  options.workload = "conversations";
  options.requests = CONVERSATION_REQUESTS;
  if (values.concurrency === undefined) options.concurrency = CONVERSATION_JOB.concurrency;
  options.factorial = false;
  if (strList(values, "sla").length === 0) {
    const sla = ["p95<=800", `ttft_p95<=${CONVERSATION_JOB.ttftP95Ms}`];
    options.thresholds = parseSla(sla, maxErrorRate, ALL_METRICS);
  }
  // The stream's framing differs by design (only the optimized stub reports cached_tokens):
  // outputs are compared as generated text unless told otherwise.
  if (values["output-check"] === undefined) options.outputCheck = "text";
  // Its question is the server's cache, not the client: the lean h1 client.
  if (values.engine === undefined) options.engine = "h1";
}
