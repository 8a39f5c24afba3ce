/**
 * The h1 engine (`--engine h1`, the default of `run`): {@linkcode openH1Engine}
 * gives the engine's `send`, which measures a request straight into a
 * {@linkcode Sample} through the shared core (`../measure.ts`) over the
 * connection pool in `pool.ts`. Streamed bodies reach a `data` handler read
 * by read, each with the clock reading taken at that read
 * (`stream_handlers.ts`).
 *
 * @module
 */

import type { ConnectionPolicy } from "../connection.ts";
import { streamHandlers } from "./stream_handlers.ts";
import { DigestMemo } from "../../base/hash.ts";
import { requestHeadPrefix } from "./parser.ts";
import type { Sample } from "../../stats/sample.ts";
import type { Engine } from "../engine.ts";
import {
  blankSample,
  bodyFor,
  fillSample,
  readServerHeaders,
  type RequestSpec,
} from "../measure.ts";

import type { ExchangeHandlers, ExchangeRequest } from "./exchange.ts";
import { H1Client } from "./pool.ts";

const encoder = new TextEncoder();

/** Options of {@linkcode openH1Engine}. */
export interface H1EngineOptions {
  /** What every request sends (`http:` or `https:`). */
  request: RequestSpec;
  policy: ConnectionPolicy;
  /** Most idle connections kept for reuse. */
  concurrency: number;
  /** `https:`: PEM certificates to trust beside the root store. */
  caCerts?: string[];
  /** `https:`: do not verify the server's certificate. */
  insecure?: boolean;
  /** Monotonic clock in ms. */
  now: () => number;
}

/** The h1 engine: {@linkcode Engine.send} over an {@linkcode H1Client}. */
export interface H1Engine extends Engine {
  /** The connection pool. */
  client: H1Client;
}

/** The encoded head every request of `request` starts with (up to its content-length line). */
function headPrefixOf(request: RequestSpec): Uint8Array {
  const url = new URL(request.url);
  return encoder.encode(requestHeadPrefix({
    method: request.method,
    target: url.pathname + url.search,
    host: url.host,
    headers: Object.entries(request.headers),
  }));
}

/**
 * The hot path's handlers, made once an engine: the request's sample comes as the exchange's
 * context; a body equal to the previous one gets its digest without hashing ({@linkcode DigestMemo}).
 */
function hotHandlers(memo: DigestMemo): ExchangeHandlers<string, Sample> {
  return {
    head: (p, sample) => readServerHeaders(sample, p),
    body: (bytes) => memo.of(bytes),
  };
}

/** Opens the h1 engine for `options.request`'s origin. */
export function openH1Engine(options: H1EngineOptions): H1Engine {
  const { request, now } = options;
  const client = new H1Client({
    url: request.url,
    policy: options.policy,
    concurrency: options.concurrency,
    ...(options.caCerts ? { caCerts: options.caCerts } : {}),
    ...(options.insecure ? { insecure: true } : {}),
  });
  const prefix = headPrefixOf(request);
  const memo = new DigestMemo();
  const hot = hotHandlers(memo);
  const send = async (id: number, phaseStart: number): Promise<Sample> => {
    const { body, sample } = blankSample(request, id);
    const t0 = now();
    sample.sentMs = t0 - phaseStart;
    const exchange: ExchangeRequest = {
      prefix,
      body: bodyFor(request.method, body),
      noBody: request.method === "HEAD",
      timeoutMs: request.timeoutMs,
      maxBodyBytes: request.maxResponseBytes,
      sentAt: t0,
    };
    if (!request.stream && !request.debugBytes && !request.onBody) {
      // The hot path: nothing of the body is kept, only its digest.
      const r = await client.exchange(exchange, hot, now, sample);
      return fillSample(sample, t0, { ...r, outputSha256: r.value }, request.timeoutMs);
    }
    // onBody (the LLM APIs' token counts) reads a complete 2xx body after the sample is filled.
    let whole: Uint8Array | null = null;
    const keep = (digest: (b: Uint8Array) => string) => (b: Uint8Array): string => {
      if (request.onBody) whole = b.slice();
      return digest(b);
    };
    if (request.stream) {
      const streamed = streamHandlers(sample, t0);
      const handlers = {
        ...streamed.handlers,
        body: keep((b) => streamed.handlers.body(b, undefined)),
      };
      const r = await client.exchange(exchange, handlers, now);
      const broken = streamed.finish(r.doneAt, r.value !== null);
      // An error inside the stream, or its end marker missing, fails the request as on fetch.
      const failure = broken !== null && r.failure === "" ? "stream" : r.failure;
      fillSample(sample, t0, { ...r, failure, outputSha256: r.value }, request.timeoutMs);
      if (whole !== null && sample.ok) request.onBody!(sample, whole);
      return sample;
    }
    const debugBytes = request.debugBytes ?? 0;
    // --debug: the first bytes of a failed answer are kept for the log's error_detail column.
    let failedStatus = false;
    let kept: Uint8Array | null = null;
    const r = await client.exchange(
      exchange,
      {
        head: (p) => {
          failedStatus = p.status < 200 || p.status >= 300;
          readServerHeaders(sample, p);
        },
        body: keep((bytes) => {
          if (debugBytes > 0 && failedStatus) kept = bytes.slice(0, debugBytes);
          return memo.of(bytes);
        }),
      },
      now,
    );
    const ex = { ...r, outputSha256: r.value, ...(kept === null ? {} : { body: kept }) };
    fillSample(sample, t0, ex, request.timeoutMs, debugBytes);
    if (whole !== null && sample.ok) request.onBody!(sample, whole);
    return sample;
  };
  return {
    send,
    preconnect: (n, timeoutMs) => client.preconnect(n, timeoutMs),
    close: () => client.close(),
    client,
  };
}
