/**
 * The command line: finds the subcommand, runs it, turns errors into one
 * line and an exit code. Only main.ts calls `Deno.exit`.
 *
 * @module
 */

import { redact } from "../base/secrets.ts";
import { ExitCode, UsageError } from "../base/errors.ts";
import { expandConfig } from "../base/config_file.ts";
import { COMMANDS, mainHelp, versionLine } from "./commands.ts";
import { type CliContext, processContext } from "../commands/shared/context.ts";

/** Runs loadgate with `args`; returns the process exit code. */
export async function main(args: string[], given: CliContext = processContext()): Promise<number> {
  // Every line printed, errors included, without the secrets the command was given.
  const ctx: CliContext = {
    ...given,
    out: (line) => given.out(redact(line)),
    err: (line) => given.err(redact(line)),
  };
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        ctx.print(await mainHelp());
        return command === undefined ? ExitCode.Usage : ExitCode.Pass;
      case "--version":
      case "version":
        return ctx.print(versionLine());
    }
    const found = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!found) throw new UsageError(`Unknown command "${command}" (try --help)`);
    const { flags, run } = await found.load();
    // --config FILE: the file's flags first, so the command line wins.
    const args = expandConfig(rest, flags, (path) => Deno.readTextFileSync(path));
    return await run(args, ctx);
  } catch (err) {
    return reportError(err, ctx);
  }
}

function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof UsageError) {
    // One line, whatever the message holds (a file name, a parser's message).
    ctx.err(`loadgate: ${err.message.replace(/\s*\n\s*/g, " ")}`);
    return ExitCode.Usage;
  }
  if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
    ctx.err(`loadgate: permission denied: ${err.message.split("\n")[0]}`);
    return ExitCode.Usage;
  }
  ctx.err(
    `loadgate: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`,
  );
  return ExitCode.Fail;
}
