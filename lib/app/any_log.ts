/**
 * A request log of any kind `compare` takes: loadgate's own CSV, or another
 * tool's log (detected, or forced with `--format`) read through
 * lib/log/foreign/. The checks a foreign log cannot support come back with it.
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { parseLog } from "../log/csv_log.ts";
import type { ForeignLog, UnsupportedCheck } from "../log/foreign/foreign_log.ts";
import { detectFormat, readForeign } from "../log/foreign/read_foreign.ts";
import { LOG_COLUMNS, type Sample } from "../stats/sample.ts";
import { type Check, notMadeCheck } from "../verdict/verdict.ts";

/** A log read for comparing: its samples and, for another tool's log, what it was read as. */
export interface AnyLog {
  samples: Sample[];
  /** Null for loadgate's own CSV. */
  foreign: ForeignLog | null;
}

/** True when `text` starts with loadgate's own header. */
export function isLoadgateLog(text: string): boolean {
  const first = text.replace(/^\uFEFF/, "").split("\n", 1)[0]!.replace(/\r$/, "");
  return first.startsWith(LOG_COLUMNS.slice(0, 2).join(","));
}

/**
 * Reads `path` as loadgate's CSV when its header says so and no format is
 * forced, else as a foreign log. Throws {@linkcode UsageError} naming the file.
 */
export async function readAnyLog(
  path: string,
  options: { phase: string; format?: string },
): Promise<AnyLog> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`Cannot read log "${path}": ${err instanceof Error ? err.message : err}`);
  }
  if (options.format === undefined && (isLoadgateLog(text) || text.trim() === "")) {
    return { samples: parseLog(text, path), foreign: null };
  }
  if (options.format === undefined && detectFormat(text) === null) {
    throw new UsageError(
      `Cannot read log "${path}": the header does not start with the loadgate columns (${
        LOG_COLUMNS.slice(0, 3).join(",")
      },...) and matches no other tool's format (see docs/foreign-formats.md)`,
    );
  }
  const foreign = readForeign(text, {
    name: path,
    phase: options.phase,
    ...(options.format === undefined ? {} : { format: options.format }),
  });
  return { samples: foreign.samples, foreign };
}

/**
 * The check a log that leaves failed requests out needs: `errors_recorded`,
 * not made, naming the logs; null when every log records its failures.
 */
export function errorsRecordedCheck(
  logs: ReadonlyArray<{ path: string; log: AnyLog }>,
): Check | null {
  const silent = logs.filter(({ log }) =>
    log.foreign?.unsupported.includes("error_rate" satisfies UnsupportedCheck)
  );
  if (silent.length === 0) return null;
  const which = silent.map(({ path, log }) => `"${path}" (${log.foreign!.format})`).join(", ");
  return notMadeCheck(
    `not made: ${which} leaves failed requests out, so error_rate counts only what it holds`,
  );
}
