/**
 * What a subcommand is to the registry (lib/cli/commands.ts), and the one
 * way a command parses its flags and answers `--help` from the same spec.
 *
 * @module
 */

import { type FlagSpec, helpText } from "../../base/flags.ts";
import type { CliContext } from "./context.ts";

/** Runs a command with its arguments; returns the exit code. Throws `UsageError` on bad usage. */
export type CommandRun = (args: string[], ctx: CliContext) => Promise<number>;

/** A subcommand, as the registry lists it: its code loads only when it is used. */
export interface Command {
  /** How it is called, for the top-level help (`run --url URL`). */
  synopsis: string;
  /** What it does, for the top-level help; "\n" continues the line. */
  summary: string;
  /** Loads the command's modules: its flag spec and its runner. */
  load: () => Promise<LoadedCommand>;
}

/** A command's code, once loaded. */
export interface LoadedCommand {
  /** Runs it; returns the exit code. Throws `UsageError` on bad usage. */
  run: CommandRun;
  /** Its flags: they feed `--config` and the shell completions. */
  flags: FlagSpec;
}

/** A command's help: its usage line, the flag spec that parses, and notes after the flags. */
export interface CommandHelp {
  usage: string;
  flags: FlagSpec;
  notes?: string;
}

/**
 * A command that parses its flags first: `--help` prints the help made from
 * the spec (exit 0), otherwise `then` runs with the parsed options.
 */
export function parsedCommand<T>(
  parse: (args: string[]) => T | "help",
  help: CommandHelp,
  then: (options: T, args: string[], cli: CliContext) => Promise<number>,
): CommandRun {
  return async (args, cli) => {
    const options = parse(args);
    if (options === "help") return cli.print(commandHelpText(help));
    return await then(options, args, cli);
  };
}

/** The help text of a command. */
export function commandHelpText(help: CommandHelp): string {
  return helpText(help.usage, help.flags, help.notes);
}
