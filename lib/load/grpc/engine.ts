/**
 * The gRPC engine (`--api kserve-v2-grpc`): each request is one `ModelInfer`
 * call, or with `--stream` one `ModelStreamInfer` stream (the request
 * written, the stream half-closed, every response read), over one HTTP/2
 * channel that every worker shares (`pooled`; under `fresh`, a channel of its
 * own per request). The workload's bodies are the encoded
 * `ModelInferRequest`s, sent as they are (no re-encoding on the hot path); an
 * answer is hashed as received. Measured as the other engines measure:
 * `headers_ms` at the response headers (grpc-js's `metadata` event), the
 * latency at the call's end, through the shared core (`../measure.ts`);
 * a stream's messages are its chunks (TTFT at the first, ITL between them),
 * and a message carrying an `error_message` fails it as a `stream` error.
 * Status codes map to the log's kinds in `status.ts`.
 *
 * @module
 */

import { sha256HexSync } from "../../base/hash.ts";
import { concatBytes } from "../../base/bytes.ts";
import type { Sample } from "../../stats/sample.ts";
import type { ConnectionPolicy } from "../connection.ts";
import type { Engine } from "../engine.ts";
import {
  blankSample,
  type Exchange,
  fillSample,
  readServerHeaders,
  type RequestSpec,
} from "../measure.ts";
import { type GrpcClient, openGrpcClient, rawBytes } from "./client.ts";
import { grpcDetail, grpcOutcome } from "./status.ts";

/** Options of {@linkcode openGrpcEngine}. */
export interface GrpcEngineOptions {
  /** What every request sends: `url` is `grpc://HOST:PORT`; `stream` picks ModelStreamInfer. */
  request: RequestSpec;
  policy: ConnectionPolicy;
  /** Monotonic clock in ms. */
  now: () => number;
}

/** How a call ended, in the clock's readings. */
interface CallEnd {
  code: number;
  details: string;
  headersAt: number | null;
  doneAt: number;
  /** The response messages, and when each arrived. */
  messages: Uint8Array[];
  at: number[];
}

/** Opens the engine; the channel opens with the first request (or `preconnect`). */
export function openGrpcEngine(options: GrpcEngineOptions): Engine {
  const { request, now } = options;
  let shared: Promise<GrpcClient> | null = null;
  const open = () => openGrpcClient(request.url, request.maxResponseBytes);
  const channel = () => (shared ??= open());
  const send = async (id: number, phaseStart: number): Promise<Sample> => {
    const { body, sample } = blankSample(request, id);
    const fresh = options.policy === "fresh";
    const t0 = now();
    sample.sentMs = t0 - phaseStart;
    let c: GrpcClient | null = null;
    try {
      c = fresh ? await open() : await channel();
      const end = await call(c, request, body, sample, now);
      return finish(c, request, sample, t0, end);
    } catch (err) {
      // Nothing reached the server (the library could not be loaded, a channel not made).
      fillSample(sample, t0, noAnswer(now()), request.timeoutMs);
      sample.errorDetail = String(err instanceof Error ? err.message : err).slice(0, 200);
      return sample;
    } finally {
      if (fresh) c?.close();
    }
  };
  return {
    send,
    preconnect: async (_n, timeoutMs) => {
      const c = await channel();
      const ready = Promise.withResolvers<number>();
      c.client.waitForReady(Date.now() + timeoutMs, (err) => ready.resolve(err ? 0 : 1));
      return await ready.promise;
    },
    close: () => {
      shared?.then((c) => c.close(), () => {});
    },
  };
}

function noAnswer(doneAt: number): Exchange {
  return {
    failure: "connect",
    status: null,
    headersAt: null,
    doneAt,
    bytes: 0,
    outputSha256: null,
  };
}

/** Sends one request as a unary call or a stream; resolves when its status arrives. */
function call(
  c: GrpcClient,
  request: RequestSpec,
  body: Uint8Array,
  sample: Sample,
  now: () => number,
): Promise<CallEnd> {
  const { grpc, service } = c.codec;
  const end: CallEnd = { code: -1, details: "", headersAt: null, doneAt: 0, messages: [], at: [] };
  const { promise, resolve } = Promise.withResolvers<CallEnd>();
  const options = { deadline: Date.now() + request.timeoutMs };
  const onHeaders = (md: InstanceType<typeof grpc.Metadata>) => {
    end.headersAt ??= now();
    readServerHeaders(sample, {
      get: (name) => {
        const v = md.get(name)[0];
        return v === undefined ? null : String(v);
      },
    });
  };
  const onStatus = (s: { code: number; details: string }) => {
    end.doneAt = now();
    end.code = s.code;
    end.details = s.details;
    resolve(end);
  };
  if (!request.stream) {
    const unary = c.client.makeUnaryRequest(
      service.ModelInfer!.path,
      c.asBuffer,
      rawBytes,
      body,
      new grpc.Metadata(),
      options,
      (_err, value) => {
        if (value) {
          end.messages.push(value);
          end.at.push(now());
        }
      },
    );
    unary.on("metadata", onHeaders);
    unary.on("status", onStatus);
    return promise;
  }
  const stream = c.client.makeBidiStreamRequest(
    service.ModelStreamInfer!.path,
    c.asBuffer,
    rawBytes,
    new grpc.Metadata(),
    options,
  );
  stream.on("metadata", onHeaders);
  stream.on("data", (m: Uint8Array) => {
    end.messages.push(m);
    end.at.push(now());
  });
  stream.on("error", () => {}); // the status event carries it
  stream.on("status", onStatus);
  stream.write(body);
  stream.end();
  return promise;
}

/** Fills the sample from the call's end: status, times, digest, the stream's chunks, the check. */
function finish(
  c: GrpcClient,
  request: RequestSpec,
  sample: Sample,
  t0: number,
  end: CallEnd,
): Sample {
  const outcome = end.code === 0 ? { status: 200, failure: "" as const } : grpcOutcome(end.code);
  const whole = end.messages.length === 1
    ? end.messages[0]!
    : concatBytes(end.messages, end.messages.reduce((a, m) => a + m.byteLength, 0));
  let answer: Uint8Array | null = end.code === 0 ? whole : null;
  let failure = outcome.failure;
  let detail = end.code === 0 ? "" : grpcDetail(end.code, end.details);
  if (request.stream && end.code === 0) {
    const streamed = readStream(c, sample, t0, end);
    answer = streamed.answer;
    if (streamed.error !== null) {
      failure = "stream";
      detail = streamed.error;
    }
  } else if (end.code === 0 && end.messages.length !== 1) failure = "body";
  fillSample(sample, t0, {
    failure,
    status: outcome.status,
    headersAt: end.headersAt,
    doneAt: end.doneAt,
    bytes: whole.byteLength,
    outputSha256: failure === "body" ? null : end.code === 0 ? sha256HexSync(whole) : "",
  }, request.timeoutMs);
  if (detail !== "" && !sample.ok) sample.errorDetail = detail;
  if (sample.ok && answer !== null) request.onBody?.(sample, answer);
  return sample;
}

/**
 * A stream's messages as chunks (TTFT, ITL), the last response's bytes for the output check,
 * and the first error a message carried.
 */
function readStream(
  c: GrpcClient,
  sample: Sample,
  t0: number,
  end: CallEnd,
): { answer: Uint8Array | null; error: string | null } {
  const { ModelStreamInfer, ModelInfer } = c.codec.service;
  const itlMs = end.at.slice(1).map((t, i) => t - end.at[i]!);
  sample.stream = {
    ttftMs: end.at.length > 0 ? end.at[0]! - t0 : null,
    chunks: end.messages.length,
    tokens: end.messages.length,
    itlMs,
  };
  let last: object | null = null;
  for (const m of end.messages) {
    let decoded: Record<string, unknown>;
    try {
      decoded = ModelStreamInfer!.responseDeserialize(m);
    } catch {
      return { answer: null, error: "a stream message is not a ModelStreamInferResponse" };
    }
    if (decoded.error_message) return { answer: null, error: String(decoded.error_message) };
    last = (decoded.infer_response as object | null) ?? last;
  }
  if (last === null) return { answer: null, error: "the stream held no infer_response" };
  return { answer: ModelInfer!.responseSerialize(last), error: null };
}
