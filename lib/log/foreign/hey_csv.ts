/**
 * hey's `-o csv`: `response-time,DNS+dialup,DNS,Request-write,Response-delay,
 * Response-read,status-code,offset`, times in seconds with 4 decimals, one row
 * per request that got a response (hey leaves requests that failed without one
 * out of the CSV, so the log cannot prove an error rate). Older hey versions
 * write the first six columns only.
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample, round3 } from "./foreign_log.ts";
import { errorKindOf, numberField, statusField } from "./fields.ts";
import { columnsOf, csvTable } from "./csv_table.ts";

/** The header hey writes first. */
export const HEY_HEADER_START = "response-time,DNS+dialup,DNS,Request-write,Response-delay";

/** Reads hey's CSV. Throws {@linkcode UsageError} naming the file and line. */
export function readHeyCsv(text: string, options: ReadOptions): ForeignLog {
  const { header, rows } = csvTable(text, options.name);
  const col = columnsOf(header, ["response-time", "Response-read"], "hey CSV", options.name);
  const statusCol = header.indexOf("status-code");
  const offsetCol = header.indexOf("offset");
  const notes: string[] = [];
  if (statusCol < 0) {
    notes.push("no status-code column (hey before 0.1.3): status unknown, counted ok");
  }
  if (offsetCol < 0) notes.push("no offset column: send times unknown, all set to 0");
  const samples = rows.map((row, i) => {
    const where = `"${options.name}" line ${i + 2}`;
    const latencyMs = numberField(row[col["response-time"]], "response-time", where) * 1000;
    const readMs = numberField(row[col["Response-read"]], "Response-read", where) * 1000;
    const status = statusCol < 0 ? null : statusField(row[statusCol]);
    return foreignSample(options.phase, i, {
      sentMs: offsetCol < 0 ? 0 : numberField(row[offsetCol], "offset", where) * 1000,
      latencyMs: round3(latencyMs),
      headersMs: round3(Math.max(0, latencyMs - readMs)),
      status,
      error: statusCol < 0 ? "" : errorKindOf(status, ""),
    });
  });
  return foreignLog("hey-csv", samples, { notes, unsupported: ["error_rate"] });
}
