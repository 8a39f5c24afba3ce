/**
 * The output folder of a command, checked before anything runs, and removed
 * again when a check that comes later (a `--body` that is not JSON, a
 * malformed `--dataset`) stops the command before it wrote a file: a refused
 * command leaves no empty folder behind.
 *
 * @example
 * ```ts
 * const undo = await createdFolders("results/new/run");
 * await ensureWritable("results/new/run");
 * await undo(); // removes results/new/run and results/new if they are still empty
 * ```
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";

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

/**
 * Notes which of `dir` and its ancestors do not exist yet (call it before
 * creating `dir`); returns a function that removes those that are empty.
 */
export async function createdFolders(dir: string): Promise<() => Promise<void>> {
  const missing: string[] = [];
  let at = dir.replace(/\/+$/, "");
  while (at !== "" && at !== "." && at !== "/") {
    try {
      await Deno.lstat(at);
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) break;
      missing.push(at);
      const slash = at.lastIndexOf("/");
      at = slash < 0 ? "" : at.slice(0, slash);
    }
  }
  return async () => {
    for (const d of missing) { // deepest first
      try {
        await Deno.remove(d); // only an empty folder goes
      } catch {
        return;
      }
    }
  };
}
