/**
 * gRPC status codes in the log's terms. A call's outcome is its status
 * code, not an HTTP status (every answer is HTTP 200 on the wire), so the log
 * keeps: `DEADLINE_EXCEEDED` a `timeout`; `UNAVAILABLE` (no connection, or a
 * server that says it cannot serve) a `connect`; every other failure the
 * HTTP status Google's mapping gives it (`google.rpc.Code`: INVALID_ARGUMENT
 * 400, NOT_FOUND 404, RESOURCE_EXHAUSTED 429, UNIMPLEMENTED 501, INTERNAL
 * 500, ...) and so `http_4xx` or `http_5xx`. The code itself goes into the
 * row's detail (`grpc 3 INVALID_ARGUMENT: ...`).
 *
 * @example
 * ```ts
 * grpcOutcome(3); // { status: 400, failure: "" } : an http_4xx row
 * grpcOutcome(4); // { status: null, failure: "timeout" }
 * ```
 *
 * @module
 */

import { DEBUG_DETAIL_BYTES } from "../../stats/sample.ts";
import type { ExchangeFailure } from "../measure.ts";

/** The codes' names, by number. */
export const GRPC_CODE_NAMES: readonly string[] = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

/** Each code's HTTP status (google.rpc.Code's mapping; CANCELLED is 499, the client closed). */
const HTTP_OF = [
  200,
  499,
  500,
  400,
  504,
  404,
  409,
  403,
  429,
  400,
  409,
  400,
  501,
  500,
  503,
  500,
  401,
];

/** How a call that ended with `code` is logged: the status, or no status and a failure kind. */
export function grpcOutcome(code: number): { status: number | null; failure: ExchangeFailure } {
  if (code === 4) return { status: null, failure: "timeout" };
  if (code === 14) return { status: null, failure: "connect" };
  return { status: HTTP_OF[code] ?? 500, failure: "" };
}

/** The row's detail of a failed call: `grpc CODE NAME: details`. */
export function grpcDetail(code: number, details: string): string {
  const name = GRPC_CODE_NAMES[code] ?? "UNKNOWN";
  const text = details.replace(/\s+/g, " ").trim();
  return `grpc ${code} ${name}${text === "" ? "" : `: ${text}`}`.slice(0, DEBUG_DETAIL_BYTES);
}
