/**
 * `run` on the command line: network access checked, the out folder made
 * (removed again when the run is refused before writing a file), a live
 * progress line, Ctrl-C as a stop.
 *
 * @module
 */

import { checkHistoryTarget } from "../shared/ci_outputs.ts";
import { UsageError } from "../../base/errors.ts";
import { createdFolders } from "../shared/out_dir.ts";
import { checkOutputs } from "../shared/output_paths.ts";
import { runOutputs } from "./setup.ts";
import { runCommand } from "./command.ts";
import { ciSetup } from "../shared/flags/ci.ts";
import { ensureNetAccess } from "../shared/permissions.ts";
import { type CliContext, terminalProgress, withStopSignal } from "../shared/context.ts";
import type { RunCommandOptions } from "./options.ts";
import { RUN_FLAGS } from "./flags.ts";

/** Runs one phase with parsed options; returns the exit code. */
export async function runCli(
  options: RunCommandOptions,
  args: string[],
  cli: CliContext,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, RUN_FLAGS, cli);
  await checkHistoryTarget(ci);
  ensureNetAccess(options.url);
  const undoFolder = await createdFolders(options.outDir);
  const progress = terminalProgress(options.quiet);
  try {
    await checkOutputs(runOutputs(options, ci));
    return await withStopSignal(
      ctx,
      (stop) => runCommand(options, { ...ctx, ci, stop, ...(progress ? { progress } : {}) }),
    );
  } catch (err) {
    if (err instanceof UsageError) await undoFolder(); // refused before writing a file
    throw err;
  }
}
