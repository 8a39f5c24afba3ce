/**
 * Foreign logs: detects which tool wrote a file (from its header or shape) or
 * takes the format named by `--format`, and reads it into loadgate samples
 * plus the checks it cannot support.
 *
 * @example
 * ```ts
 * const log = readForeign(text, { name: "base.csv", phase: "baseline" });
 * log.format; // "python-csv"
 * log.unsupported; // ["inputs_identical", "outputs_identical", "conditions_match"]
 * ```
 *
 * @module
 */

import { FOREIGN_FORMATS, type ForeignFormat, type ForeignLog } from "./foreign_log.ts";
import { PYTHON_COLUMNS, readPythonCsv } from "./python_csv.ts";
import { HEY_HEADER_START, readHeyCsv } from "./hey_csv.ts";
import { OHA_HEADER_START, readOhaCsv, readOhaJson } from "./oha.ts";
import { readK6Csv, readK6Json } from "./k6.ts";
import { readVegetaCsv, readVegetaJson, VEGETA_CSV_RECORD } from "./vegeta.ts";
import { isVllmResult, readVllmJson } from "./vllm.ts";
import { UsageError } from "../../base/errors.ts";

/** How to read a foreign log. */
export interface ForeignOptions {
  /** Name of the file, for messages. */
  name: string;
  /** Phase name written into each sample. */
  phase: string;
  /** A format to force instead of detecting one. */
  format?: string;
}

/** Checks a `--format` value. Throws {@linkcode UsageError} listing the known names. */
export function parseFormat(text: string): ForeignFormat {
  if ((FOREIGN_FORMATS as readonly string[]).includes(text)) return text as ForeignFormat;
  throw new UsageError(
    `Cannot parse --format: "${text}" is not a known format (expected one of ${
      FOREIGN_FORMATS.join(", ")
    })`,
  );
}

function firstLine(text: string): string {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  const end = start.indexOf("\n");
  return (end < 0 ? start : start.slice(0, end)).replace(/\r$/, "");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The format of `text` from its first line or its JSON shape, or null when none matches. */
export function detectFormat(text: string): ForeignFormat | null {
  const line = firstLine(text);
  if (line.startsWith("{") || line.startsWith("[")) {
    const doc = parseJson(text);
    if (doc !== undefined && typeof doc === "object" && doc !== null && !Array.isArray(doc)) {
      if (isVllmResult(doc)) return "vllm-json";
      if ("summary" in doc && "latencyPercentiles" in doc) return "oha-json";
    }
    const first = parseJson(line) as Record<string, unknown> | undefined;
    if (first && typeof first === "object") {
      if ("metric" in first && "type" in first) return "k6-json";
      if ("code" in first && "latency" in first && "timestamp" in first) return "vegeta-json";
    }
    return null;
  }
  if (line.startsWith(HEY_HEADER_START)) return "hey-csv";
  if (line.startsWith(OHA_HEADER_START)) return "oha-csv";
  if (line.startsWith("metric_name,timestamp,metric_value")) return "k6-csv";
  if (VEGETA_CSV_RECORD.test(line)) return "vegeta-csv";
  const header = line.split(",").map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  if (PYTHON_COLUMNS.every((c) => header.includes(c))) return "python-csv";
  return null;
}

/**
 * Reads a foreign log, detected or forced. Throws {@linkcode UsageError} with
 * one line naming what was expected.
 */
export function readForeign(text: string, options: ForeignOptions): ForeignLog {
  const format = options.format === undefined ? detectFormat(text) : parseFormat(options.format);
  if (format === null) {
    throw new UsageError(
      `Cannot read "${options.name}": it matches no known log format (expected one of ${
        FOREIGN_FORMATS.join(", ")
      }; see docs/foreign-formats.md)`,
    );
  }
  const read = { name: options.name, phase: options.phase };
  const body = text.replace(/^\uFEFF/, "");
  switch (format) {
    case "python-csv":
      return readPythonCsv(body, read);
    case "hey-csv":
      return readHeyCsv(body, read);
    case "oha-csv":
      return readOhaCsv(body, read);
    case "oha-json":
      return readOhaJson(body, read);
    case "k6-csv":
      return readK6Csv(body, read);
    case "k6-json":
      return readK6Json(body, read);
    case "vegeta-csv":
      return readVegetaCsv(body, read);
    case "vegeta-json":
      return readVegetaJson(body, read);
    case "vllm-json": {
      const doc = parseJson(body);
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
        throw new UsageError(
          `Cannot read "${options.name}" as vLLM bench serve JSON: expected one JSON object`,
        );
      }
      return readVllmJson(doc as Record<string, unknown>, read);
    }
  }
}
