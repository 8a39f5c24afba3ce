/**
 * `loadgate compare A B` on the command line: two logs, or two sweep
 * folders, never one of each.
 *
 * @module
 */

import { checkHistoryTarget } from "../shared/ci_outputs.ts";
import { UsageError } from "../../base/errors.ts";
import { compareCommand } from "./command.ts";
import { ciOutputFiles, outFile, withCheckedOutputs } from "../shared/output_paths.ts";
import { compareSweepsCommand, isSweepFolder } from "./sweeps/command.ts";
import { ciSetup } from "../shared/flags/ci.ts";
import { commandHelpText } from "../shared/command.ts";
import { COMPARE_FLAGS, COMPARE_NOTES, COMPARE_USAGE, parseCompareArgs } from "./flags.ts";
import type { CliContext } from "../shared/context.ts";

/** Compares two logs or two sweeps; returns the exit code. */
export async function compareCli(args: string[], cli: CliContext): Promise<number> {
  const { ctx, ci } = ciSetup(args, COMPARE_FLAGS, cli);
  await checkHistoryTarget(ci);
  const options = parseCompareArgs(args, ctx.color);
  if (options === "help") {
    return cli.print(
      commandHelpText({ usage: COMPARE_USAGE, flags: COMPARE_FLAGS, notes: COMPARE_NOTES }),
    );
  }
  const sweeps = [await isSweepFolder(options.before), await isSweepFolder(options.after)];
  const { outDir } = options;
  if (sweeps[0] !== sweeps[1]) {
    throw new UsageError("Cannot compare a sweep folder with a log: give two of a kind");
  }
  return await withCheckedOutputs(
    {
      outDir,
      files: sweeps[0] && sweeps[1] ? outFile(outDir, "sweep_comparison.json", "json") : [
        ...outFile(outDir, "comparison.json", "json"),
        ...outFile(outDir, "comparison.csv", "csv"),
        ...(options.html ? outFile(outDir, "report.html", "html") : []),
        ...ciOutputFiles(ci),
      ],
      inputs: [options.before, options.after],
    },
    () => sweeps[0] ? compareSweepsCommand(options, ctx) : compareCommand(options, { ...ctx, ci }),
  );
}
