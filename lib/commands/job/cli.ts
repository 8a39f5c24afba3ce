/**
 * `loadgate job`: the main job as the command line runs it, with the
 * functional tests of the checkout it was started from.
 *
 * @module
 */

import { checkHistoryTarget } from "../shared/ci_outputs.ts";
import { runFunctionalTests, type TestCounts } from "./functional_tests.ts";
import { readEarlierReport } from "./earlier_report.ts";
import { testProgressLine } from "./test_stage.ts";
import type { JobOptions, TestPaths } from "./options.ts";
import { runJob } from "./command.ts";
import {
  ciOutputFiles,
  outFile,
  type OutputFile,
  withCheckedOutputs,
} from "../shared/output_paths.ts";
import { EXTRA_CELLS } from "../../evidence/factorial.ts";
import { PHASES } from "./options.ts";
import { progressEnabled, readEnv, writeStderr } from "../shared/terminal.ts";
import { startStubProcess } from "../../stub/spawn.ts";
import { ciSetup } from "../shared/flags/ci.ts";
import { JOB_FLAGS, parseJobArgs } from "./flags.ts";
import { ensureJobAccess } from "../shared/permissions.ts";
import { type CliContext, terminalProgress, withStopSignal } from "../shared/context.ts";

/** Runs the main job; `--help` prints `help()` (the top-level help, which lists the job's flags). */
export async function jobCommand(
  args: string[],
  cli: CliContext,
  help: () => Promise<string>,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, JOB_FLAGS, cli);
  await checkHistoryTarget(ci);
  const options = parseJobArgs(args, ctx.color);
  if (options === "help") return cli.print(await help());
  ensureJobAccess(Deno.execPath());
  const check = {
    outDir: options.outDir,
    files: jobFiles(options.outDir, ci),
    inputs: options.testsJunit ? [options.testsJunit] : [],
  };
  return await withCheckedOutputs(check, async () => {
    // Read before anything is written: a stale or missing report is bad usage (exit 2).
    const earlier = options.testsJunit
      ? await readEarlierReport(options.testsJunit, checkout())
      : null;
    const progress = terminalProgress(options.quiet);
    const stepSummary = readEnv("GITHUB_STEP_SUMMARY");
    return await withStopSignal(ctx, (stop) =>
      runJob(options, {
        ...ctx,
        startStub: (stubArgs, stubOptions) => startStubProcess(stubArgs, undefined, stubOptions),
        runTests: (paths) =>
          earlier ? Promise.resolve(earlier) : runTestsOfCheckout(paths, options, ctx.err),
        stop,
        ci: { ...ci, stepSummary: null },
        ...(progress ? { progress } : {}),
        ...(stepSummary ? { stepSummary } : {}),
      }));
  });
}

/** Every file the job writes: each cell's log and summary, the comparison, reports, CI files. */
function jobFiles(
  outDir: string,
  ci: { junit: string | null; prom: string | null },
): OutputFile[] {
  return [
    ...[...PHASES, ...EXTRA_CELLS].flatMap((p) => [
      ...outFile(outDir, `${p.name}.csv`, "log", true),
      ...outFile(outDir, `${p.name}.json`, "json", true),
    ]),
    ...outFile(outDir, "comparison.json", "json"),
    ...outFile(outDir, "comparison.csv", "csv"),
    ...outFile(outDir, "analysis.json", "json"),
    ...outFile(outDir, "report.html", "html"),
    ...outFile(outDir, "summary.md", "markdown"),
    ...outFile(outDir, "tests.xml", "xml"),
    ...ciOutputFiles(ci),
  ];
}

const NESTED_ENV = "LOADGATE_FUNCTIONAL_TESTS";

/** The checkout main.ts runs from (file: when run from one). */
const checkout = (): URL => new URL("../../../", import.meta.url);

function runTestsOfCheckout(
  paths: TestPaths,
  options: JobOptions,
  err: (line: string) => void,
): Promise<TestCounts> {
  const config = new URL("deno.json", checkout());
  const skipped = (reason: string): Promise<TestCounts> =>
    Promise.resolve({ passed: 0, failed: 0, junit: null, skipped_reason: reason });
  if (Deno.build.standalone || config.protocol !== "file:") {
    // No checkout beside a compiled binary or a run by URL: nothing is read from there.
    return skipped("not run: the functional tests need a checkout and deno (deno task test)");
  }
  if (Deno.env.get(NESTED_ENV) === "1") {
    // The job's own tests run the job; they must not run the tests again.
    return skipped("not run: already inside a functional test run");
  }
  const live = terminalLine(options.quiet);
  if (!live && !options.verbose) {
    err(`functional tests: running deno task test (its output: ${paths.log}; --verbose shows it)`);
  }
  const start = performance.now();
  return runFunctionalTests({
    configPath: config.pathname,
    junitPath: paths.junit,
    logPath: paths.log,
    env: { [NESTED_ENV]: "1" },
    ...(options.verbose ? { echo: (chunk: Uint8Array) => Deno.stderr.writeSync(chunk) } : {}),
    ...(live && !options.verbose
      ? {
        progress: (done: number, failed: number) =>
          live(testProgressLine(done, failed, performance.now() - start)),
      }
      : {}),
  }).finally(() => live?.(null));
}

/** Redraws one line on a terminal's stderr (null erases it); null when there is no terminal. */
function terminalLine(quiet: boolean): ((text: string | null) => void) | null {
  if (!progressEnabled({ isTerminal: Deno.stderr.isTerminal(), env: readEnv, quiet })) return null;
  return (text) => writeStderr(text === null ? "\r\x1b[K" : `\r${text}\x1b[K`);
}
