/**
 * The rows of a CSV log read back: {@linkcode logRowParser} checks the header
 * row and returns the parser of the data rows, which checks every field
 * (the base columns and the appended ones a log may have). Used by every
 * reader of a log, whole text or stream.
 *
 * @module
 */

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
  const stage = field("stage");
  if (stage) {
    sample.stage = number("stage", stage);
    if (!Number.isInteger(sample.stage)) bad("stage", stage);
  }
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
  const input = field("input_tokens");
  if (input) {
    const output = field("output_tokens") ?? "";
    const estimated = field("tokens_estimated") ?? "";
    if (estimated !== "true" && estimated !== "false") bad("tokens_estimated", estimated);
    sample.tokens = {
      input: number("input_tokens", input),
      output: output === "" ? 0 : number("output_tokens", output),
      estimated: estimated === "true",
    };
    const cached = field("cached_tokens");
    if (cached) sample.tokens.cached = number("cached_tokens", cached);
  }
  const session = field("session_id");
  if (session) {
    const id = number("session_id", session);
    const turn = number("turn", field("turn") ?? "");
    if (!Number.isInteger(id)) bad("session_id", session);
    if (!Number.isInteger(turn)) bad("turn", field("turn") ?? "");
    sample.session = { id, turn };
  }
  const text = field("text_sha256");
  if (text) {
    if (!/^[0-9a-f]{64}$/.test(text)) bad("text_sha256", text);
    sample.textSha256 = text;
  }
}

/**
 * A row that says ok=true is a 2xx without an error: any other is a log that
 * contradicts itself, refused rather than counted as a success. A foreign
 * tool may record no status (vLLM's benchmark); loadgate's own rows, which
 * carry an input digest, always do.
 */
function contradiction(
  status: number | null,
  error: string,
  native: boolean,
  where: string,
  id: number,
): void {
  const why = error !== ""
    ? `error=${error}`
    : status === null
    ? (native ? "no status" : null)
    : status < 200 || status > 299
    ? `status ${status}`
    : null;
  if (why === null) return;
  throw new UsageError(
    `Cannot use log ${where}: request_id ${id} says ok=true with ${why} (ok is a 2xx status ` +
      "and no error)",
  );
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
  const inputSha256 = sha(2, true);
  if (okText === "true") contradiction(status, error, inputSha256 !== "", where, requestId);
  return {
    phase: field(0),
    requestId,
    // Empty in a log imported from another tool; the inputs check then reports "not made".
    inputSha256,
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
