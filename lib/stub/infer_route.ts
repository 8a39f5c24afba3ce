/**
 * The stub's `POST /v1/infer`: the body read and checked, the output and the
 * service time (pure functions of the body), and the answer, whole or
 * streamed one chunk a token.
 *
 * @module
 */

import { sha256Hex } from "../base/hash.ts";
import { streamBody, streamEvents, type StubStreamFormat } from "./streamed_answer.ts";
import { readLimited, text } from "./request_body.ts";
import type { StubOptions } from "./options.ts";

/** Largest accepted request body by default, in bytes. */
export const DEFAULT_MAX_BODY = 1 << 20;
/** Gap between token chunks by default, ms. */
export const DEFAULT_TOKEN_MS: [number, number] = [10, 30];
/** Longest time a client may take to send its body by default, ms. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** What the handler keeps across requests (the counter of answered requests included). */
export interface InferState {
  options: StubOptions;
  sleep: (ms: number) => Promise<void>;
  maxBody: number;
  bodyTimeoutMs: number;
  conns: { idFor(port: number, headers: Headers): string };
  /** Requests answered with 200 on `/v1/infer` (and the OpenAI routes). */
  served: number;
}

/** An answer, and for a streamed one, when its last chunk has been sent. */
export interface InferAnswer {
  res: Response;
  ended?: Promise<void>;
}

/** The service time, in ms, for a body digest: a fixed point of `[min, max]`. */
export function serviceTimeMs(
  digestHex: string,
  [min, max]: [number, number],
): number {
  const u = parseInt(digestHex.slice(0, 8), 16) / 0x1_0000_0000;
  return Math.round((min + (max - min) * u) * 1000) / 1000;
}

/** The output for a body digest: deterministic text of `tokens` pseudo-words. */
export function outputFor(digestHex: string, tokens: number): string {
  const words: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const j = (i * 2) % 56;
    words.push(digestHex.slice(j, j + 8));
  }
  return words.join(" ");
}

/** Answers one `/v1/infer` request that waited `queueMs` for its turn. */
export async function serveInfer(
  state: InferState,
  req: Request,
  info: Deno.ServeHandlerInfo,
  queueMs: number,
): Promise<InferAnswer> {
  const res = await answer(state, req, info, queueMs, performance.now());
  return res instanceof Response ? { res } : res;
}

async function answer(
  state: InferState,
  req: Request,
  info: Deno.ServeHandlerInfo,
  queueMs: number,
  startedAt: number,
): Promise<Response | { res: Response; ended: Promise<void> }> {
  const { options, sleep } = state;
  const body = await readLimited(req, state.maxBody, state.bodyTimeoutMs);
  if (body === "too_large") return text(413, "request body too large");
  if (body === "too_slow") return text(408, "request body too slow");
  if (body === "incomplete") return text(400, "request body incomplete");
  const parsed = parseInferBody(body);
  if (parsed === null) {
    return text(400, 'body must be JSON {"inputs": string, "parameters"?: object}');
  }
  const digest = await sha256Hex(body);
  const service = serviceTimeMs(digest, options.serviceMs);
  const format = parsed.stream === undefined ? options.stream : parsed.stream ?? undefined;
  // Streamed answers send their headers at once and sleep inside the stream.
  if (format === undefined) await sleep(service);
  state.served += 1;
  const connId = state.conns.idFor((info.remoteAddr as Deno.NetAddr).port, req.headers);
  let output = outputFor(digest, parsed.tokens);
  if (options.alterNth === state.served) output = `altered ${output}`;
  const headers = {
    "server-timing": `queue;dur=${queueMs.toFixed(3)}, infer;dur=${service.toFixed(3)}`,
    "x-loadgate-conn": connId,
  };
  if (format === undefined) return Response.json({ output, tokens: parsed.tokens }, { headers });
  // Streamed: the headers go now; the service time is the time to the first token.
  const events = streamEvents({
    words: output.split(" "),
    format,
    id: `stub-${digest.slice(0, 16)}`,
    promptTokens: parsed.promptTokens,
    firstMs: service,
    gapMs: serviceTimeMs(digest.slice(8), options.tokenMs ?? DEFAULT_TOKEN_MS),
  });
  const ended = Promise.withResolvers<void>();
  // Chunk times count from the start of service, so reading the body is part of the TTFT.
  const stream = streamBody(events, sleep, ended.resolve, startedAt);
  const type = format === "sse" ? "text/event-stream" : "application/x-ndjson";
  return {
    res: new Response(stream, { headers: { ...headers, "content-type": type } }),
    ended: ended.promise,
  };
}

interface InferRequest {
  tokens: number;
  /** Words of the input, reported as prompt tokens in a stream's usage event. */
  promptTokens: number;
  /** The body's `stream` field: a format, null for `false`, undefined when absent. */
  stream: StubStreamFormat | null | undefined;
}

function parseInferBody(body: Uint8Array): InferRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return null;
  }
  const { inputs, parameters, stream } = value as {
    inputs?: unknown;
    parameters?: unknown;
    stream?: unknown;
  };
  if (typeof inputs !== "string") return null;
  let format: StubStreamFormat | null | undefined;
  if (stream === true || stream === "sse") format = "sse";
  else if (stream === "jsonl") format = "jsonl";
  else if (stream === false || stream === null) format = null;
  else if (stream !== undefined) return null;
  if (
    parameters !== undefined &&
    (typeof parameters !== "object" || parameters === null)
  ) return null;
  const max = (parameters as { max_new_tokens?: unknown } | undefined)
    ?.max_new_tokens;
  const tokens = typeof max === "number" && Number.isInteger(max) && max > 0
    ? Math.min(max, 4096)
    : 16;
  const promptTokens = inputs.split(/\s+/).filter((w) => w !== "").length;
  return { tokens, promptTokens, stream: format };
}
