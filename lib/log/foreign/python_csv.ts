/**
 * The seed's Python baseline log: a CSV with `request_id, start_time,
 * latency_ms, status_code, success, error` in any order, extra columns
 * ignored; `start_time` in epoch seconds.
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample } from "./foreign_log.ts";
import { errorKindOf, numberField, statusField } from "./fields.ts";
import { columnsOf, csvTable } from "./csv_table.ts";
import { UsageError } from "../../base/errors.ts";

/** The columns a Python baseline log must have. */
export const PYTHON_COLUMNS = [
  "request_id",
  "start_time",
  "latency_ms",
  "status_code",
  "success",
  "error",
] as const;

const TRUE = new Set(["true", "1", "yes"]);
const FALSE = new Set(["false", "0", "no", ""]);

/** Reads a Python baseline CSV. Throws {@linkcode UsageError} naming the file and line. */
export function readPythonCsv(text: string, options: ReadOptions): ForeignLog {
  const { header, rows } = csvTable(text, options.name);
  const col = columnsOf(header, PYTHON_COLUMNS, "a Python baseline CSV", options.name);
  const samples = rows.map((row, i) => {
    const where = `"${options.name}" line ${i + 2}`;
    const id = numberField(row[col.request_id], "request_id", where);
    if (!Number.isInteger(id)) {
      throw new UsageError(`Cannot read ${where}: request_id has "${row[col.request_id]}"`);
    }
    const successText = (row[col.success] ?? "").trim().toLowerCase();
    if (!TRUE.has(successText) && !FALSE.has(successText)) {
      throw new UsageError(`Cannot read ${where}: success has "${row[col.success]}"`);
    }
    const status = statusField(row[col.status_code]);
    const errorText = row[col.error] ?? "";
    const success = TRUE.has(successText);
    // `success` is the script's own verdict; a failure it reports without a reason still fails.
    const kind = success ? "" : errorKindOf(status, errorText) || "body";
    return foreignSample(options.phase, id, {
      sentMs: numberField(row[col.start_time], "start_time", where) * 1000,
      latencyMs: numberField(row[col.latency_ms], "latency_ms", where),
      status,
      error: kind,
    });
  });
  return foreignLog("python-csv", samples);
}
