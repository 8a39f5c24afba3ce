/**
 * The output folder of a command, checked before anything runs.
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** Creates `dir` and proves it can be written, or throws {@linkcode UsageError}. */
export async function ensureWritable(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.loadgate-write-test`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Cannot write to output folder "${dir}": ${why}`);
  }
}
