/**
 * `history` on the command line, after its flags are parsed.
 *
 * @module
 */

import type { CliContext } from "../shared/context.ts";
import { historyCommand } from "./command.ts";
import type { HistoryOptions } from "./flags.ts";

/** Runs `history`; returns the exit code. */
export function historyCli(
  options: HistoryOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  return historyCommand(options, ctx);
}
