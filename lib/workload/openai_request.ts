/**
 * Request bodies for OpenAI-compatible servers (vLLM, TGI, llama.cpp's
 * server, Ollama, SGLang, gateways), the path each API is served at, and the
 * model discovery of `GET /v1/models`.
 *
 * @example
 * ```ts
 * const params = { api: "openai-chat", model: "m", maxTokens: 64, stream: true } as const;
 * requestBody({ text: "hi" }, params);
 * // {"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":64,
 * //  "stream":true,"stream_options":{"include_usage":true}}
 * endpointUrl("http://127.0.0.1:8000", "openai-chat"); // ".../v1/chat/completions"
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import type { Prompt } from "./prompt.ts";

/** How requests are shaped: OpenAI chat, OpenAI completions, or the bodies as given. */
export type Api = "openai-chat" | "openai-completions" | "raw";

/** The APIs, for validation and help text. */
export const APIS: readonly Api[] = ["openai-chat", "openai-completions", "raw"];

/** An OpenAI-compatible API (every one but `raw`). */
export type OpenAiApi = Exclude<Api, "raw">;

/** The path each OpenAI-compatible API is served at. */
export const API_PATHS: Readonly<Record<OpenAiApi, string>> = {
  "openai-chat": "/v1/chat/completions",
  "openai-completions": "/v1/completions",
};

/** Parses an `--api` value. Throws {@linkcode UsageError} on an unknown one. */
export function parseApi(value: string): Api {
  if ((APIS as readonly string[]).includes(value)) return value as Api;
  throw new UsageError(`Cannot parse --api: "${value}" is not one of ${APIS.join(", ")}`);
}

/** What every request of a run carries besides its prompt. */
export interface RequestParams {
  api: OpenAiApi;
  model: string;
  /** Output tokens asked (`max_tokens`) when the prompt does not ask its own. */
  maxTokens?: number;
  temperature?: number;
  /** `ignore_eos: true`, for servers that take it (vLLM): generate exactly max_tokens. */
  ignoreEos?: boolean;
  /** `stream: true` with `stream_options: {include_usage: true}`. */
  stream?: boolean;
}

/**
 * The JSON body of one request. Chat sends `messages` (a text prompt as one
 * user message); completions send `prompt` (messages as their text). The
 * prompt's own output length wins over `params.maxTokens`.
 */
export function requestBody(prompt: Prompt, params: RequestParams): Record<string, unknown> {
  const body: Record<string, unknown> = { model: params.model };
  if (params.api === "openai-chat") {
    body.messages = prompt.messages ?? [{ role: "user", content: prompt.text }];
  } else {
    body.prompt = prompt.text;
  }
  const maxTokens = prompt.maxTokens ?? params.maxTokens;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.ignoreEos) body.ignore_eos = true;
  if (params.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

/** {@linkcode requestBody}, encoded as UTF-8 JSON. */
export function encodeRequestBody(prompt: Prompt, params: RequestParams): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(requestBody(prompt, params)));
}

function parseUrl(url: string): URL {
  try {
    const u = new URL(url);
    if (u.protocol === "http:" || u.protocol === "https:") return u;
  } catch { /* reported below */ }
  throw new UsageError(`Cannot parse --url: "${url}" is not an http(s) URL`);
}

/** The path before `/v1` of a URL's path ("" for `/`, `/v1`, or `/v1/...`). */
function prefixOf(pathname: string): string {
  const at = pathname.search(/\/v1(\/|$)/);
  if (at >= 0) return pathname.slice(0, at);
  return pathname.replace(/\/+$/, "");
}

/**
 * The URL requests of `api` go to. A base URL (`http://host:8000`,
 * `http://host:8000/v1`, or a gateway's `http://gw/prefix`) gets the API's
 * path; a URL already naming a path under `/v1/` is kept as given. `raw`
 * keeps every URL.
 */
export function endpointUrl(url: string, api: Api): string {
  const u = parseUrl(url);
  if (api === "raw") return url;
  const path = u.pathname;
  if (/\/v1\/./.test(path)) return url;
  u.pathname = prefixOf(path) + API_PATHS[api];
  return u.href;
}

/** The `GET /v1/models` URL of the server at `url` (a base or an endpoint URL). */
export function modelsUrl(url: string): string {
  const u = parseUrl(url);
  u.pathname = `${prefixOf(u.pathname)}/v1/models`;
  u.search = "";
  return u.href;
}

/** A fetch, injected (tests pass a fake; the app passes one bound to its timeout). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The model a server serves: the first `id` of its `GET /v1/models` list
 * (`{"object": "list", "data": [{"id": ...}]}`). Throws
 * {@linkcode UsageError} when the server cannot be asked or names none: the
 * user must then say `--model`.
 */
export async function discoverModel(url: string, fetchFn: FetchLike): Promise<string> {
  const target = modelsUrl(url);
  const fail = (why: string): never => {
    throw new UsageError(`Cannot discover the model from ${target}: ${why}; give --model`);
  };
  let res: Response;
  try {
    res = await fetchFn(target, { headers: { accept: "application/json" } });
  } catch (err) {
    return fail(err instanceof Error ? err.message.split("\n")[0]! : String(err));
  }
  if (!res.ok) {
    await res.body?.cancel();
    return fail(`HTTP ${res.status}`);
  }
  let value: unknown;
  try {
    value = await res.json();
  } catch {
    return fail("the answer is not JSON");
  }
  const data = (value as { data?: unknown } | null)?.data;
  const first = Array.isArray(data) ? (data[0] as { id?: unknown } | undefined) : undefined;
  if (typeof first?.id !== "string" || first.id === "") return fail("it lists no model");
  return first.id;
}
