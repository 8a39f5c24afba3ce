/**
 * The command line: parses arguments, runs a subcommand, returns its exit
 * code. Only main.ts calls `Deno.exit`.
 *
 * @module
 */

import { type FlagSpec, int, num, parseFlags, range, str, strList } from "../base/flags.ts";
import { ExitCode, UsageError } from "../base/errors.ts";
import { runFunctionalTests } from "../app/functional_tests.ts";
import { checkLoadLimits } from "../app/input_checks.ts";
import { JOB_DEFAULTS, type JobOptions, runJob } from "../app/job.ts";
import { type ProgressFactory, progressFactory, unrefInterval } from "../report/progress.ts";
import {
  colorEnabled,
  progressEnabled,
  readEnv,
  stderrColumns,
  writeStderr,
} from "../report/terminal.ts";
import { ensureJobAccess, ensureNetAccess } from "./permissions.ts";
import { startStubProcess } from "../stub/process.ts";
import { parseRunArgs, RUN_HELP, runCommand } from "../app/run.ts";
import { COMPARE_HELP, compareCommand, parseCompareArgs } from "../app/compare.ts";
import { MERGE_HELP, mergeCommand, parseMergeArgs } from "../app/merge.ts";
import { K8S_HELP, k8sCommand, parseK8sArgs } from "../app/k8s.ts";
import { summarize } from "../stats/stats.ts";
import { metricNames, thresholdsFor } from "../verdict/verdict.ts";
import {
  parseUncertaintyFlags,
  UNCERTAINTY_FLAGS,
  UNCERTAINTY_HELP,
} from "../app/uncertainty_args.ts";
import { VERSION } from "../base/version.ts";
import { stubMain } from "../stub/server.ts";
import { IMPORT_HELP, importCommand, parseImportArgs } from "../app/import.ts";

const CONSOLE = {
  out: (line: string) => console.log(line),
  err: (line: string) => console.error(line),
};

const HELP = `loadgate ${VERSION}: load-test an HTTP inference endpoint and gate on a latency SLA.

Usage:
  loadgate job [options]      the main job: functional tests, baseline and optimized
                              phases against the built-in stub, comparison, verdict
  loadgate run --url URL      one phase against any endpoint (see run --help)
  loadgate compare A.csv B.csv  compare two logs and gate on the SLA (see compare --help)
  loadgate import FILE --out DIR  convert another tool's log (see import --help)
  loadgate merge DIR...       merge the shards of a run exactly and gate (see merge --help)
  loadgate k8s --shards N -- run ...  Kubernetes manifests of a sharded run (see k8s --help)
  loadgate stub [options]     run the stub inference endpoint (see stub --help)
  loadgate --help | --version

Options of job:
  --requests N           requests per phase (default ${JOB_DEFAULTS.requests})
  --concurrency C        concurrent workers (default ${JOB_DEFAULTS.concurrency})
  --timeout-ms MS        per-request timeout (default ${JOB_DEFAULTS.timeoutMs})
  --seed N               workload seed (default ${JOB_DEFAULTS.seed})
  --service-ms MIN:MAX   stub service time range (default ${JOB_DEFAULTS.serviceMs.join(":")})
  --sla EXPR             threshold on the optimized phase, repeatable (default p95<=800)
  --max-error-rate R     failures allowed in the optimized phase (default 0)
  --out DIR              output folder (default ${JOB_DEFAULTS.outDir})
  --skip-tests           do not run the functional tests first
${UNCERTAINTY_HELP}
  --quiet                no live progress line (it shows only when stderr is a
                         terminal and CI is unset)
  --no-factorial         skip the two extra cells of the 2 x 2 run (below)
  --tls                  stub and client speak HTTPS (self-signed certificate made
                         by openssl for the run; HTTP/1.1, one request per connection)

Besides baseline and optimized, the job runs the two other cells of a 2 x 2 run
(serialized stub + pooled connections, concurrent stub + fresh connections) and
writes analysis.json: each factor's effect, where the time goes, connections,
queueing, and the contributors ranked by measured effect.

Exit codes: 0 pass, 1 SLA or check failed, 2 bad usage or input, 3 functional
tests failed, 4 inconclusive (--verdict interval), 130 interrupted.`;

const JOB_FLAGS: FlagSpec = {
  requests: { type: "string" },
  concurrency: { type: "string" },
  "timeout-ms": { type: "string" },
  seed: { type: "string" },
  "service-ms": { type: "string" },
  sla: { type: "string", multiple: true },
  "max-error-rate": { type: "string" },
  out: { type: "string" },
  "skip-tests": { type: "boolean" },
  quiet: { type: "boolean" },
  tls: { type: "boolean" },
  "no-factorial": { type: "boolean" },
  "fault-alter-output": { type: "string" },
  help: { type: "boolean", short: "h" },
  ...UNCERTAINTY_FLAGS,
};

/** Parses the job's flags. Throws {@linkcode UsageError}. */
export function parseJobArgs(args: string[], color: boolean): JobOptions | "help" {
  const { values } = parseFlags(args, JOB_FLAGS);
  if (values.help) return "help";
  const d = JOB_DEFAULTS;
  const options: JobOptions = {
    requests: int(values, "requests", d.requests),
    concurrency: int(values, "concurrency", d.concurrency),
    timeoutMs: int(values, "timeout-ms", d.timeoutMs),
    seed: int(values, "seed", d.seed, 0),
    serviceMs: range(values, "service-ms", d.serviceMs),
    sla: strList(values, "sla"),
    maxErrorRate: num(values, "max-error-rate", d.maxErrorRate, true),
    outDir: str(values, "out", d.outDir),
    skipTests: values["skip-tests"] === true,
    color,
    uncertainty: parseUncertaintyFlags(values),
    quiet: values.quiet === true,
    tls: values.tls === true,
    factorial: values["no-factorial"] !== true,
  };
  // Parse the thresholds now: a mistyped --sla must fail before anything runs.
  thresholdsFor(options.sla, options.maxErrorRate, metricNames(summarize([])));
  checkLoadLimits(options);
  if (options.maxErrorRate > 1) {
    throw new UsageError(`Cannot parse --max-error-rate: "${options.maxErrorRate}" is above 1`);
  }
  if (values["fault-alter-output"] !== undefined) {
    options.alterOutputNth = int(values, "fault-alter-output", 1);
  }
  return options;
}

/** Runs loadgate with `args`; returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const color = colorEnabled({ isTerminal: Deno.stdout.isTerminal(), noColor: Deno.noColor });
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(HELP);
        return command === undefined ? ExitCode.Usage : ExitCode.Pass;
      case "--version":
      case "version":
        console.log(`loadgate ${VERSION} (deno ${Deno.version.deno})`);
        return ExitCode.Pass;
      case "stub":
        return await stubMain(rest);
      case "job":
        return await jobCommand(rest, color);
      case "run": {
        const options = parseRunArgs(rest);
        if (options === "help") return (console.log(RUN_HELP), ExitCode.Pass);
        ensureNetAccess(options.url);
        await ensureWritable(options.outDir);
        const progress = terminalProgress(options.quiet);
        return await withStopSignal((stop) =>
          runCommand(options, { ...CONSOLE, stop, ...(progress ? { progress } : {}) })
        );
      }
      case "compare": {
        const options = parseCompareArgs(rest, color);
        if (options === "help") return (console.log(COMPARE_HELP), ExitCode.Pass);
        await ensureWritable(options.outDir);
        return await compareCommand(options, CONSOLE);
      }
      case "import": {
        const options = parseImportArgs(rest);
        if (options === "help") return (console.log(IMPORT_HELP), ExitCode.Pass);
        await ensureWritable(options.outDir);
        return await importCommand(options, CONSOLE);
      }
      case "merge": {
        const options = parseMergeArgs(rest);
        if (options === "help") return (console.log(MERGE_HELP), ExitCode.Pass);
        await ensureWritable(options.outDir);
        return await mergeCommand(options, CONSOLE);
      }
      case "k8s": {
        const options = parseK8sArgs(rest);
        if (options === "help") return (console.log(K8S_HELP), ExitCode.Pass);
        await ensureWritable(options.outDir);
        return await k8sCommand(options, {
          ...CONSOLE,
          nowMs: Date.now(),
          denoVersion: Deno.version.deno,
        });
      }
      default:
        throw new UsageError(`Unknown command "${command}" (try --help)`);
    }
  } catch (err) {
    return reportError(err);
  }
}

async function jobCommand(args: string[], color: boolean): Promise<number> {
  const options = parseJobArgs(args, color);
  if (options === "help") {
    console.log(HELP);
    return ExitCode.Pass;
  }
  ensureJobAccess(Deno.execPath());
  await ensureWritable(options.outDir);
  const progress = terminalProgress(options.quiet);
  const stepSummary = readEnv("GITHUB_STEP_SUMMARY");
  return await withStopSignal((stop) =>
    runJob(options, {
      ...CONSOLE,
      startStub: (stubArgs, stubOptions) => startStubProcess(stubArgs, undefined, stubOptions),
      runTests: (junitPath) => runTestsOfCheckout(junitPath),
      stop,
      ...(progress ? { progress } : {}),
      ...(stepSummary ? { stepSummary } : {}),
    })
  );
}

/** A live progress line on stderr, or null where it must not show (see progressEnabled). */
function terminalProgress(quiet: boolean): ProgressFactory | null {
  const isTerminal = Deno.stderr.isTerminal();
  if (!progressEnabled({ isTerminal, env: readEnv, quiet })) return null;
  return progressFactory(
    {
      write: writeStderr,
      now: () => performance.now(),
      every: unrefInterval,
      columns: stderrColumns,
    },
    colorEnabled({ isTerminal, noColor: Deno.noColor }),
  );
}

const NESTED_ENV = "LOADGATE_FUNCTIONAL_TESTS";

function runTestsOfCheckout(junitPath: string) {
  const config = new URL("../../deno.json", import.meta.url);
  if (Deno.build.standalone || config.protocol !== "file:") {
    // No checkout beside a compiled binary or a run by URL: nothing is read from there.
    return Promise.resolve({
      passed: 0,
      failed: 0,
      junit: null,
      skipped_reason: "not run: the functional tests need a checkout and deno (deno task test)",
    });
  }
  if (Deno.env.get(NESTED_ENV) === "1") {
    // The job's own tests run the job; they must not run the tests again.
    return Promise.resolve({
      passed: 0,
      failed: 0,
      junit: null,
      skipped_reason: "not run: already inside a functional test run",
    });
  }
  return runFunctionalTests({ configPath: config.pathname, junitPath, env: { [NESTED_ENV]: "1" } });
}

/** Runs `body` with an AbortSignal that SIGINT and SIGTERM abort. */
export async function withStopSignal<T>(body: (stop: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    if (!controller.signal.aborted) {
      console.error("loadgate: stopping; waiting for requests in flight");
    }
    controller.abort();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    return await body(controller.signal);
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}

/** Creates `dir` and proves it can be written, or throws {@linkcode UsageError}. */
export async function ensureWritable(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.loadgate-write-test`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Cannot write to output folder "${dir}": ${why}`);
  }
}

function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    // One line, whatever the message holds (a file name, a parser's message).
    console.error(`loadgate: ${err.message.replace(/\s*\n\s*/g, " ")}`);
    return ExitCode.Usage;
  }
  if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
    console.error(`loadgate: permission denied: ${err.message.split("\n")[0]}`);
    return ExitCode.Usage;
  }
  console.error(
    `loadgate: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`,
  );
  return ExitCode.Fail;
}
