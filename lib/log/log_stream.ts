/**
 * Reads a CSV log row by row without holding it: memory stays bounded by a
 * read buffer, whatever the log's length (`merge` reads millions of rows).
 * Every field is checked as {@linkcode readLog} checks it.
 *
 * @example
 * ```ts
 * const store = new SampleStore();
 * await streamLog("results/run/run.csv", (s) => store.add(s));
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import type { Sample } from "../stats/sample.ts";
import { CsvRecordParser } from "./csv/records.ts";
import { logRowParser } from "./log_rows.ts";

/** What {@linkcode streamLog} read. */
export interface StreamedLog {
  /** The header row. */
  header: string[];
  /** Data rows read. */
  rows: number;
}

/**
 * Calls `onSample` for each row of the log at `path`, in file order. Throws
 * {@linkcode UsageError} naming the file and line for an unreadable or
 * malformed log.
 */
export async function streamLog(
  path: string,
  onSample: (sample: Sample) => void,
): Promise<StreamedLog> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    throw new UsageError(`Cannot read log "${path}": ${err instanceof Error ? err.message : err}`);
  }
  const parser = new CsvRecordParser();
  let header: string[] | null = null;
  let toSample: ((row: string[], line: number) => Sample) | null = null;
  let line = 1;
  const onRecord = (row: string[]): void => {
    if (toSample === null) {
      header = row;
      toSample = logRowParser(row, path);
      return;
    }
    onSample(toSample(row, ++line));
  };
  try {
    // Drops a leading byte order mark; a header is checked as soon as its line is in.
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for await (const chunk of file.readable) {
      parser.push(decoder.decode(chunk, { stream: true }), onRecord);
    }
    parser.push(decoder.decode(), onRecord);
    parser.end(onRecord);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    // The file could not be read (a folder, an I/O error), as opposed to read and malformed.
    if (
      err instanceof Deno.errors.IsADirectory ||
      !(err instanceof SyntaxError || err instanceof TypeError)
    ) {
      throw new UsageError(`Cannot read log "${path}": ${msg}`);
    }
    throw new UsageError(`Cannot parse log "${path}" after line ${line}: ${msg}`);
  }
  if (header === null) throw new UsageError(`Cannot read log "${path}": the file is empty`);
  return { header, rows: line - 1 };
}
