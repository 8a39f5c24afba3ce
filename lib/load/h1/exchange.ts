/**
 * What one exchange on an h1 connection is: the pool's options, the request
 * it writes, the handlers that see the answer's bytes, and what comes back.
 * Types only, shared by the pool, the engine and the stream handlers.
 *
 * @module
 */

import type { ConnectionPolicy } from "../connection.ts";
import type { ExchangeFailure } from "../measure.ts";
import type { ResponseParser } from "./parser.ts";

/** Options of {@linkcode H1Client}. */
export interface H1Options {
  /** Any URL of the origin to reach (`http:` or `https:`). */
  url: string;
  policy: ConnectionPolicy;
  /** Most idle connections kept for reuse (the most requests in flight). */
  concurrency: number;
  /** `https:`: PEM certificates to trust beside the root store. */
  caCerts?: string[];
  /** `https:`: do not verify the server's certificate at all. */
  insecure?: boolean;
}

/** One request and its response, as the engine saw them. */
export interface ExchangeResult<T> {
  failure: ExchangeFailure;
  /** Status of the response, or null when no complete head came. */
  status: number | null;
  /** Clock reading when the head was complete, or null. */
  headersAt: number | null;
  /** Clock reading when the response was complete, or the exchange failed. */
  doneAt: number;
  /** Body bytes received. */
  bytes: number;
  /** What the `body` handler made of the complete body; null when the body was not complete. */
  value: T | null;
}

/**
 * What to do with a response as it arrives; all run synchronously, inside the exchange.
 * `context` is the exchange's own (a request's sample): handlers made once, not a closure
 * a request.
 */
export interface ExchangeHandlers<T, C = undefined> {
  /** The final head is read: read its headers here (the parser is reused afterwards). */
  head?: (parser: ResponseParser, context: C) => void;
  /** The complete body (a view, valid only during the call). */
  body: (body: Uint8Array, context: C) => T;
  /** Body bytes as they arrive (a view, valid only during the call), read at clock `at`. */
  data?: (chunk: Uint8Array, at: number) => void;
}

/** What an exchange sends. */
export interface ExchangeRequest {
  /** {@linkcode requestHeadPrefix}, encoded. */
  prefix: Uint8Array;
  /** Body, or null to send none (and no content-length). */
  body: Uint8Array | null;
  /** The request is HEAD: its answer has no body. */
  noBody: boolean;
  /** Per-request timeout, ms (Infinity for none). */
  timeoutMs: number;
  /** Largest body read; more is a `body` failure. */
  maxBodyBytes: number;
  /** Aborting it ends the exchange as a `timeout`. */
  signal?: AbortSignal;
  /**
   * Reading of the exchange's clock when the request started: its deadline counts from it
   * when that clock is `realNow` (lib/load/deadlines.ts); otherwise the deadline reads the clock.
   */
  sentAt?: number;
}
