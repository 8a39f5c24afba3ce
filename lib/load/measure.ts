/**
 * The measuring core every engine shares: what one request is
 * ({@linkcode RequestSpec}), its blank {@linkcode Sample}, the one body reader
 * ({@linkcode readBody}), and the one place that turns what an engine saw
 * ({@linkcode Exchange}) into a sample's times, status and ok/error kind
 * ({@linkcode fillSample}).
 *
 * The timeout rule lives here, for every engine: a request is a `timeout`
 * exactly when its latency, as logged (3 decimals), exceeds its limit (an engine's own timer aborts
 * only after the limit has passed; an answer completing late is a timeout
 * too, however the engine noticed it).
 *
 * @example
 * ```ts
 * const { sample } = blankSample(request, 0);
 * fillSample(sample, t0, { failure: "", status: 200, headersAt, doneAt, bytes: 2, outputSha256 }, 1000);
 * ```
 *
 * @module
 */

import { concatBytes } from "../base/bytes.ts";
import type { ErrorKind, Sample } from "../stats/sample.ts";
import type { Workload } from "../workload/workload.ts";
import { parseServerTiming } from "./server_timing.ts";
import { roundMs } from "../stats/time_ms.ts";

/** Largest response body read when none is given, in bytes (64 MiB). */
export const DEFAULT_MAX_RESPONSE = 64 << 20;

/** What each request of a phase sends, and how it is measured. */
export interface RequestSpec {
  /** Phase name written in each sample. */
  phase: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Request `id` sends body `id % bodies.length`. */
  workload: Workload;
  /** Per-request limit, ms, covering headers and body. */
  timeoutMs: number;
  /** Largest response body read, in bytes; more is a `body` error. */
  maxResponseBytes: number;
  /** Parse streamed responses (SSE or JSON lines) for TTFT and ITL. */
  stream: boolean;
  /**
   * Reads a complete 2xx body into its sample (the LLM APIs' token counts),
   * after the stream's metrics are in it. Absent: bodies are only hashed.
   */
  onBody?: (sample: Sample, body: Uint8Array) => void;
  /** `--debug`: keep this many bytes of a failed response's body (`errorDetail`); 0 or absent: none. */
  debugBytes?: number;
}

/**
 * How an exchange ended, as the engine saw it: `""` when a complete response arrived;
 * `stream` when it arrived complete but its stream reported an error or was cut before its end.
 */
export type ExchangeFailure = "" | "connect" | "timeout" | "body" | "stream";

/** What an engine saw of one request, in its clock's readings. */
export interface Exchange {
  failure: ExchangeFailure;
  /** Status of the response, or null when no complete head came. */
  status: number | null;
  /** Clock reading when the head was complete, or null. */
  headersAt: number | null;
  /** Clock reading when the response was complete, or the exchange failed. */
  doneAt: number;
  /** Body bytes received. */
  bytes: number;
  /** SHA-256 of the complete body; null when the body was not complete. */
  outputSha256: string | null;
  /** The body as received, when the engine kept it for `--debug`. */
  body?: Uint8Array | null;
}

/** A failed response's first bytes as one line of text (`--debug`). */
export function errorDetailOf(body: Uint8Array, limit: number): string {
  return new TextDecoder().decode(body.subarray(0, limit)).replace(/\uFFFD+$/, "")
    .replace(/\s+/g, " ").trim();
}

/** Request `id`'s body, and its sample with nothing measured yet. */
export function blankSample(
  request: Pick<RequestSpec, "phase" | "workload">,
  id: number,
): { body: Uint8Array<ArrayBuffer>; sample: Sample } {
  const n = request.workload.bodies.length;
  return {
    body: request.workload.bodies[id % n]!,
    sample: {
      phase: request.phase,
      requestId: id,
      inputSha256: request.workload.inputSha256[id % n]!,
      sentMs: 0,
      headersMs: null,
      latencyMs: 0,
      status: null,
      ok: false,
      error: "",
      bytesIn: 0,
      outputSha256: "",
      serverQueueMs: null,
      serverInferMs: null,
      connId: "",
    },
  };
}

/** The body a request sends: none for GET and HEAD. */
export function bodyFor(
  method: string,
  body: Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> | null {
  return method === "GET" || method === "HEAD" ? null : body;
}

/** Where a response's header values are read: `Headers`, or h1's parser. */
export interface HeaderSource {
  /** The value of header `name` (lower case), or null. */
  get(name: string): string | null;
}

/** Copies the response headers loadgate reads (`server-timing`, `x-loadgate-conn`) into `sample`. */
export function readServerHeaders(sample: Sample, headers: HeaderSource): void {
  const timing = headers.get("server-timing");
  if (timing !== null) {
    const t = parseServerTiming(timing);
    sample.serverQueueMs = t.get("queue") ?? null;
    sample.serverInferMs = t.get("infer") ?? null;
  }
  sample.connId = headers.get("x-loadgate-conn") ?? "";
}

/** The error kind of an HTTP status: 5xx, 3xx/4xx, or none. */
export function statusError(status: number): ErrorKind {
  return status >= 500 ? "http_5xx" : status >= 300 ? "http_4xx" : "";
}

/**
 * Fills `sample` from what the engine saw of it, sent at clock reading `t0`:
 * times, status, bytes, digest, and the one ok/error decision.
 */
export function fillSample(
  sample: Sample,
  t0: number,
  ex: Exchange,
  timeoutMs: number,
  debugBytes = 0,
): Sample {
  sample.latencyMs = ex.doneAt - t0;
  // Judged on the latency as the log keeps it (3 decimals): an ok row never logs more than the limit.
  const late = ex.failure === "timeout" || roundMs(sample.latencyMs) > timeoutMs;
  if (ex.status === null) {
    sample.error = late ? "timeout" : "connect";
    return sample;
  }
  sample.headersMs = (ex.headersAt ?? ex.doneAt) - t0;
  sample.status = ex.status;
  sample.bytesIn = ex.bytes;
  const httpError = statusError(ex.status);
  if (ex.outputSha256 !== null) sample.outputSha256 = ex.outputSha256;
  if (late) sample.error = "timeout";
  else if (httpError !== "") sample.error = httpError;
  else if (ex.outputSha256 === null) sample.error = "body";
  else if (ex.failure === "stream") sample.error = "stream";
  sample.ok = sample.error === "";
  if (!sample.ok && ex.body && ex.body.byteLength > 0 && debugBytes > 0) {
    sample.errorDetail = errorDetailOf(ex.body, debugBytes);
  }
  return sample;
}

/** A body read to its end, or given up on. */
export interface ReadBody {
  /** The whole body, or null when it was cut or larger than the limit. */
  body: Uint8Array | null;
  bytes: number;
}

/** First buffer of a body whose length the head does not give, bytes (grown by doubling). */
const FIRST_BUFFER = 16 * 1024;

/**
 * Reads `res`'s body up to `limit` bytes. Never throws.
 *
 * Read through a BYOB reader into one buffer sized from `content-length`
 * (one byte more, so that a read past the announced end has room), and
 * released as soon as the announced bytes are in, without a further read for
 * the end (one read a small body instead of two, ~3 µs a request): Deno's
 * default reader allocates a 64 KiB chunk a read, which made the fetch engine
 * cost 2-3 times the CPU a request of a bare `fetch` + `arrayBuffer()` loop
 * (`deno run -A tests/bench/workers.ts --client fetch,fetch-engine`). Unlike
 * `arrayBuffer()`, it still counts the bytes of a body cut or given up on.
 */
export async function readBody(res: Response, limit: number): Promise<ReadBody> {
  if (!res.body) return { body: new Uint8Array(), bytes: 0 };
  let reader: ReadableStreamBYOBReader;
  try {
    reader = res.body.getReader({ mode: "byob" });
  } catch {
    return await readChunks(res.body.getReader(), limit); // not a byte stream
  }
  const length = Number(res.headers.get("content-length") ?? NaN);
  const known = Number.isSafeInteger(length) && length >= 0;
  // A body fetch decoded (gzip, br) is longer than its content-length: read it to its end.
  const exact = known && res.headers.get("content-encoding") === null;
  let buf = new Uint8Array(Math.min(limit + 1, known ? length + 1 : FIRST_BUFFER));
  let bytes = 0;
  try {
    while (true) {
      if (bytes === buf.length) {
        const grown = new Uint8Array(Math.min(limit + 1, buf.length * 2));
        grown.set(buf);
        buf = grown;
      }
      const { done, value } = await reader.read(buf.subarray(bytes));
      // The read took the buffer over: what comes back is a view of it.
      if (value) buf = new Uint8Array(value.buffer);
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel().catch(() => {});
        return { body: null, bytes };
      }
      // All the announced bytes are in: no read for the end (HTTP framing sends no more).
      if (exact && bytes === length) {
        await reader.cancel().catch(() => {});
        break;
      }
    }
  } catch {
    return { body: null, bytes };
  }
  return { body: buf.subarray(0, bytes), bytes };
}

/** {@linkcode readBody} through a default reader (a stream that is not a byte stream). */
async function readChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<ReadBody> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel().catch(() => {});
        return { body: null, bytes };
      }
      chunks.push(value);
    }
  } catch {
    return { body: null, bytes };
  }
  return { body: concatBytes(chunks, bytes), bytes };
}
