/**
 * The commands: each a name, a line of top-level help and a loader for its
 * code (flag spec and runner). A command parses its flags (lib/cli/*_args.ts),
 * calls its orchestration in lib/app/, and returns the exit code.
 *
 * Every command's modules load only when it runs (dynamic imports of literal
 * specifiers, which `deno compile` still bundles): `run` loads no report, CSV
 * parser, stub or `node:` module it does not use, and its process starts
 * smaller (docs/benchmarks.md, memory).
 *
 * @module
 */

import type { Command } from "./command.ts";
import { topLevelHelp } from "./main_help.ts";

export type { Command } from "./command.ts";
export { versionLine } from "./main_help.ts";

/** The subcommands, in the order the help lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  job: {
    synopsis: "job [options]",
    summary: "the main job: functional tests, baseline and optimized\n" +
      "phases against the built-in stub, comparison, verdict",
    load: async () => {
      const [{ JOB_FLAGS }, { jobCommand }] = await Promise.all([
        import("./job_args.ts"),
        import("./job_command.ts"),
      ]);
      return { flags: JOB_FLAGS, run: (args, cli) => jobCommand(args, cli, mainHelp) };
    },
  },
  run: {
    synopsis: "run --url URL",
    summary: "one phase against any endpoint (see run --help)",
    load: async () => {
      const [a, { parsedCommand }, { runCli }] = await Promise.all([
        import("./run_args.ts"),
        import("./command.ts"),
        import("./run_command.ts"),
      ]);
      const help = { usage: a.RUN_USAGE, flags: a.RUN_FLAGS };
      return { flags: a.RUN_FLAGS, run: parsedCommand(a.parseRunArgs, help, runCli) };
    },
  },
  compare: {
    synopsis: "compare A.csv B.csv",
    summary: "compare two logs and gate on the SLA (see compare --help)",
    load: async () => {
      const [{ COMPARE_FLAGS }, { compareCli }] = await Promise.all([
        import("./compare_args.ts"),
        import("./compare_command.ts"),
      ]);
      return { flags: COMPARE_FLAGS, run: compareCli };
    },
  },
  sweep: {
    synopsis: "sweep --url URL",
    summary: "capacity at the SLA: steps of rising load, a search,\n" +
      "the knee, a gate on capacity (see sweep --help)",
    load: async () => {
      const [a, { parsedCommand }, { sweepCli }] = await Promise.all([
        import("./sweep_args.ts"),
        import("./command.ts"),
        import("./sweep_command.ts"),
      ]);
      const help = { usage: a.SWEEP_USAGE, flags: a.SWEEP_FLAGS, notes: a.SWEEP_NOTES };
      return { flags: a.SWEEP_FLAGS, run: parsedCommand(a.parseSweepArgs, help, sweepCli) };
    },
  },
  import: {
    synopsis: "import FILE --out DIR",
    summary: "convert another tool's log (see import --help)",
    load: async () => {
      const [a, { parsedCommand }, { importCli }] = await Promise.all([
        import("./import_args.ts"),
        import("./command.ts"),
        import("./file_commands.ts"),
      ]);
      const help = { usage: a.IMPORT_USAGE, flags: a.IMPORT_FLAGS, notes: a.IMPORT_NOTES };
      return { flags: a.IMPORT_FLAGS, run: parsedCommand(a.parseImportArgs, help, importCli) };
    },
  },
  merge: {
    synopsis: "merge DIR...",
    summary: "merge the shards of a run exactly and gate (see merge --help)",
    load: async () => {
      const [a, { parsedCommand }, { mergeCli }] = await Promise.all([
        import("./merge_args.ts"),
        import("./command.ts"),
        import("./file_commands.ts"),
      ]);
      const help = { usage: a.MERGE_USAGE, flags: a.MERGE_FLAGS, notes: a.MERGE_NOTES };
      return { flags: a.MERGE_FLAGS, run: parsedCommand(a.parseMergeArgs, help, mergeCli) };
    },
  },
  k8s: {
    synopsis: "k8s --shards N -- run ...",
    summary: "Kubernetes manifests of a sharded run (see k8s --help)",
    load: async () => {
      const [a, { parsedCommand }, { k8sCli }] = await Promise.all([
        import("./k8s_args.ts"),
        import("./command.ts"),
        import("./file_commands.ts"),
      ]);
      const help = { usage: a.K8S_USAGE, flags: a.K8S_FLAGS, notes: a.K8S_NOTES };
      return { flags: a.K8S_FLAGS, run: parsedCommand(a.parseK8sArgs, help, k8sCli) };
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
  const { JOB_FLAGS } = await import("./job_args.ts");
  return topLevelHelp(COMMANDS, JOB_FLAGS);
}
