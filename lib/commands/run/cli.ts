/**
 * `run` on the command line: network access checked, the out folder made
 * (removed again when the run is refused before writing a file), a live
 * progress line, Ctrl-C as a stop.
 *
 * @module
 */

import { checkHistoryTarget } from "../shared/ci_outputs.ts";
import { withCheckedOutputs } from "../shared/output_paths.ts";
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
  const progress = terminalProgress(options.quiet);
  return await withCheckedOutputs(
    runOutputs(options, ci),
    () =>
      withStopSignal(
        ctx,
        (stop) => runCommand(options, { ...ctx, ci, stop, ...(progress ? { progress } : {}) }),
      ),
  );
}
