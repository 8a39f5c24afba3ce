/**
 * `merge` on the command line, after its flags are parsed: the CI outputs
 * set up, the out folder checked, then the merge.
 *
 * @module
 */

import { checkHistoryTarget } from "../shared/ci_outputs.ts";
import { mergeCommand, type MergeOptions } from "./command.ts";
import { ciOutputFiles, outFile, withCheckedOutputs } from "../shared/output_paths.ts";
import { shardFiles } from "./shard_input.ts";
import { ciSetup } from "../shared/flags/ci.ts";
import { MERGE_FLAGS } from "./flags.ts";
import type { CliContext } from "../shared/context.ts";

/** Merges shards, with the CI outputs; returns the exit code. */
export async function mergeCli(
  options: MergeOptions,
  args: string[],
  cli: CliContext,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, MERGE_FLAGS, cli);
  await checkHistoryTarget(ci);
  const { outDir, phase } = options;
  return await withCheckedOutputs({
    outDir,
    files: [
      ...outFile(outDir, `${phase}.csv`, "log", true),
      ...outFile(outDir, `${phase}.json`, "json"),
      ...ciOutputFiles(ci),
    ],
    inputs: await shardFiles(options.dirs),
  }, () => mergeCommand(options, { ...ctx, ci }));
}
