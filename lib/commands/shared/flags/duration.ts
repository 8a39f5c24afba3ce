/**
 * Time flags as users type them (`-d 30s`, `--timeout 10s`, `2m`, `500ms`),
 * read through lib/base/duration.ts; a plain number keeps the flag's old
 * unit. `--timeout` takes a duration (plain number: ms) beside the older
 * `--timeout-ms`, which keeps taking whole milliseconds only.
 *
 * @module
 */

import { parseDuration, type PlainUnit } from "../../../base/duration.ts";
import { type FlagSpec, type FlagValues, int, str } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";

/** `--timeout D`, for the commands that take `--timeout-ms`. */
export const TIMEOUT_FLAG: FlagSpec = {
  timeout: {
    type: "string",
    arg: "D",
    help: "per-request timeout: 10s, 500ms (a plain number is ms)",
  },
};

/** A positive duration flag in ms, or null when absent. Throws {@linkcode UsageError}. */
export function durationFlag(
  values: FlagValues,
  flag: string,
  plainUnit: PlainUnit,
): number | null {
  if (values[flag] === undefined) return null;
  const text = str(values, flag, "");
  const ms = parseDuration(text, { flag, plainUnit });
  if (!(ms > 0)) throw new UsageError(`Cannot parse --${flag}: "${text}" is not above zero`);
  return ms;
}

/** The per-request timeout in ms from `--timeout` or `--timeout-ms` (not both), or `fallback`. */
export function timeoutFlag(values: FlagValues, fallback: number): number {
  if (values.timeout !== undefined && values["timeout-ms"] !== undefined) {
    throw new UsageError("Cannot use --timeout with --timeout-ms (they are the same setting)");
  }
  if (values.timeout === undefined) return int(values, "timeout-ms", fallback);
  const ms = durationFlag(values, "timeout", "ms")!;
  if (!Number.isInteger(ms)) {
    throw new UsageError(`Cannot parse the timeout: ${ms} ms is not a whole number of ms`);
  }
  return ms;
}
