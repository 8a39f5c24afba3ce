/**
 * `sweep` on the command line: network access checked, the out folder made,
 * Ctrl-C as a stop.
 *
 * @module
 */

import { ciOutputFiles, outFile, withCheckedOutputs } from "../shared/output_paths.ts";
import { checkHistoryTarget } from "../shared/ci_outputs.ts";
import { sweepCommand, type SweepOptions } from "./command.ts";
import { ciSetup } from "../shared/flags/ci.ts";
import { ensureNetAccess } from "../shared/permissions.ts";
import { type CliContext, withStopSignal } from "../shared/context.ts";
import { SWEEP_FLAGS } from "./flags.ts";

/** Runs a sweep with parsed options; returns the exit code. */
export async function sweepCli(
  options: SweepOptions,
  args: string[],
  cli: CliContext,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, SWEEP_FLAGS, cli);
  await checkHistoryTarget(ci);
  ensureNetAccess(options.shared.url);
  const { outDir, shared } = options;
  return await withCheckedOutputs({
    outDir,
    files: [
      ...outFile(outDir, "sweep.json", "json"),
      ...outFile(outDir, "summary.md", "markdown"),
      ...(shared.html ? outFile(outDir, "report.html", "html") : []),
      ...(shared.hlog ? [{ path: shared.hlog, kind: "hlog" as const, role: "--hlog" }] : []),
      ...ciOutputFiles(ci),
    ],
    inputs: shared.dataset === null ? [] : [shared.dataset],
  }, () => withStopSignal(ctx, (stop) => sweepCommand(options, { ...ctx, ci, stop })));
}
