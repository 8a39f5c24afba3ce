/**
 * A request log of any kind `compare` takes: loadgate's own CSV, or another
 * tool's log (detected, or forced with `--format`) read through
 * lib/log/foreign/. The checks a foreign log cannot support come back with it.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { readLog } from "../../log/csv/log.ts";
import type { ForeignLog, UnsupportedCheck } from "../../log/foreign/foreign_log.ts";
import { detectFormat, readForeign } from "../../log/foreign/read_foreign.ts";
import { LOG_COLUMNS, type Sample } from "../../stats/sample.ts";
import { type Check, notMadeCheck } from "../../verdict/verdict.ts";

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
  // Decided from the first bytes: a loadgate log is streamed (never one string in memory),
  // and a file that is neither fails at once, however large.
  const head = await readHead(path, HEAD_BYTES);
  if (options.format === undefined && (isLoadgateLog(head.text) || head.text.trim() === "")) {
    return { samples: await readLog(path), foreign: null };
  }
  const jsonStart = /^\uFEFF?\s*[[{]/.test(head.text);
  if (options.format === undefined && !jsonStart && detectFormat(head.text) === null) {
    throw new UsageError(
      `Cannot read log "${path}": the header does not start with the loadgate columns (${
        LOG_COLUMNS.slice(0, 3).join(",")
      },...) and matches no other tool's format (see docs/foreign-formats.md)`,
    );
  }
  if (head.size > MAX_FOREIGN_BYTES) {
    throw new UsageError(
      `Cannot read log "${path}": another tool's log is read whole, and this one is ${
        Math.round(head.size / 2 ** 20)
      } MiB (at most ${MAX_FOREIGN_BYTES / 2 ** 20} MiB; convert it with loadgate import first)`,
    );
  }
  const text = await Deno.readTextFile(path);
  if (options.format === undefined && detectFormat(text) === null) {
    throw new UsageError(
      `Cannot read log "${path}": it is neither a loadgate log nor another tool's known format (see docs/foreign-formats.md)`,
    );
  }
  const foreign = readForeign(text, {
    name: path,
    phase: options.phase,
    ...(options.format === undefined ? {} : { format: options.format }),
  });
  return { samples: foreign.samples, foreign };
}

/** Bytes read to tell a log's kind. */
const HEAD_BYTES = 64 * 1024;

/** The largest foreign log read (it is read whole, as text). */
export const MAX_FOREIGN_BYTES = 512 * 2 ** 20;

/** The first `n` bytes of `path` as text, and the file's size. */
async function readHead(path: string, n: number): Promise<{ text: string; size: number }> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    throw new UsageError(`Cannot read log "${path}": ${err instanceof Error ? err.message : err}`);
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile) {
      const what = stat.isDirectory ? "Is a directory" : "not a regular file";
      throw new UsageError(`Cannot read log "${path}": ${what}`);
    }
    const size = stat.size;
    const buf = new Uint8Array(Math.min(n, size));
    let got = 0;
    while (got < buf.length) {
      const r = await file.read(buf.subarray(got));
      if (r === null) break;
      got += r;
    }
    return { text: new TextDecoder().decode(buf.subarray(0, got)), size };
  } finally {
    file.close();
  }
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
