/**
 * `loadgate completions bash|zsh|fish`: the registry's commands and their
 * flags as the completion scripts list them (lib/cli/completions.ts writes the
 * scripts).
 *
 * @module
 */

import { ExitCode, UsageError } from "../base/errors.ts";
import type { Command } from "../commands/shared/command.ts";
import { completionScript, parseShell } from "./completions.ts";
import type { CliContext } from "../commands/shared/context.ts";

/**
 * Every command with the long names of its flags, from the specs that parse
 * them (`--config` on each; `--help` is added by the scripts; test-only
 * `--fault-*` flags left out).
 */
export function completionCommands(
  commands: Readonly<Record<string, Command>>,
): Promise<{ name: string; flags: string[]; description: string }[]> {
  return Promise.all(
    Object.entries(commands).map(async ([name, c]) => {
      const own = Object.keys((await c.load()).flags).filter((f) =>
        f !== "help" && !f.startsWith("fault-")
      );
      return {
        name,
        flags: name === "completions" ? own : [...new Set([...own, "config"])],
        description: c.summary.split("\n")[0]!.replace(/ \(see .*\)$/, ""),
      };
    }),
  );
}

/** Prints the completion script of the one shell named in `args`. */
export async function completionsCommand(
  args: string[],
  ctx: CliContext,
  commands: Readonly<Record<string, Command>>,
): Promise<number> {
  if (args.length !== 1) {
    throw new UsageError(`completions takes one shell, got ${args.length} (bash, zsh or fish)`);
  }
  const shell = parseShell(args[0]);
  ctx.out(completionScript(shell, await completionCommands(commands)).trimEnd());
  return ExitCode.Pass;
}
