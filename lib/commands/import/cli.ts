/**
 * `import` on the command line, after its flags are parsed: the out folder
 * checked, then the conversion.
 *
 * @module
 */

import { importCommand, type ImportOptions } from "./command.ts";
import { ensureWritable } from "../shared/out_dir.ts";
import type { CliContext } from "../shared/context.ts";

/** Converts another tool's log; returns the exit code. */
export async function importCli(
  options: ImportOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  await ensureWritable(options.outDir);
  return await importCommand(options, ctx);
}
