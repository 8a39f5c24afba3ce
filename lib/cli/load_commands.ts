/**
 * The commands that send load (`run`, `sweep`) on the command line: network
 * access checked, the out folder made (for `run`, removed again when the run
 * is refused before writing a file), a live progress line, Ctrl-C as a stop.
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { createdFolders, ensureWritable } from "../app/out_dir.ts";
import { runCommand } from "../app/run.ts";
import { sweepCommand, type SweepOptions } from "../app/sweep.ts";
import { ciSetup } from "./ci_flags.ts";
import { ensureNetAccess } from "./permissions.ts";
import { type CliContext, terminalProgress, withStopSignal } from "./process.ts";
import type { RunCommandOptions } from "../app/run_options.ts";
import { RUN_FLAGS } from "./run_args.ts";
import { SWEEP_FLAGS } from "./sweep_args.ts";

/** Runs one phase with parsed options; returns the exit code. */
export async function runCli(
  options: RunCommandOptions,
  args: string[],
  cli: CliContext,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, RUN_FLAGS, cli);
  ensureNetAccess(options.url);
  const undoFolder = await createdFolders(options.outDir);
  await ensureWritable(options.outDir);
  const progress = terminalProgress(options.quiet);
  try {
    return await withStopSignal(
      ctx,
      (stop) => runCommand(options, { ...ctx, ci, stop, ...(progress ? { progress } : {}) }),
    );
  } catch (err) {
    if (err instanceof UsageError) await undoFolder(); // refused before writing a file
    throw err;
  }
}

/** Runs a sweep with parsed options; returns the exit code. */
export async function sweepCli(
  options: SweepOptions,
  args: string[],
  cli: CliContext,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, SWEEP_FLAGS, cli);
  ensureNetAccess(options.base.url);
  await ensureWritable(options.outDir);
  return await withStopSignal(ctx, (stop) => sweepCommand(options, { ...ctx, ci, stop }));
}
