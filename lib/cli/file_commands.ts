/**
 * The commands over files (`import`, `merge`, `k8s`) on the command line,
 * after their flags are parsed: the out folder checked, then the command.
 *
 * @module
 */

import { importCommand, type ImportOptions } from "../app/import.ts";
import { k8sCommand, type K8sOptions } from "../app/k8s.ts";
import { mergeCommand, type MergeOptions } from "../app/merge.ts";
import { ensureWritable } from "../app/out_dir.ts";
import { ciSetup } from "./ci_flags.ts";
import { MERGE_FLAGS } from "./merge_args.ts";
import type { CliContext } from "./process.ts";

/** Converts another tool's log; returns the exit code. */
export async function importCli(
  options: ImportOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  await ensureWritable(options.outDir);
  return await importCommand(options, ctx);
}

/** Merges shards, with the CI outputs; returns the exit code. */
export async function mergeCli(
  options: MergeOptions,
  args: string[],
  cli: CliContext,
): Promise<number> {
  const { ctx, ci } = ciSetup(args, MERGE_FLAGS, cli);
  await ensureWritable(options.outDir);
  return await mergeCommand(options, { ...ctx, ci });
}

/** Writes the manifests of a sharded run; returns the exit code. */
export async function k8sCli(
  options: K8sOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  await ensureWritable(options.outDir);
  const now = { nowMs: Date.now(), denoVersion: Deno.version.deno };
  return await k8sCommand(options, { ...ctx, ...now });
}
