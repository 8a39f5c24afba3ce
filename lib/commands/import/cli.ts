/**
 * `import` on the command line, after its flags are parsed: the out folder
 * checked, then the conversion.
 *
 * @module
 */

import { importCommand, type ImportOptions } from "./command.ts";
import { outFile, withCheckedOutputs } from "../shared/output_paths.ts";
import type { CliContext } from "../shared/context.ts";

/** Converts another tool's log; returns the exit code. */
export async function importCli(
  options: ImportOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  const { outDir, phase } = options;
  return await withCheckedOutputs({
    outDir,
    files: [
      ...outFile(outDir, `${phase}.csv`, "log"),
      ...outFile(outDir, `${phase}.import.json`, "json"),
    ],
    inputs: [options.file],
  }, () => importCommand(options, ctx));
}
