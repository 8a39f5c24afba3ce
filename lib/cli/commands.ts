/**
 * The commands: each a name, a line of top-level help and a function from
 * arguments to an exit code. A command parses its flags (lib/cli/*_args.ts),
 * calls its orchestration in lib/app/, and returns the exit code.
 *
 * @module
 */

import { flagHelp, type FlagSpec, helpText } from "../base/flags.ts";
import { VERSION } from "../base/version.ts";
import { ExitCode, UsageError } from "../base/errors.ts";
import { compareCommand } from "../app/compare.ts";
import { runFunctionalTests, type TestCounts } from "../app/functional_tests.ts";
import { runJob } from "../app/job.ts";
import { createdFolders, ensureWritable } from "../app/out_dir.ts";
import { runCommand } from "../app/run.ts";
import { sweepCommand } from "../app/sweep.ts";
import { compareSweepsCommand, isSweepFolder } from "../app/sweep_compare.ts";
import { importCommand } from "../app/import.ts";
import { mergeCommand } from "../app/merge.ts";
import { k8sCommand } from "../app/k8s.ts";
import { K8S_FLAGS, K8S_NOTES, K8S_USAGE, parseK8sArgs } from "./k8s_args.ts";
import { IMPORT_FLAGS, IMPORT_NOTES, IMPORT_USAGE, parseImportArgs } from "./import_args.ts";
import { MERGE_FLAGS, MERGE_NOTES, MERGE_USAGE, parseMergeArgs } from "./merge_args.ts";
import { ciSetup } from "./ci_flags.ts";
import { completionScript, parseShell } from "./completions.ts";
import { readEnv } from "../report/terminal.ts";
import { startStubProcess } from "../stub/process.ts";
import { STUB_FLAGS, stubMain } from "../stub/server.ts";
import { COMPARE_FLAGS, COMPARE_NOTES, COMPARE_USAGE, parseCompareArgs } from "./compare_args.ts";
import { JOB_FLAGS, parseJobArgs } from "./job_args.ts";
import { ensureJobAccess, ensureNetAccess } from "./permissions.ts";
import { parseRunArgs, RUN_FLAGS, RUN_USAGE } from "./run_args.ts";
import { parseSweepArgs, SWEEP_FLAGS, SWEEP_NOTES, SWEEP_USAGE } from "./sweep_args.ts";
import { type CliContext, terminalProgress, withStopSignal } from "./process.ts";

/** A subcommand. */
export interface Command {
  /** How it is called, for the top-level help (`run --url URL`). */
  synopsis: string;
  /** What it does, for the top-level help; "\n" continues the line. */
  summary: string;
  /** Runs it; returns the exit code. Throws `UsageError` on bad usage. */
  run: (args: string[], ctx: CliContext) => Promise<number>;
  /** Its flags: they feed `--config` and the shell completions. */
  flags: FlagSpec;
}

/** The subcommands, in the order the help lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  job: {
    synopsis: "job [options]",
    summary: "the main job: functional tests, baseline and optimized\n" +
      "phases against the built-in stub, comparison, verdict",
    run: jobCommand,
    flags: JOB_FLAGS,
  },
  run: {
    synopsis: "run --url URL",
    summary: "one phase against any endpoint (see run --help)",
    run: async (args, cli) => {
      const options = parseRunArgs(args);
      if (options === "help") return cli.print(helpText(RUN_USAGE, RUN_FLAGS));
      const { ctx, ci } = ciSetup(args, RUN_FLAGS, cli);
      ensureNetAccess(options.url);
      const undoFolder = await createdFolders(options.outDir);
      await ensureWritable(options.outDir);
      const progress = terminalProgress(options.quiet);
      try {
        return await withStopSignal(
          ctx,
          (stop) => runCommand(options, { ...ctx, ci, stop, ...(progress ? { progress } : {}) }),
        );
      } catch (err) {
        if (err instanceof UsageError) await undoFolder(); // refused before writing a file
        throw err;
      }
    },
    flags: RUN_FLAGS,
  },
  compare: {
    synopsis: "compare A.csv B.csv",
    summary: "compare two logs and gate on the SLA (see compare --help)",
    run: async (args, cli) => {
      const { ctx, ci } = ciSetup(args, COMPARE_FLAGS, cli);
      const options = parseCompareArgs(args, ctx.color);
      if (options === "help") {
        return cli.print(helpText(COMPARE_USAGE, COMPARE_FLAGS, COMPARE_NOTES));
      }
      await ensureWritable(options.outDir);
      const sweeps = [await isSweepFolder(options.before), await isSweepFolder(options.after)];
      if (sweeps[0] && sweeps[1]) return await compareSweepsCommand(options, ctx);
      if (sweeps[0] || sweeps[1]) {
        throw new UsageError("Cannot compare a sweep folder with a log: give two of a kind");
      }
      return await compareCommand(options, { ...ctx, ci });
    },
    flags: COMPARE_FLAGS,
  },
  sweep: {
    synopsis: "sweep --url URL",
    summary: "capacity at the SLA: steps of rising load, a search,\n" +
      "the knee, a gate on capacity (see sweep --help)",
    run: async (args, ctx) => {
      const options = parseSweepArgs(args);
      if (options === "help") return ctx.print(helpText(SWEEP_USAGE, SWEEP_FLAGS, SWEEP_NOTES));
      ensureNetAccess(options.base.url);
      await ensureWritable(options.outDir);
      return await withStopSignal(ctx, (stop) => sweepCommand(options, { ...ctx, stop }));
    },
    flags: SWEEP_FLAGS,
  },
  import: {
    synopsis: "import FILE --out DIR",
    summary: "convert another tool's log (see import --help)",
    run: async (args, ctx) => {
      const options = parseImportArgs(args);
      if (options === "help") {
        return ctx.print(helpText(IMPORT_USAGE, IMPORT_FLAGS, IMPORT_NOTES));
      }
      await ensureWritable(options.outDir);
      return await importCommand(options, ctx);
    },
    flags: IMPORT_FLAGS,
  },
  merge: {
    synopsis: "merge DIR...",
    summary: "merge the shards of a run exactly and gate (see merge --help)",
    run: async (args, cli) => {
      const options = parseMergeArgs(args);
      if (options === "help") return cli.print(helpText(MERGE_USAGE, MERGE_FLAGS, MERGE_NOTES));
      const { ctx, ci } = ciSetup(args, MERGE_FLAGS, cli);
      await ensureWritable(options.outDir);
      return await mergeCommand(options, { ...ctx, ci });
    },
    flags: MERGE_FLAGS,
  },
  k8s: {
    synopsis: "k8s --shards N -- run ...",
    summary: "Kubernetes manifests of a sharded run (see k8s --help)",
    run: async (args, ctx) => {
      const options = parseK8sArgs(args);
      if (options === "help") return ctx.print(helpText(K8S_USAGE, K8S_FLAGS, K8S_NOTES));
      await ensureWritable(options.outDir);
      return await k8sCommand(options, {
        ...ctx,
        nowMs: Date.now(),
        denoVersion: Deno.version.deno,
      });
    },
    flags: K8S_FLAGS,
  },
  stub: {
    synopsis: "stub [options]",
    summary: "run the stub inference endpoint (see stub --help)",
    run: (args) => stubMain(args),
    flags: STUB_FLAGS,
  },
  completions: {
    synopsis: "completions bash|zsh|fish",
    summary: "the shell completion script (see docs/ci.md)",
    run: (args, ctx) => {
      if (args.length !== 1) {
        throw new UsageError(`completions takes one shell, got ${args.length} (bash, zsh or fish)`);
      }
      const shell = parseShell(args[0]);
      ctx.out(completionScript(shell, completionCommands()).trimEnd());
      return Promise.resolve(ExitCode.Pass);
    },
    flags: {},
  },
};

/**
 * Every command with the long names of its flags, from the specs that parse
 * them (`--config` on each; `--help` is added by the scripts; test-only
 * `--fault-*` flags left out).
 */
export function completionCommands(): { name: string; flags: string[]; description: string }[] {
  return Object.entries(COMMANDS).map(([name, c]) => {
    const own = Object.keys(c.flags).filter((f) => f !== "help" && !f.startsWith("fault-"));
    return {
      name,
      flags: name === "completions" ? own : [...new Set([...own, "config"])],
      description: c.summary.split("\n")[0]!.replace(/ \(see .*\)$/, ""),
    };
  });
}

/** The top-level help: the commands, then the main job's flags from their spec. */
export function mainHelp(): string {
  const commands = Object.values(COMMANDS).flatMap((c) => {
    const [first, ...rest] = c.summary.split("\n");
    const left = `  loadgate ${c.synopsis}`;
    const pad = 30;
    return [
      `${left}${" ".repeat(Math.max(2, pad - left.length))}${first}`,
      ...rest.map((line) => `${" ".repeat(pad)}${line}`),
    ];
  });
  return `loadgate ${VERSION}: load-test an HTTP inference endpoint and gate on a latency SLA.

Usage:
${commands.join("\n")}
  loadgate --help | --version

Options of job:
${flagHelp(JOB_FLAGS)}

Besides baseline and optimized, the job runs the two other cells of a 2 x 2 run
(serialized stub + pooled connections, concurrent stub + fresh connections) and
writes analysis.json: each factor's effect, where the time goes, connections,
queueing, and the contributors ranked by measured effect.

Exit codes: 0 pass, 1 SLA or check failed, 2 bad usage or input, 3 functional
tests failed, 4 inconclusive (--verdict interval), 130 interrupted.`;
}

async function jobCommand(args: string[], cli: CliContext): Promise<number> {
  const { ctx, ci } = ciSetup(args, JOB_FLAGS, cli);
  const options = parseJobArgs(args, ctx.color);
  if (options === "help") return cli.print(mainHelp());
  ensureJobAccess(Deno.execPath());
  await ensureWritable(options.outDir);
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

const NESTED_ENV = "LOADGATE_FUNCTIONAL_TESTS";

function runTestsOfCheckout(junitPath: string): Promise<TestCounts> {
  const config = new URL("../../deno.json", import.meta.url);
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

/** `--version`. */
export function versionLine(): string {
  return `loadgate ${VERSION} (deno ${Deno.version.deno})`;
}
