/**
 * One request's record: what the runner emits, the CSV log stores and the
 * statistics read.
 *
 * @module
 */

/** Why a request failed; empty when it succeeded. */
export type ErrorKind = "" | "timeout" | "connect" | "http_4xx" | "http_5xx" | "body";

/** The error kinds a log may hold. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "",
  "timeout",
  "connect",
  "http_4xx",
  "http_5xx",
  "body",
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
  /** True only for a 2xx with a complete body. */
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
