/**
 * The per-request CSV log: one row a request, header first, RFC 4180.
 * {@linkcode CsvLogWriter} appends rows as requests complete, so an
 * interrupted run keeps every finished request; {@linkcode readLog} reads a
 * log back, checking every field.
 *
 * @module
 */

import { redact } from "../../base/secrets.ts";
import { csvField, csvLine } from "./line.ts";
import { logFieldsRoom, putLogFields } from "./row_bytes.ts";
import { CsvRecordParser } from "./records.ts";
import { UsageError } from "../../base/errors.ts";
import { logRowParser } from "../log_rows.ts";
import { streamLog } from "../log_stream.ts";
import {
  DEBUG_LOG_COLUMN,
  EXTRA_LOG_COLUMNS,
  LOG_COLUMNS,
  type Sample,
} from "../../stats/sample.ts";
import { formatMs } from "../../stats/time_ms.ts";

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
    st ? String(st.tokens) : s.tokens ? String(s.tokens.output) : "",
    st ? st.itlMs.map(formatMs).join(" ") : "",
    s.stage === undefined ? "" : String(s.stage),
    s.tokens ? String(s.tokens.input) : "",
    s.tokens ? String(s.tokens.estimated) : "",
    s.textSha256 ?? "",
    s.session ? String(s.session.id) : "",
    s.session ? String(s.session.turn) : "",
    s.tokens?.cached === undefined ? "" : String(s.tokens.cached),
  ];
}

let lastPhase = "";
let lastPhaseField = "";

/**
 * `csvLine(sampleToRow(s))` without the intermediate array: the log writer's
 * hot path (a test proves both give the same text; add a column to both).
 */
export function sampleToCsvLine(s: Sample): string {
  return `${csvFields(s)}\n`;
}

/** {@linkcode sampleToCsvLine} without its line end. */
function csvFields(s: Sample): string {
  if (s.phase !== lastPhase) {
    lastPhase = s.phase;
    lastPhaseField = csvField(s.phase);
  }
  return `${lastPhaseField},${s.requestId},${csvField(s.inputSha256)},${ms(s.sentMs)},${
    ms(s.headersMs)
  },${ms(s.latencyMs)},${s.status ?? ""},${s.ok},${s.error},${s.bytesIn},${
    csvField(s.outputSha256)
  },${ms(s.serverQueueMs)},${ms(s.serverInferMs)},${csvField(s.connId)}`;
}

/** The extra fields of a measured request with nothing extra to say (most rows). */
const PLAIN_EXTRA = ",false,,,,,,,,,,,,";

/** {@linkcode PLAIN_EXTRA} as UTF-8, copied into the batch as it is. */
const PLAIN_EXTRA_BYTES = new TextEncoder().encode(PLAIN_EXTRA);

/** `s` has nothing extra to say: its extra fields are {@linkcode PLAIN_EXTRA}. */
function plainExtra(s: Sample): boolean {
  return s.warmup !== true && s.scheduledMs === undefined && s.stream === undefined &&
    s.stage === undefined && s.tokens === undefined && s.textSha256 === undefined &&
    s.session === undefined;
}

/** `,` and the {@linkcode EXTRA_LOG_COLUMNS} fields of `s`. */
function extraCsv(s: Sample): string {
  return plainExtra(s) ? PLAIN_EXTRA : `,${extraFields(s).map(csvField).join(",")}`;
}

/** Bytes of encoded rows the writer holds before it writes them (a batch). */
const BATCH_BYTES = 64 * 1024;

/**
 * Streams samples to a CSV file, flushing in small batches. Each row is encoded into the
 * batch's byte buffer as it is written: a batch kept as text (a rope of up to 256 rows) lived
 * through the young generation's collections and was copied by each (about 1 KB a request).
 */
export class CsvLogWriter {
  #file: Deno.FsFile;
  #rows = 0;
  #lastFlush = Date.now();
  #encoder = new TextEncoder();
  #extended: boolean;
  #debug: boolean;
  #buffer = new Uint8Array(BATCH_BYTES);
  #used = 0;
  #phase = "";
  #phaseField = new Uint8Array(0);

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
    writer.#append(csvLine(columns));
    writer.flush();
    return writer;
  }

  /** Queues a sample; writes the batch when it is large or 100 ms old. */
  write(sample: Sample): void {
    // Most rows' extra fields are one fixed text: its bytes are copied, not encoded a row.
    const plain = this.#extended && plainExtra(sample);
    let rest = "";
    if (this.#extended && !plain) rest += extraCsv(sample);
    if (this.#debug) rest += `,${csvField(redact(sample.errorDetail ?? ""))}`;
    if (sample.phase !== this.#phase) {
      this.#phase = sample.phase;
      this.#phaseField = this.#encoder.encode(csvField(sample.phase));
    }
    this.#reserve(
      this.#phaseField.length + logFieldsRoom(sample) + PLAIN_EXTRA.length + rest.length * 3 + 1,
    );
    const buf = this.#buffer;
    let at = putLogFields(sample, buf, this.#used, this.#phaseField);
    if (plain) {
      for (let k = 0; k < PLAIN_EXTRA_BYTES.length; k++) buf[at + k] = PLAIN_EXTRA_BYTES[k]!;
      at += PLAIN_EXTRA_BYTES.length;
    }
    this.#used = at;
    if (rest !== "") this.#append(rest);
    this.#buffer[this.#used++] = 10; // "\n"
    // Date.now(), not performance.now(): the age check runs once a row, and Deno's
    // performance.now() goes through an op (about 2 % of a fast run's CPU in `perf`); a clock
    // set back only flushes early.
    const age = Date.now() - this.#lastFlush;
    if (++this.#rows >= 256 || age > 100 || age < 0) this.flush();
  }

  /** Writes every queued row now. */
  flush(): void {
    if (this.#used > 0) this.#writeBytes(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
    this.#rows = 0;
    this.#lastFlush = Date.now();
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    this.#file.close();
  }

  /** Makes room for `bytes` more in the batch: writes it first when full. */
  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    this.flush();
    if (bytes > this.#buffer.length) this.#buffer = new Uint8Array(bytes);
  }

  /** Encodes `text` at the end of the batch (UTF-8 takes at most 3 bytes a UTF-16 unit). */
  #append(text: string): void {
    this.#reserve(text.length * 3);
    const { written } = this.#encoder.encodeInto(text, this.#buffer.subarray(this.#used));
    this.#used += written;
  }

  #writeBytes(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) at += this.#file.writeSync(bytes.subarray(at));
  }
}

/**
 * Reads and checks a CSV log, streaming ({@linkcode streamLog}): the header is
 * checked from the first bytes and a large log never sits in memory as one
 * string. Throws {@linkcode UsageError} naming the file and line.
 */
export async function readLog(path: string): Promise<Sample[]> {
  const samples: Sample[] = [];
  await streamLog(path, (s) => samples.push(s));
  return samples;
}

/** Parses CSV log text (a leading byte order mark is dropped); `name` is used in error messages. */
export function parseLog(text: string, name: string): Sample[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") throw new UsageError(`Cannot read log "${name}": the file is empty`);
  const samples: Sample[] = [];
  let toSample: ((row: string[], line: number) => Sample) | null = null;
  let line = 1;
  const onRecord = (row: string[]): void => {
    if (toSample === null) toSample = logRowParser(row, name);
    else samples.push(toSample(row, ++line));
  };
  const parser = new CsvRecordParser();
  try {
    parser.push(body, onRecord);
    parser.end(onRecord);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`Cannot parse log "${name}" after line ${line}: ${msg}`);
  }
  return samples;
}
