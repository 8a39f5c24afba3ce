/**
 * The commands: each a name, a line of top-level help and a loader for its
 * code (flag spec and runner). A command's folder, `lib/commands/NAME/`, holds
 * its flags (`flags.ts`), its command-line entry (`cli.ts`) and its
 * orchestration (`command.ts`); it returns the exit code.
 *
 * Every command's modules load only when it runs (dynamic imports of literal
 * specifiers, which `deno compile` still bundles): `run` loads no report, CSV
 * parser, stub or `node:` module it does not use, and its process starts
 * smaller (docs/benchmarks.md, memory).
 *
 * @module
 */

import type { FlagSpec } from "../base/flags.ts";
import { type Command, type LoadedCommand, parsedCommand } from "../commands/shared/command.ts";
import { topLevelHelp } from "./main_help.ts";
import type { CliContext } from "../commands/shared/context.ts";

export type { Command } from "../commands/shared/command.ts";
export { versionLine } from "./main_help.ts";

/** A loaded command that parses its flags first, from its spec, usage line and notes. */
function parsed<T>(
  c: { flags: FlagSpec; usage: string; notes?: string; parse: (args: string[]) => T | "help" },
  then: (options: T, args: string[], cli: CliContext) => Promise<number>,
): LoadedCommand {
  const help = { usage: c.usage, flags: c.flags, ...(c.notes ? { notes: c.notes } : {}) };
  return { flags: c.flags, run: parsedCommand(c.parse, help, then) };
}

/** The subcommands, in the order the help lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  job: {
    synopsis: "job [options]",
    summary: "the main job: functional tests, baseline and optimized\n" +
      "phases against the built-in stub, comparison, verdict",
    load: async () => {
      const [{ JOB_FLAGS }, { jobCommand }] = await Promise.all([
        import("../commands/job/flags.ts"),
        import("../commands/job/cli.ts"),
      ]);
      return { flags: JOB_FLAGS, run: (args, cli) => jobCommand(args, cli, mainHelp) };
    },
  },
  run: {
    synopsis: "run --url URL",
    summary: "one phase against any endpoint (see run --help)",
    load: async () => {
      const [a, { runCli }] = await Promise.all([
        import("../commands/run/flags.ts"),
        import("../commands/run/cli.ts"),
      ]);
      return parsed({ flags: a.RUN_FLAGS, usage: a.RUN_USAGE, parse: a.parseRunArgs }, runCli);
    },
  },
  compare: {
    synopsis: "compare A.csv B.csv",
    summary: "compare two logs and gate on the SLA (see compare --help)",
    load: async () => {
      const [{ COMPARE_FLAGS }, { compareCli }] = await Promise.all([
        import("../commands/compare/flags.ts"),
        import("../commands/compare/cli.ts"),
      ]);
      return { flags: COMPARE_FLAGS, run: compareCli };
    },
  },
  sweep: {
    synopsis: "sweep --url URL",
    summary: "capacity at the SLA: steps of rising load, a search,\n" +
      "the knee, a gate on capacity (see sweep --help)",
    load: async () => {
      const [a, { sweepCli }] = await Promise.all([
        import("../commands/sweep/flags.ts"),
        import("../commands/sweep/cli.ts"),
      ]);
      return parsed({
        flags: a.SWEEP_FLAGS,
        usage: a.SWEEP_USAGE,
        notes: a.SWEEP_NOTES,
        parse: a.parseSweepArgs,
      }, sweepCli);
    },
  },
  import: {
    synopsis: "import FILE --out DIR",
    summary: "convert another tool's log (see import --help)",
    load: async () => {
      const [a, { importCli }] = await Promise.all([
        import("../commands/import/flags.ts"),
        import("../commands/import/cli.ts"),
      ]);
      return parsed({
        flags: a.IMPORT_FLAGS,
        usage: a.IMPORT_USAGE,
        notes: a.IMPORT_NOTES,
        parse: a.parseImportArgs,
      }, importCli);
    },
  },
  merge: {
    synopsis: "merge DIR...",
    summary: "merge the shards of a run exactly and gate (see merge --help)",
    load: async () => {
      const [a, { mergeCli }] = await Promise.all([
        import("../commands/merge/flags.ts"),
        import("../commands/merge/cli.ts"),
      ]);
      return parsed({
        flags: a.MERGE_FLAGS,
        usage: a.MERGE_USAGE,
        notes: a.MERGE_NOTES,
        parse: a.parseMergeArgs,
      }, mergeCli);
    },
  },
  k8s: {
    synopsis: "k8s --shards N -- run ...",
    summary: "Kubernetes manifests of a sharded run (see k8s --help)",
    load: async () => {
      const [a, { k8sCli }] = await Promise.all([
        import("../commands/k8s/flags.ts"),
        import("../commands/k8s/cli.ts"),
      ]);
      return parsed({
        flags: a.K8S_FLAGS,
        usage: a.K8S_USAGE,
        notes: a.K8S_NOTES,
        parse: a.parseK8sArgs,
      }, k8sCli);
    },
  },
  history: {
    synopsis: "history list|trend|changes|...",
    summary: "the recorded runs: list, trend, change points, import,\n" +
      "prune, a trend page (see history --help)",
    load: async () => {
      const [a, { historyCli }] = await Promise.all([
        import("../commands/history/flags.ts"),
        import("../commands/history/cli.ts"),
      ]);
      return parsed({
        flags: a.HISTORY_FLAGS,
        usage: a.HISTORY_USAGE,
        notes: a.HISTORY_NOTES,
        parse: a.parseHistoryArgs,
      }, historyCli);
    },
  },
  stub: {
    synopsis: "stub [options]",
    summary: "run the stub inference endpoint (see stub --help)",
    load: async () => {
      const [{ STUB_FLAGS }, { stubMain }] = await Promise.all([
        import("../stub/stub_args.ts"),
        import("../stub/stub_main.ts"),
      ]);
      return { flags: STUB_FLAGS, run: (args) => stubMain(args) };
    },
  },
  completions: {
    synopsis: "completions bash|zsh|fish",
    summary: "the shell completion script (see docs/ci.md)",
    load: async () => {
      const { completionsCommand } = await import("./completion_list.ts");
      return { flags: {}, run: (args, ctx) => completionsCommand(args, ctx, COMMANDS) };
    },
  },
};

/** The top-level help: the commands, then the main job's flags from their spec. */
export async function mainHelp(): Promise<string> {
  const { JOB_FLAGS } = await import("../commands/job/flags.ts");
  return topLevelHelp(COMMANDS, JOB_FLAGS);
}
