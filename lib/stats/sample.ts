/**
 * One request's record: what the runner emits, the CSV log stores and the
 * statistics read.
 *
 * @module
 */

/** Why a request failed; empty when it succeeded. */
export type ErrorKind =
  | ""
  | "timeout"
  | "connect"
  | "http_4xx"
  | "http_5xx"
  | "body"
  | "stream";

/** The error kinds a log may hold. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "",
  "timeout",
  "connect",
  "http_4xx",
  "http_5xx",
  "body",
  "stream",
];

/** One request, as measured by the client (times in ms from a monotonic clock). */
export interface Sample {
  /** Phase name, for example `baseline`. */
  phase: string;
  /** Index of the request in the workload, from 0. */
  requestId: number;
  /** SHA-256 of the request body. */
  inputSha256: string;
  /** When the request was sent, from the phase start. */
  sentMs: number;
  /** Response headers received, from the send; null when none came. */
  headersMs: number | null;
  /** Request complete (body read, or failure), from the send. */
  latencyMs: number;
  /** HTTP status, or null when no response came. */
  status: number | null;
  /** True only for a 2xx with a complete body and no error inside a stream. */
  ok: boolean;
  /** Failure kind, empty on success. */
  error: ErrorKind;
  /** Response body bytes received. */
  bytesIn: number;
  /** SHA-256 of the complete response body; empty when it was not complete. */
  outputSha256: string;
  /** Server-reported queue wait (Server-Timing `queue`), or null. */
  serverQueueMs: number | null;
  /** Server-reported service time (Server-Timing `infer`), or null. */
  serverInferMs: number | null;
  /** Server-reported connection identifier (`x-loadgate-conn`), or empty. */
  connId: string;
  /** True for a warm-up request: logged, left out of the statistics. */
  warmup?: boolean;
  /** Open loop: when the request was due, from the phase start (its actual send is `sentMs`). */
  scheduledMs?: number;
  /** Streaming: what the response stream held, when streaming was on and a response came. */
  stream?: StreamStats;
  /** `--stages`: index (from 0) of the stage the request was scheduled in. */
  stage?: number;
  /** `--debug`: the first bytes of a failed response's body, as text. */
  errorDetail?: string;
  /** LLM APIs (`--api`): the request's tokens, from the server's `usage` or an estimate. */
  tokens?: TokenCounts;
  /**
   * LLM APIs: SHA-256 of what the model generated (its token ids where the server sent them,
   * else its concatenated text), without the framing (ids, `created`); empty when not read.
   */
  textSha256?: string;
  /** Multi-turn conversations: the session (from 0) and the turn in it (from 0). */
  session?: { id: number; turn: number };
}

/**
 * How a request's output tokens were counted: the server's `usage`, the
 * `--tokenizer` file, or one token a content chunk.
 */
export type TokenMethod = "usage" | "tokenizer" | "chunks";

/** A request's input and output tokens, and whether they were estimated (no `usage`). */
export interface TokenCounts {
  input: number;
  output: number;
  /** True when the server sent no `usage` and the tokens were estimated. */
  estimated: boolean;
  /** How the output tokens were counted (absent in a log read back). */
  method?: TokenMethod;
  /** Prompt tokens the server served from its prefix cache (`usage.prompt_tokens_details.cached_tokens`), when it said. */
  cached?: number;
}

/** What a streamed response held (times in ms from the request's send). */
export interface StreamStats {
  /** Time to the first token chunk, or null when none came. */
  ttftMs: number | null;
  /** Token chunks received (SSE events or JSON lines carrying output). */
  chunks: number;
  /** Output tokens: the server's count when it sent one (`usage`), else `chunks`. */
  tokens: number;
  /** Gaps between successive token chunks. */
  itlMs: number[];
}

/** CSV log columns, in order. Extend only by appending. */
export const LOG_COLUMNS = [
  "phase",
  "request_id",
  "input_sha256",
  "sent_ms",
  "headers_ms",
  "latency_ms",
  "status",
  "ok",
  "error",
  "bytes_in",
  "output_sha256",
  "server_queue_ms",
  "server_infer_ms",
  "conn_id",
] as const;

/**
 * Columns appended after {@linkcode LOG_COLUMNS} in logs written by `run`
 * (the main job writes {@linkcode LOG_COLUMNS} only). Extend only by appending.
 */
export const EXTRA_LOG_COLUMNS = [
  "warmup",
  "scheduled_ms",
  "ttft_ms",
  "chunks",
  "output_tokens",
  "itl_ms",
  "stage",
  "input_tokens",
  "tokens_estimated",
  "text_sha256",
  "session_id",
  "turn",
  "cached_tokens",
] as const;

/** The column `run --debug` appends after {@linkcode EXTRA_LOG_COLUMNS}. */
export const DEBUG_LOG_COLUMN = "error_detail";

/** Bytes of a failed response's body `--debug` keeps. */
export const DEBUG_DETAIL_BYTES = 200;
