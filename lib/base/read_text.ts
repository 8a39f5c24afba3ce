/**
 * Reading a user's input file: a file that cannot be read is bad input
 * (exit 2), named with what it was meant to be.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** The text of `path`; throws {@linkcode UsageError} `Cannot read <what> "<path>": <why>`. */
export async function readInputText(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(
      `Cannot read ${what} "${path}": ${err instanceof Error ? err.message.split("\n")[0] : err}`,
    );
  }
}
