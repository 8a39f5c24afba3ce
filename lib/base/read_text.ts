/**
 * Reading a user's input file: a file that cannot be read is bad input
 * (exit 2), named with what it was meant to be.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** The text of `path`; throws {@linkcode UsageError} `Cannot read <what> "<path>": <why>`. */
export async function readInputText(path: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(
      `Cannot read ${what} "${path}": ${err instanceof Error ? err.message.split("\n")[0] : err}`,
    );
  }
  // A NUL or a byte that is not UTF-8 (decoded as U+FFFD) near the start: never echo it.
  const head = text.slice(0, 4096);
  if (head.includes("\0") || head.includes("\ufffd")) {
    throw new UsageError(`Cannot read ${what} "${path}": it holds binary data, not text`);
  }
  return text;
}
