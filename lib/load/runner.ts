/**
 * The closed-loop runner: C workers share N requests; each worker sends its
 * next request as soon as its previous one completes. Every request becomes
 * one {@linkcode Sample}, handed to `onSample` the moment it completes.
 *
 * A failed request (refused, timed out, 4xx/5xx, cut body) is a sample with
 * `ok: false` and an error kind, never an exception.
 *
 * @module
 */

import { sha256Hex } from "../base/hash.ts";
import type { ErrorKind, Sample } from "../stats/sample.ts";
import { parseServerTiming } from "./server_timing.ts";
import { readStreamedBody } from "./stream.ts";
import type { Workload } from "../workload/workload.ts";

/** What to send, and how hard. */
export interface RunOptions {
  /** Phase name written in each sample. */
  phase: string;
  /** Target URL. */
  url: string;
  /** HTTP method. */
  method: string;
  /** Request headers (identical for every request). */
  headers: Record<string, string>;
  /** Request bodies; request i sends body i modulo their count. */
  workload: Workload;
  /** Requests in all. */
  requests: number;
  /** Concurrent workers. */
  concurrency: number;
  /** Per-request timeout, ms, covering headers and body. */
  timeoutMs: number;
  /** Largest response body read, in bytes; more is a `body` error. */
  maxResponseBytes?: number;
  /** When aborted, no new request starts; those in flight finish. */
  stop?: AbortSignal;
  /** Parse streamed responses (SSE or JSON lines) for TTFT and ITL; off by default. */
  stream?: boolean;
  /** Closed loop: start no request after this many ms (the request count still bounds it). */
  durationMs?: number;
}

/** What the runner needs from the world, injected so tests control it. */
export interface RunDeps {
  /** Sends a request (bound to a connection policy). */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Monotonic clock in ms. */
  now: () => number;
  /** Receives each sample as it completes. */
  onSample: (sample: Sample) => void;
  /** Sends and measures one request in place of {@linkcode sendOne} (a lean engine's own path). */
  sendOne?: typeof sendOne;
}

/** How the phase went as a whole. */
export interface RunResult {
  /** Requests completed (samples emitted). */
  completed: number;
  /** Wall time of the phase, ms. */
  durationMs: number;
  /** True when `stop` ended the phase early. */
  interrupted: boolean;
}

const DEFAULT_MAX_RESPONSE = 64 << 20;

/** Runs one phase in a closed loop. */
export async function runClosedLoop(options: RunOptions, deps: RunDeps): Promise<RunResult> {
  const start = deps.now();
  const until = options.durationMs === undefined ? Infinity : start + options.durationMs;
  let next = 0;
  let completed = 0;
  const send = deps.sendOne ?? sendOne;
  const worker = async () => {
    while (
      next < options.requests && !options.stop?.aborted &&
      (until === Infinity || deps.now() < until)
    ) {
      const id = next++;
      deps.onSample(await send(options, deps, id, start));
      completed++;
    }
  };
  const workers = Math.min(options.concurrency, options.requests);
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    completed,
    durationMs: deps.now() - start,
    interrupted: completed < options.requests && options.stop?.aborted === true,
  };
}

/** Request `id`'s body, and its sample with nothing measured yet. */
export function blankSample(
  options: Pick<RunOptions, "phase" | "workload">,
  id: number,
): { body: Uint8Array<ArrayBuffer>; sample: Sample } {
  const n = options.workload.bodies.length;
  return {
    body: options.workload.bodies[id % n]!,
    sample: {
      phase: options.phase,
      requestId: id,
      inputSha256: options.workload.inputSha256[id % n]!,
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

/** Sends request `id` and measures it; never throws. */
export async function sendOne(
  options: RunOptions,
  deps: Pick<RunDeps, "fetch" | "now">,
  id: number,
  phaseStart: number,
): Promise<Sample> {
  const { body, sample } = blankSample(options, id);
  // A timer cleared when the request ends: AbortSignal.timeout() would keep each request's
  // signal alive for the whole timeout (at 16k req/s and 30 s, 480k of them: gigabytes).
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new DOMException("timed out", "TimeoutError")),
    options.timeoutMs,
  );
  const timeout = abort.signal;
  const t0 = deps.now();
  sample.sentMs = t0 - phaseStart;
  let res: Response;
  try {
    res = await deps.fetch(options.url, {
      method: options.method,
      headers: options.headers,
      body: options.method === "GET" || options.method === "HEAD" ? null : body,
      signal: timeout,
    });
  } catch {
    clearTimeout(timer);
    sample.latencyMs = deps.now() - t0;
    sample.error = timeout.aborted ? "timeout" : "connect";
    return sample;
  }
  sample.headersMs = deps.now() - t0;
  sample.status = res.status;
  const timing = parseServerTiming(res.headers.get("server-timing"));
  sample.serverQueueMs = timing.get("queue") ?? null;
  sample.serverInferMs = timing.get("infer") ?? null;
  sample.connId = res.headers.get("x-loadgate-conn") ?? "";
  const statusError: ErrorKind = res.status >= 500
    ? "http_5xx"
    : res.status >= 300
    ? "http_4xx"
    : "";
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  let read: { body: Uint8Array | null; bytes: number };
  if (options.stream && res.ok) {
    const streamed = await readStreamedBody(res, limit, deps.now, t0);
    sample.stream = streamed.stream;
    read = streamed;
  } else read = await readBody(res, limit);
  clearTimeout(timer);
  sample.latencyMs = deps.now() - t0;
  sample.bytesIn = read.bytes;
  if (read.body === null) {
    sample.error = statusError || (timeout.aborted ? "timeout" : "body");
    return sample;
  }
  sample.outputSha256 = await sha256Hex(read.body);
  sample.error = statusError;
  sample.ok = statusError === "";
  return sample;
}

async function readBody(
  res: Response,
  limit: number,
): Promise<{ body: Uint8Array | null; bytes: number }> {
  if (!res.body) return { body: new Uint8Array(), bytes: 0 };
  const reader = res.body.getReader();
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
  if (chunks.length === 1) return { body: chunks[0]!, bytes };
  const body = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { body, bytes };
}
