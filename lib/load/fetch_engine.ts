/**
 * The `fetch` engine: each request goes through an injected `fetch` (Deno's,
 * bound to a connection policy by `connection.ts`, or a test's), and is
 * measured by the shared core.
 *
 * What it adds to Deno's own fetch is kept small (docs/benchmarks.md, "fetch's
 * cost"): one deadline list with one timer for every request's timeout
 * (`deadlines.ts`) instead of a timer a request, the body read once into a
 * buffer of its announced length, its digest taken synchronously, one async
 * function a request. The `AbortController` a request is what remains: Deno's
 * fetch takes its signal only when the request starts, and a timeout must be
 * able to end a request that is still waiting for its head.
 *
 * @module
 */

import { sha256HexSync } from "../base/hash.ts";
import type { Sample } from "../stats/sample.ts";
import { type DeadlineEntry, Deadlines, realNow } from "./deadlines.ts";
import type { Engine } from "./engine.ts";
import {
  blankSample,
  bodyFor,
  type Exchange,
  fillSample,
  type ReadBody,
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

/** A request in flight under its deadline; the controller aborts it once the deadline passed. */
interface Pending extends DeadlineEntry {
  abort: AbortController;
}

function expire(pending: Pending): void {
  pending.abort.abort(new DOMException("timed out", "TimeoutError"));
}

/** An engine over `deps.fetch`; closing it stops its timeout timer (the fetch's owner closes the client). */
export function openFetchEngine(request: RequestSpec, deps: FetchEngineDeps): Engine {
  const deadlines = new Deadlines<Pending>(expire);
  return {
    send: async (id: number, phaseStart: number): Promise<Sample> => {
      const { body, sample } = blankSample(request, id);
      const t0 = deps.now();
      sample.sentMs = t0 - phaseStart;
      // Due from t0 (or from a reading after it, on another clock), so it is ended only once
      // the limit has passed; never a timer a request (AbortSignal.timeout() would also keep
      // each signal alive for the whole timeout).
      const pending: Pending = { deadline: Infinity, slot: -1, abort: new AbortController() };
      deadlines.track(pending, request.timeoutMs, deps.now === realNow ? t0 : undefined);
      try {
        return await exchange(request, deps, sample, body, pending.abort.signal, t0);
      } finally {
        deadlines.untrack(pending);
      }
    },
    close: () => deadlines.close(),
  };
}

/** Sends `sample`'s request and fills the sample from what came back. */
async function exchange(
  request: RequestSpec,
  deps: FetchEngineDeps,
  sample: Sample,
  body: Uint8Array<ArrayBuffer>,
  signal: AbortSignal,
  t0: number,
): Promise<Sample> {
  const debugBytes = request.debugBytes ?? 0;
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
    const ex: Exchange = {
      failure,
      status: null,
      headersAt: null,
      doneAt: deps.now(),
      bytes: 0,
      outputSha256: null,
    };
    return fillSample(sample, t0, ex, request.timeoutMs, debugBytes);
  }
  const headersAt = deps.now();
  readServerHeaders(sample, res.headers);
  let read: ReadBody & { failure?: string | null };
  if (request.stream && res.ok) {
    const streamed = await readStreamedBody(res, request.maxResponseBytes, deps.now, t0);
    sample.stream = streamed.stream;
    read = streamed;
  } else read = await readBody(res, request.maxResponseBytes);
  const doneAt = deps.now();
  // A streamed body's connection goes back to fetch's pool a task after its end: without
  // this turn the worker's next send finds no idle connection and opens another one.
  if (request.stream) await new Promise((resolve) => setTimeout(resolve, 0));
  const whole = read.body;
  const ex: Exchange = {
    failure: whole === null ? signal.aborted ? "timeout" : "body" : read.failure ? "stream" : "",
    status: res.status,
    headersAt,
    doneAt,
    bytes: read.bytes,
    outputSha256: whole === null ? null : sha256HexSync(whole),
  };
  if (debugBytes > 0 && !res.ok) ex.body = whole;
  fillSample(sample, t0, ex, request.timeoutMs, debugBytes);
  // As on h1: onBody reads a complete 2xx body once the sample is filled (it may fail it).
  if (request.onBody && whole !== null && res.ok && sample.ok) request.onBody(sample, whole);
  return sample;
}
