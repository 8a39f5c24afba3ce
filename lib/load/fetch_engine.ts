/**
 * The `fetch` engine: each request goes through an injected `fetch` (Deno's,
 * bound to a connection policy by `connection.ts`, or a test's), timed with a
 * timer cleared when the request ends, and measured by the shared core.
 *
 * @module
 */

import { sha256Hex } from "../base/hash.ts";
import type { Sample } from "../stats/sample.ts";
import type { Engine } from "./engine.ts";
import {
  blankSample,
  bodyFor,
  type Exchange,
  fillSample,
  readBody,
  readServerHeaders,
  type RequestSpec,
} from "./measure.ts";
import { readStreamedBody } from "./stream_parser.ts";

/** What the fetch engine needs from the world, injected so tests control it. */
export interface FetchEngineDeps {
  /** Sends a request (bound to a connection policy). */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Monotonic clock in ms. */
  now: () => number;
}

/** An engine over `deps.fetch`; closing it releases nothing (the fetch's owner does). */
export function openFetchEngine(request: RequestSpec, deps: FetchEngineDeps): Engine {
  return {
    send: async (id: number, phaseStart: number): Promise<Sample> => {
      const { body, sample } = blankSample(request, id);
      const t0 = deps.now();
      sample.sentMs = t0 - phaseStart;
      // A timer cleared when the request ends: AbortSignal.timeout() would keep each request's
      // signal alive for the whole timeout (at 16k req/s and 30 s, 480k of them: gigabytes).
      // Armed after t0, so it fires only once the limit has passed.
      const abort = new AbortController();
      const timer = setTimeout(
        () => abort.abort(new DOMException("timed out", "TimeoutError")),
        request.timeoutMs,
      );
      try {
        const held: { body: Uint8Array | null } = { body: null };
        const at = { signal: abort.signal, t0, held };
        const ex = await exchange(request, deps, sample, body, at);
        fillSample(sample, t0, ex, request.timeoutMs, request.debugBytes ?? 0);
        // As on h1: onBody reads a complete 2xx body once the sample is filled (it may fail it).
        if (held.body !== null && sample.ok) request.onBody!(sample, held.body);
        return sample;
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => {},
  };
}

async function exchange(
  request: RequestSpec,
  deps: FetchEngineDeps,
  sample: Sample,
  body: Uint8Array<ArrayBuffer>,
  at: { signal: AbortSignal; t0: number; held: { body: Uint8Array | null } },
): Promise<Exchange> {
  const { signal } = at;
  let res: Response;
  try {
    res = await deps.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: bodyFor(request.method, body),
      signal,
    });
  } catch {
    const failure = signal.aborted ? "timeout" : "connect";
    return {
      failure,
      status: null,
      headersAt: null,
      doneAt: deps.now(),
      bytes: 0,
      outputSha256: null,
    };
  }
  const headersAt = deps.now();
  readServerHeaders(sample, (name) => res.headers.get(name));
  let read: { body: Uint8Array | null; bytes: number; failure?: string | null };
  if (request.stream && res.ok) {
    const streamed = await readStreamedBody(res, request.maxResponseBytes, deps.now, at.t0);
    sample.stream = streamed.stream;
    read = streamed;
  } else read = await readBody(res, request.maxResponseBytes);
  const doneAt = deps.now();
  // A streamed body's connection goes back to fetch's pool a task after its end: without
  // this turn the worker's next send finds no idle connection and opens another one.
  if (request.stream) await new Promise((resolve) => setTimeout(resolve, 0));
  if (request.onBody && read.body !== null && res.ok) at.held.body = read.body;
  const failure = read.body === null
    ? signal.aborted ? "timeout" : "body"
    : read.failure
    ? "stream"
    : "";
  return {
    failure,
    status: res.status,
    headersAt,
    doneAt,
    bytes: read.bytes,
    outputSha256: read.body === null ? null : await sha256Hex(read.body),
    ...(request.debugBytes && !res.ok ? { body: read.body } : {}),
  };
}
