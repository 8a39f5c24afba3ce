/**
 * The stub's OpenAI-compatible API: `POST /v1/chat/completions`, `POST
 * /v1/completions` (streamed or not), `GET /v1/models`, and `GET /metrics`
 * (Prometheus text, vLLM's names). Answers follow vLLM's framing; their
 * content and token counts come from {@linkcode replyFor}, their timing from
 * the {@linkcode InferenceModel}. See docs/llm.md.
 *
 * Every answer carries `Server-Timing`: `queue`, `prefill`, and, when the
 * whole answer is known before its headers go (not streamed), `decode` and
 * `infer` (prefill + decode). A streamed answer sends its headers with its
 * first token, so they hold `queue` and `prefill`.
 *
 * @module
 */

import { sha256HexSync } from "../../base/hash.ts";
import { tokenizer } from "../../workload/tokens.ts";
import type { Generation, SequenceTiming } from "../batcher.ts";
import { InferenceModel, type InferenceModelOptions, replyFor } from "../inference_model.ts";
import {
  type AnswerHead,
  type ApiKind,
  completionBody,
  contentChunk,
  DONE_EVENT,
  errorResponse,
  finishChunk,
  metricsText,
  modelList,
  roleChunk,
  usageChunk,
  usageCounts,
} from "./frames.ts";
import { PrefixCache, type PrefixCacheOptions } from "../prefix_cache.ts";
import { type OpenAiCall, readOpenAiCall } from "./call.ts";

/** Options of {@linkcode createOpenAiRoutes}. */
export interface OpenAiRoutesOptions {
  /** The served model's name. */
  model: string;
  inference: InferenceModelOptions;
  /** Range of the natural reply length, tokens. */
  outputTokens: [number, number];
  /** Most prompt plus output tokens of a request (400 above). */
  maxModelLen: number;
  /** The prefix cache (an LRU of prompt blocks), or absent/null for none. */
  prefixCache?: PrefixCacheOptions | null;
}

/** A request body as the server read it, or why it could not. */
export type BodyReader = () => Promise<Uint8Array | "too_large" | "too_slow" | "incomplete">;

/** The routes, for the server to hook in. */
export interface OpenAiRoutes {
  /** True for a path these routes serve. */
  handles(pathname: string): boolean;
  /** Answers a request to a path they serve; `headers` go on every answer. */
  handle(req: Request, readBody: BodyReader, headers: Record<string, string>): Promise<Response>;
  /** The model behind them (its metrics). */
  model: InferenceModel;
}

const POSTS: Readonly<Record<string, ApiKind>> = {
  "/v1/chat/completions": "chat",
  "/v1/completions": "completions",
};

/**
 * Builds the routes. The first request to a completions path loads the
 * tokenizer that counts prompt tokens (about 150 ms, before its queue time
 * starts), so a stub that never serves the API never pays for it.
 */
export function createOpenAiRoutes(options: OpenAiRoutesOptions): OpenAiRoutes {
  const model = new InferenceModel(options.inference);
  const cache = options.prefixCache ? new PrefixCache(options.prefixCache) : null;

  async function handle(
    req: Request,
    readBody: BodyReader,
    headers: Record<string, string>,
  ): Promise<Response> {
    const path = new URL(req.url).pathname;
    const kind = POSTS[path];
    if (kind === undefined) return answerGet(req, path, options, model);
    if (req.method !== "POST") return errorResponse(405, "method not allowed", { allow: "POST" });
    const request = await readRequest(kind, await readBody(), options, cache);
    if (request instanceof Response) return request;
    return await answer(model, options, request, headers);
  }

  return { handles: (p) => p in POSTS || p === "/v1/models" || p === "/metrics", handle, model };
}

/** `GET /metrics` (Prometheus text) or `GET /v1/models`; another method is refused. */
function answerGet(
  req: Request,
  path: string,
  options: OpenAiRoutesOptions,
  model: InferenceModel,
): Response {
  if (req.method !== "GET") return errorResponse(405, "method not allowed", { allow: "GET" });
  if (path === "/metrics") {
    return new Response(metricsText(options.model, model.metrics()), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  }
  return Response.json(modelList(options.model, options.maxModelLen));
}

/** A checked API call with its answer's head and prompt length. */
interface ApiRequest {
  call: OpenAiCall;
  head: AnswerHead;
  promptTokens: number;
  /** Prompt tokens served from the prefix cache; null when it is off. */
  cachedTokens: number | null;
}

/** Reads and checks a call (JSON, fields, model, context length); an error answer if it fails. */
async function readRequest(
  kind: ApiKind,
  body: Awaited<ReturnType<BodyReader>>,
  options: OpenAiRoutesOptions,
  cache: PrefixCache | null,
): Promise<ApiRequest | Response> {
  if (body === "too_large") return errorResponse(413, "request body too large");
  if (body === "too_slow") return errorResponse(408, "request body too slow");
  if (body === "incomplete") return errorResponse(400, "request body incomplete");
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return errorResponse(400, "body is not JSON");
  }
  const call = readOpenAiCall(kind, value);
  if (typeof call === "string") return errorResponse(400, call);
  if (call.model !== undefined && call.model !== options.model) {
    return errorResponse(404, `The model \`${call.model}\` does not exist.`);
  }
  const t = await tokenizer();
  const ids = cache ? t.encode(call.promptText) : null;
  const promptTokens = ids ? ids.length : t.count(call.promptText);
  if (promptTokens + (call.maxTokens ?? 0) > options.maxModelLen) {
    return errorResponse(
      400,
      `This model's maximum context length is ${options.maxModelLen} tokens. However, you ` +
        `requested ${promptTokens + (call.maxTokens ?? 0)} tokens (${promptTokens} in the ` +
        `prompt, ${call.maxTokens ?? 0} in the completion).`,
    );
  }
  const head: AnswerHead = {
    kind,
    id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-${sha256HexSync(body).slice(0, 32)}`,
    model: options.model,
  };
  // Looked up only for a request that will be served: a refused one caches nothing.
  return { call, head, promptTokens, cachedTokens: ids ? cache!.admit(ids) : null };
}

/** Generates the reply through the model: whole, or streamed one chunk a token. */
async function answer(
  model: InferenceModel,
  options: OpenAiRoutesOptions,
  { call, head, promptTokens, cachedTokens }: ApiRequest,
  headers: Record<string, string>,
): Promise<Response> {
  const reply = replyFor({
    input: call.input,
    outputTokens: options.outputTokens,
    ignoreEos: call.ignoreEos,
    ...(call.maxTokens !== undefined ? { maxTokens: call.maxTokens } : {}),
  });
  // A streamed sequence stops when its client goes away (the stream is cancelled); one not
  // streamed is generated to its end, as its client cannot be told from a slow one.
  const g = model.submit(promptTokens, reply.pieces.length, reply.finishReason, cachedTokens ?? 0);
  const usage = usageCounts(promptTokens, reply.pieces.length, cachedTokens ?? undefined);
  if (!call.stream) {
    const timing = await g.done;
    const body = completionBody(head, reply.pieces.join(""), reply.finishReason, usage);
    return Response.json(body, {
      headers: { ...headers, "server-timing": serverTiming(timing, true) },
    });
  }
  const first = await g.first;
  const events = streamEvents(
    g,
    head,
    reply.pieces,
    reply.finishReason,
    call.includeUsage && usage,
  );
  return new Response(events, {
    headers: {
      ...headers,
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "server-timing": serverTiming(first, false),
    },
  });
}

/** `Server-Timing` of a sequence; `whole` adds decode and infer (prefill + decode). */
export function serverTiming(t: SequenceTiming, whole: boolean): string {
  const f = (v: number) => v.toFixed(3);
  const parts = [`queue;dur=${f(t.queueMs)}`, `prefill;dur=${f(t.prefillMs)}`];
  if (whole) parts.push(`decode;dur=${f(t.decodeMs)}`, `infer;dur=${f(t.prefillMs + t.decodeMs)}`);
  return parts.join(", ");
}

/** The SSE body of a streamed answer: one content chunk a token, as the model makes them. */
function streamEvents(
  g: Generation,
  head: AnswerHead,
  pieces: readonly string[],
  finishReason: string,
  usage: ReturnType<typeof usageCounts> | false,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let k = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!(await g.token(k))) return controller.close();
      let text = k === 0 && head.kind === "chat" ? roleChunk(head) : "";
      text += contentChunk(head, pieces[k]!);
      k++;
      if (k === pieces.length) {
        text += finishChunk(head, finishReason);
        if (usage) text += usageChunk(head, usage);
        text += DONE_EVENT;
      }
      controller.enqueue(encoder.encode(text));
      if (k === pieces.length) controller.close();
    },
    cancel() {
      g.cancel();
    },
  }, { highWaterMark: 0 });
}
