/**
 * The per-request CSV log: one row a request, header first, RFC 4180.
 * {@linkcode CsvLogWriter} appends rows as requests complete, so an
 * interrupted run keeps every finished request; {@linkcode readLog} reads a
 * log back, checking every field.
 *
 * @module
 */

import { csvField, csvLine } from "./csv_line.ts";
import { parseCsv } from "../base/deps.ts";
import { UsageError } from "../base/errors.ts";
import {
  DEBUG_LOG_COLUMN,
  ERROR_KINDS,
  type ErrorKind,
  EXTRA_LOG_COLUMNS,
  LOG_COLUMNS,
  type Sample,
  type StreamStats,
} from "../stats/sample.ts";
import { formatMs } from "../stats/time_ms.ts";

const ms = (v: number | null): string => (v === null ? "" : formatMs(v));

/** A sample as CSV fields, in {@linkcode LOG_COLUMNS} order. */
export function sampleToRow(s: Sample): string[] {
  return [
    s.phase,
    String(s.requestId),
    s.inputSha256,
    ms(s.sentMs),
    ms(s.headersMs),
    ms(s.latencyMs),
    s.status === null ? "" : String(s.status),
    s.ok ? "true" : "false",
    s.error,
    String(s.bytesIn),
    s.outputSha256,
    ms(s.serverQueueMs),
    ms(s.serverInferMs),
    s.connId,
  ];
}

/** A sample's {@linkcode EXTRA_LOG_COLUMNS} fields, in order (empty where not measured). */
export function extraFields(s: Sample): string[] {
  const st = s.stream;
  return [
    s.warmup ? "true" : "false",
    s.scheduledMs === undefined ? "" : ms(s.scheduledMs),
    st ? ms(st.ttftMs) : "",
    st ? String(st.chunks) : "",
    st ? String(st.tokens) : "",
    st ? st.itlMs.map((v) => v.toFixed(3)).join(" ") : "",
  ];
}

let lastPhase = "";
let lastPhaseField = "";

/**
 * `csvLine(sampleToRow(s))` without the intermediate array: the log writer's
 * hot path (a test proves both give the same text; add a column to both).
 */
export function sampleToCsvLine(s: Sample): string {
  if (s.phase !== lastPhase) {
    lastPhase = s.phase;
    lastPhaseField = csvField(s.phase);
  }
  return `${lastPhaseField},${s.requestId},${csvField(s.inputSha256)},${ms(s.sentMs)},${
    ms(s.headersMs)
  },${ms(s.latencyMs)},${s.status ?? ""},${s.ok},${s.error},${s.bytesIn},${
    csvField(s.outputSha256)
  },${ms(s.serverQueueMs)},${ms(s.serverInferMs)},${csvField(s.connId)}\n`;
}

/** Streams samples to a CSV file, flushing in small batches. */
export class CsvLogWriter {
  #file: Deno.FsFile;
  #pending = "";
  #rows = 0;
  #lastFlush = performance.now();
  #encoder = new TextEncoder();
  #extended: boolean;
  #debug: boolean;
  #buffer = new Uint8Array(0);

  private constructor(file: Deno.FsFile, extended: boolean, debug: boolean) {
    this.#file = file;
    this.#extended = extended;
    this.#debug = debug;
  }

  /**
   * Creates (truncates) `path` and writes the header row: {@linkcode LOG_COLUMNS},
   * then {@linkcode EXTRA_LOG_COLUMNS} when `extended`, then `error_detail` when
   * `debug` (`run --debug`; implies `extended`).
   */
  static create(path: string, extended = false, debug = false): CsvLogWriter {
    const file = Deno.openSync(path, { write: true, create: true, truncate: true });
    const writer = new CsvLogWriter(file, extended || debug, debug);
    const columns: string[] = [...LOG_COLUMNS];
    if (extended || debug) columns.push(...EXTRA_LOG_COLUMNS);
    if (debug) columns.push(DEBUG_LOG_COLUMN);
    writer.#writeText(csvLine(columns));
    return writer;
  }

  /** Queues a sample; writes the batch when it is large or 100 ms old. */
  write(sample: Sample): void {
    let line = sampleToCsvLine(sample);
    if (this.#extended) {
      line = `${line.slice(0, -1)},${extraFields(sample).map(csvField).join(",")}\n`;
    }
    if (this.#debug) line = `${line.slice(0, -1)},${csvField(sample.errorDetail ?? "")}\n`;
    this.#pending += line;
    if (++this.#rows >= 256 || performance.now() - this.#lastFlush > 100) this.flush();
  }

  /** Writes every queued row now. */
  flush(): void {
    if (this.#rows === 0) return;
    this.#writeText(this.#pending);
    this.#pending = "";
    this.#rows = 0;
    this.#lastFlush = performance.now();
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    this.#file.close();
  }

  #writeText(text: string): void {
    // Encode into one reused buffer: a new one per batch would churn native memory.
    if (this.#buffer.length < text.length * 3) this.#buffer = new Uint8Array(text.length * 3);
    const { written } = this.#encoder.encodeInto(text, this.#buffer);
    const bytes = this.#buffer.subarray(0, written);
    let at = 0;
    while (at < bytes.length) at += this.#file.writeSync(bytes.subarray(at));
  }
}

/** Reads and checks a CSV log. Throws {@linkcode UsageError} naming the file and line. */
export async function readLog(path: string): Promise<Sample[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`Cannot read log "${path}": ${err instanceof Error ? err.message : err}`);
  }
  return parseLog(text, path);
}

/** Parses CSV log text; `name` is used in error messages. */
export function parseLog(text: string, name: string): Sample[] {
  if (text.trim() === "") throw new UsageError(`Cannot read log "${name}": the file is empty`);
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: false }) as string[][];
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`Cannot parse log "${name}": ${msg}`);
  }
  const toSample = logRowParser(rows[0] ?? [], name);
  return rows.slice(1).map((row, i) => toSample(row, i + 2));
}

/**
 * Checks a log's header row and returns the parser of its data rows
 * (`line`: the row's line number, for messages). Throws {@linkcode UsageError}.
 */
export function logRowParser(
  header: readonly string[],
  name: string,
): (row: string[], line: number) => Sample {
  const required = LOG_COLUMNS.slice(0, 13);
  const missing = required.filter((c, i) => header[i] !== c);
  if (missing.length > 0) {
    throw new UsageError(
      `Cannot read log "${name}": the header does not start with the loadgate columns (${
        required.join(",")
      })`,
    );
  }
  const col = (c: string) => header.indexOf(c);
  const connCol = col("conn_id");
  const extra = Object.fromEntries(EXTRA_LOG_COLUMNS.map((c) => [c, col(c)])) as ExtraCols;
  const detailCol = col(DEBUG_LOG_COLUMN);
  return (row, line) => {
    const where = `${name}:${line}`;
    if (row.length !== header.length) {
      throw new UsageError(
        `Cannot parse log ${where}: ${row.length} fields where the header has ${header.length}`,
      );
    }
    const sample = parseRow(row, connCol, where);
    parseExtra(sample, row, extra, where);
    if (detailCol >= 0 && row[detailCol]) sample.errorDetail = row[detailCol];
    return sample;
  };
}

type ExtraCols = Record<(typeof EXTRA_LOG_COLUMNS)[number], number>;

/** Reads the appended columns a log has (older logs have none of them). */
function parseExtra(sample: Sample, row: string[], cols: ExtraCols, where: string): void {
  const bad = (column: string, value: string): never => {
    throw new UsageError(`Cannot parse log ${where}: column ${column} has "${value}"`);
  };
  const field = (c: keyof ExtraCols): string | null => (cols[c] < 0 ? null : row[cols[c]] ?? "");
  const number = (c: keyof ExtraCols, v: string): number => {
    const n = Number(v);
    return v === "" || !Number.isFinite(n) || n < 0 ? bad(c, v) : n;
  };
  const warmup = field("warmup");
  if (warmup !== null && warmup !== "") {
    if (warmup !== "true" && warmup !== "false") bad("warmup", warmup);
    if (warmup === "true") sample.warmup = true;
  }
  const scheduled = field("scheduled_ms");
  if (scheduled) sample.scheduledMs = number("scheduled_ms", scheduled);
  const chunks = field("chunks");
  if (chunks) {
    const ttft = field("ttft_ms") ?? "";
    const tokens = field("output_tokens") ?? "";
    const itl = field("itl_ms") ?? "";
    const stream: StreamStats = {
      ttftMs: ttft === "" ? null : number("ttft_ms", ttft),
      chunks: number("chunks", chunks),
      tokens: tokens === "" ? number("chunks", chunks) : number("output_tokens", tokens),
      itlMs: itl.trim() === "" ? [] : itl.trim().split(/\s+/).map((v) => number("itl_ms", v)),
    };
    sample.stream = stream;
  }
}

function parseRow(row: string[], connCol: number, where: string): Sample {
  const bad = (column: string, value: string | undefined): never => {
    throw new UsageError(`Cannot parse log ${where}: column ${column} has "${value ?? ""}"`);
  };
  const field = (i: number): string => row[i] ?? "";
  const number = (i: number, optional: boolean): number | null => {
    const v = field(i);
    if (v === "" && optional) return null;
    const n = Number(v);
    if (v === "" || !Number.isFinite(n) || n < 0) return bad(LOG_COLUMNS[i]!, v);
    return n;
  };
  const requestId = number(1, false)!;
  if (!Number.isInteger(requestId)) bad("request_id", field(1));
  const sha = (i: number, optional: boolean): string => {
    const v = field(i);
    if ((v === "" && optional) || /^[0-9a-f]{64}$/.test(v)) return v;
    return bad(LOG_COLUMNS[i]!, v);
  };
  const okText = field(7);
  if (okText !== "true" && okText !== "false") bad("ok", okText);
  const error = field(8) as ErrorKind;
  if (!ERROR_KINDS.includes(error)) bad("error", error);
  const status = number(6, true);
  return {
    phase: field(0),
    requestId,
    // Empty in a log imported from another tool; the inputs check then reports "not made".
    inputSha256: sha(2, true),
    sentMs: number(3, false)!,
    headersMs: number(4, true),
    latencyMs: number(5, false)!,
    status,
    ok: okText === "true",
    error,
    bytesIn: number(9, false)!,
    outputSha256: sha(10, true),
    serverQueueMs: number(11, true),
    serverInferMs: number(12, true),
    connId: connCol >= 0 ? field(connCol) : "",
  };
}
