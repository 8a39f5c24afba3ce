/**
 * oha's outputs. `--output-format csv` writes one row per request that got a
 * response: `request-start,DNS,DNS+dialup,Response-delay,request-duration,
 * bytes,status`, times in seconds (request-start from the run's start,
 * Response-delay the time to the first byte). oha's JSON output
 * (`--output-format json`, `-j`) holds only aggregates (percentiles,
 * histograms), so it cannot be read as requests: the reader says so.
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample, round3 } from "./foreign_log.ts";
import { errorKindOf, numberField, statusField } from "./fields.ts";
import { columnsOf, csvTable } from "./csv_table.ts";
import { UsageError } from "../../base/errors.ts";

/** The header oha's CSV output starts with. */
export const OHA_HEADER_START = "request-start,DNS,DNS+dialup,Response-delay,request-duration";

const OHA_COLUMNS = ["request-start", "Response-delay", "request-duration", "bytes", "status"];

/** Reads oha's CSV output. Throws {@linkcode UsageError} naming the file and line. */
export function readOhaCsv(text: string, options: ReadOptions): ForeignLog {
  const { header, rows } = csvTable(text, options.name);
  const col = columnsOf(header, OHA_COLUMNS, "oha CSV", options.name);
  const samples = rows.map((row, i) => {
    const where = `"${options.name}" line ${i + 2}`;
    const seconds = (c: string) => numberField(row[col[c]!], c, where) * 1000;
    const status = statusField(row[col.status!]);
    const firstByte = seconds("Response-delay");
    return foreignSample(options.phase, i, {
      sentMs: seconds("request-start"),
      latencyMs: round3(seconds("request-duration")),
      headersMs: firstByte > 0 ? round3(firstByte) : null,
      status,
      error: errorKindOf(status, ""),
      bytesIn: numberField(row[col.bytes!], "bytes", where),
    });
  });
  return foreignLog("oha-csv", samples, { unsupported: ["error_rate"] });
}

/** oha's JSON holds no per-request data: always a {@linkcode UsageError} saying what to run. */
export function readOhaJson(_text: string, options: ReadOptions): never {
  throw new UsageError(
    `Cannot read "${options.name}" as requests: oha's JSON output holds only aggregates; ` +
      `expected per-request data, rerun oha with --output-format csv`,
  );
}
