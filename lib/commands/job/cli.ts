/**
 * `loadgate job`: the main job as the command line runs it, with the
 * functional tests of the checkout it was started from.
 *
 * @module
 */

import { runFunctionalTests, type TestCounts } from "./functional_tests.ts";
import { runJob } from "./command.ts";
import { checkOutputs, ciOutputFiles, outFile, type OutputFile } from "../shared/output_paths.ts";
import { EXTRA_CELLS } from "../../evidence/factorial.ts";
import { PHASES } from "./options.ts";
import { readEnv } from "../shared/terminal.ts";
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
  const options = parseJobArgs(args, ctx.color);
  if (options === "help") return cli.print(await help());
  ensureJobAccess(Deno.execPath());
  await checkOutputs({ outDir: options.outDir, files: jobFiles(options.outDir, ci), inputs: [] });
  const progress = terminalProgress(options.quiet);
  const stepSummary = readEnv("GITHUB_STEP_SUMMARY");
  return await withStopSignal(ctx, (stop) =>
    runJob(options, {
      ...ctx,
      startStub: (stubArgs, stubOptions) => startStubProcess(stubArgs, undefined, stubOptions),
      runTests: (junitPath) => runTestsOfCheckout(junitPath),
      stop,
      ci: { ...ci, stepSummary: null },
      ...(progress ? { progress } : {}),
      ...(stepSummary ? { stepSummary } : {}),
    }));
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

function runTestsOfCheckout(junitPath: string): Promise<TestCounts> {
  const config = new URL("../../../deno.json", import.meta.url);
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
  return runFunctionalTests({ configPath: config.pathname, junitPath, env: { [NESTED_ENV]: "1" } });
}
