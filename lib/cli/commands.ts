/**
 * The commands: each a name, a line of top-level help and a function from
 * arguments to an exit code. A command parses its flags (lib/cli/*_args.ts),
 * calls its orchestration in lib/app/, and returns the exit code.
 *
 * @module
 */

import { STUB_FLAGS, stubMain } from "../stub/server.ts";
import { type Command, parsedCommand } from "./command.ts";
import { K8S_FLAGS, K8S_NOTES, K8S_USAGE, parseK8sArgs } from "./k8s_args.ts";
import { IMPORT_FLAGS, IMPORT_NOTES, IMPORT_USAGE, parseImportArgs } from "./import_args.ts";
import { MERGE_FLAGS, MERGE_NOTES, MERGE_USAGE, parseMergeArgs } from "./merge_args.ts";
import { completionsCommand } from "./completion_list.ts";
import { compareCli } from "./compare_command.ts";
import { COMPARE_FLAGS } from "./compare_args.ts";
import { importCli, k8sCli, mergeCli } from "./file_commands.ts";
import { JOB_FLAGS } from "./job_args.ts";
import { jobCommand } from "./job_command.ts";
import { runCli, sweepCli } from "./load_commands.ts";
import { topLevelHelp } from "./main_help.ts";
import { parseRunArgs, RUN_FLAGS, RUN_USAGE } from "./run_args.ts";
import { parseSweepArgs, SWEEP_FLAGS, SWEEP_NOTES, SWEEP_USAGE } from "./sweep_args.ts";

export type { Command } from "./command.ts";
export { versionLine } from "./main_help.ts";

/** The subcommands, in the order the help lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  job: {
    synopsis: "job [options]",
    summary: "the main job: functional tests, baseline and optimized\n" +
      "phases against the built-in stub, comparison, verdict",
    run: (args, cli) => jobCommand(args, cli, mainHelp),
    flags: JOB_FLAGS,
  },
  run: {
    synopsis: "run --url URL",
    summary: "one phase against any endpoint (see run --help)",
    run: parsedCommand(parseRunArgs, { usage: RUN_USAGE, flags: RUN_FLAGS }, runCli),
    flags: RUN_FLAGS,
  },
  compare: {
    synopsis: "compare A.csv B.csv",
    summary: "compare two logs and gate on the SLA (see compare --help)",
    run: compareCli,
    flags: COMPARE_FLAGS,
  },
  sweep: {
    synopsis: "sweep --url URL",
    summary: "capacity at the SLA: steps of rising load, a search,\n" +
      "the knee, a gate on capacity (see sweep --help)",
    run: parsedCommand(parseSweepArgs, {
      usage: SWEEP_USAGE,
      flags: SWEEP_FLAGS,
      notes: SWEEP_NOTES,
    }, sweepCli),
    flags: SWEEP_FLAGS,
  },
  import: {
    synopsis: "import FILE --out DIR",
    summary: "convert another tool's log (see import --help)",
    run: parsedCommand(parseImportArgs, {
      usage: IMPORT_USAGE,
      flags: IMPORT_FLAGS,
      notes: IMPORT_NOTES,
    }, importCli),
    flags: IMPORT_FLAGS,
  },
  merge: {
    synopsis: "merge DIR...",
    summary: "merge the shards of a run exactly and gate (see merge --help)",
    run: parsedCommand(parseMergeArgs, {
      usage: MERGE_USAGE,
      flags: MERGE_FLAGS,
      notes: MERGE_NOTES,
    }, mergeCli),
    flags: MERGE_FLAGS,
  },
  k8s: {
    synopsis: "k8s --shards N -- run ...",
    summary: "Kubernetes manifests of a sharded run (see k8s --help)",
    run: parsedCommand(
      parseK8sArgs,
      { usage: K8S_USAGE, flags: K8S_FLAGS, notes: K8S_NOTES },
      k8sCli,
    ),
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
    run: (args, ctx) => completionsCommand(args, ctx, COMMANDS),
    flags: {},
  },
};

/** The top-level help: the commands, then the main job's flags from their spec. */
export function mainHelp(): string {
  return topLevelHelp(COMMANDS);
}
