/**
 * `k8s` on the command line, after its flags are parsed: the out folder
 * checked, then the manifests written.
 *
 * @module
 */

import { k8sCommand, type K8sOptions } from "./command.ts";
import { checkOutputs, outFile } from "../shared/output_paths.ts";
import type { CliContext } from "../shared/context.ts";

/** Writes the manifests of a sharded run; returns the exit code. */
export async function k8sCli(
  options: K8sOptions,
  _args: string[],
  ctx: CliContext,
): Promise<number> {
  await checkOutputs({
    outDir: options.outDir,
    files: outFile(options.outDir, "loadgate.yaml", "yaml"),
    inputs: [],
  });
  const now = { nowMs: Date.now(), denoVersion: Deno.version.deno };
  return await k8sCommand(options, { ...ctx, ...now });
}
