/**
 * `k8s` on the command line, after its flags are parsed: the out folder
 * checked, then the manifests written.
 *
 * @module
 */

import { k8sCommand, type K8sOptions } from "./command.ts";
import { outFile, withCheckedOutputs } from "../shared/output_paths.ts";
import type { CliContext } from "../shared/context.ts";

/** Writes the manifests of a sharded run; returns the exit code. */
export async function k8sCli(
  options: K8sOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  const now = { nowMs: Date.now(), denoVersion: Deno.version.deno };
  return await withCheckedOutputs({
    outDir: options.outDir,
    files: outFile(options.outDir, "loadgate.yaml", "yaml"),
    inputs: [],
  }, () => k8sCommand(options, { ...ctx, ...now }));
}
