/**
 * vegeta's results as `vegeta encode` writes them.
 *
 * - CSV (`vegeta encode -to csv`), no header: timestamp (Unix ns), status
 *   code, latency (ns), bytes out, bytes in, error, body (base64), attack name,
 *   seq, and in newer versions method, URL, headers.
 * - JSON (`vegeta encode -to json`), one object a line: `attack, seq, code,
 *   timestamp (RFC 3339), latency (ns), bytes_out, bytes_in, error, body, ...`.
 *
 * Code 0 means no response came. As everywhere in loadgate, a request is ok
 * only for a 2xx without an error (vegeta's own success ratio also counts 3xx).
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample } from "./foreign_log.ts";
import { errorKindOf, numberField, statusField } from "./fields.ts";
import { csvTable } from "./csv_table.ts";
import { rfc3339Ms } from "./time_stamp.ts";
import { UsageError } from "../../base/errors.ts";
import type { Sample } from "../../stats/sample.ts";

/** A vegeta CSV record starts with a Unix-ns timestamp, a status code and a latency in ns. */
export const VEGETA_CSV_RECORD = /^\d{16,20},\d{1,3},\d+,\d+,\d+,/;

interface VegetaResult {
  timestampMs: number;
  code: unknown;
  latencyNs: unknown;
  bytesIn: unknown;
  error: string;
}

function toSample(r: VegetaResult, i: number, where: string, phase: string): Sample {
  const status = statusField(r.code);
  return foreignSample(phase, i, {
    sentMs: r.timestampMs,
    latencyMs: numberField(r.latencyNs, "latency", where) / 1e6,
    status,
    error: errorKindOf(status, r.error),
    bytesIn: numberField(r.bytesIn, "bytes_in", where),
  });
}

function done(samples: Sample[], format: "vegeta-csv" | "vegeta-json", name: string): ForeignLog {
  if (samples.length === 0) {
    throw new UsageError(
      `Cannot read "${name}" as vegeta ${format === "vegeta-csv" ? "CSV" : "JSON"}: ` +
        `expected results (vegeta encode), found none`,
    );
  }
  return foreignLog(format, samples);
}

/** Reads `vegeta encode -to csv` output. Throws {@linkcode UsageError} naming the line. */
export function readVegetaCsv(text: string, options: ReadOptions): ForeignLog {
  const { rows } = csvTable(text, options.name, false);
  const samples = rows.map((row, i) => {
    const where = `"${options.name}" line ${i + 1}`;
    if (row.length < 9) {
      throw new UsageError(
        `Cannot read ${where}: expected a vegeta CSV result of 9 or more fields, found ${row.length}`,
      );
    }
    const ns = row[0] ?? "";
    if (!/^\d+$/.test(ns)) throw new UsageError(`Cannot read ${where}: timestamp has "${ns}"`);
    return toSample(
      {
        timestampMs: Number(BigInt(ns) / 1000n) / 1000,
        code: row[1],
        latencyNs: row[2],
        bytesIn: row[4],
        error: row[5] ?? "",
      },
      i,
      where,
      options.phase,
    );
  });
  return done(samples, "vegeta-csv", options.name);
}

/** Reads `vegeta encode -to json` output. Throws {@linkcode UsageError} naming the line. */
export function readVegetaJson(text: string, options: ReadOptions): ForeignLog {
  const samples: Sample[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `"${options.name}" line ${i + 1}`;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch {
      throw new UsageError(`Cannot read ${where}: not a JSON object (vegeta JSON has one a line)`);
    }
    const timestampMs = typeof r.timestamp === "string" ? rfc3339Ms(r.timestamp) : NaN;
    if (!Number.isFinite(timestampMs)) {
      throw new UsageError(`Cannot read ${where}: timestamp has "${String(r.timestamp)}"`);
    }
    const error = typeof r.error === "string" ? r.error : "";
    samples.push(
      toSample(
        { timestampMs, code: r.code, latencyNs: r.latency, bytesIn: r.bytes_in, error },
        samples.length,
        where,
        options.phase,
      ),
    );
  });
  return done(samples, "vegeta-json", options.name);
}
