/**
 * The bodies the stub's OpenAI API answers, shaped like vLLM's
 * (`vllm/entrypoints/openai/protocol.py`): chat completions, completions,
 * their stream chunks, the usage chunk, errors, the model list, and the
 * Prometheus text of `/metrics` with vLLM's metric names.
 *
 * Every field is a pure function of the request, `created` included (a fixed
 * time), so equal requests get byte-equal answers.
 *
 * @module
 */

import type { ModelMetrics } from "../inference_model.ts";

/** The `created` time of every answer: fixed, so bodies are pure functions of requests. */
export const STUB_CREATED = 1_700_000_000;

/** Which API a request came on. */
export type ApiKind = "chat" | "completions";

/** What every chunk of one answer shares. */
export interface AnswerHead {
  kind: ApiKind;
  /** `chatcmpl-...` or `cmpl-...`. */
  id: string;
  model: string;
}

/** Token counts of an answer. */
export interface UsageCounts {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** With the prefix cache on: the prompt tokens it served (vLLM's and OpenAI's field). */
  prompt_tokens_details?: { cached_tokens: number };
}

/** Usage of `prompt` and `completion` tokens, and of `cached` prompt tokens when given. */
export function usageCounts(prompt: number, completion: number, cached?: number): UsageCounts {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
  };
}

const objectOf = (kind: ApiKind, chunk: boolean) =>
  kind === "chat" ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";

/** A whole (not streamed) answer. */
export function completionBody(
  head: AnswerHead,
  text: string,
  finishReason: string,
  usage: UsageCounts,
): Record<string, unknown> {
  const choice = head.kind === "chat"
    ? {
      index: 0,
      message: { role: "assistant", content: text, tool_calls: [] },
      logprobs: null,
      finish_reason: finishReason,
      stop_reason: null,
    }
    : { index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null };
  return {
    id: head.id,
    object: objectOf(head.kind, false),
    created: STUB_CREATED,
    model: head.model,
    choices: [choice],
    usage,
  };
}

function chunk(head: AnswerHead, choices: unknown[], usage?: UsageCounts): string {
  const body: Record<string, unknown> = {
    id: head.id,
    object: objectOf(head.kind, true),
    created: STUB_CREATED,
    model: head.model,
    choices,
  };
  if (usage) body.usage = usage;
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** The first chunk of a chat stream: the role only, empty content (vLLM's). */
export function roleChunk(head: AnswerHead): string {
  return chunk(head, [{
    index: 0,
    delta: { role: "assistant", content: "" },
    logprobs: null,
    finish_reason: null,
  }]);
}

/** A chunk carrying one token's text. */
export function contentChunk(head: AnswerHead, text: string): string {
  return chunk(head, [
    head.kind === "chat"
      ? { index: 0, delta: { content: text }, logprobs: null, finish_reason: null }
      : { index: 0, text, logprobs: null, finish_reason: null, stop_reason: null },
  ]);
}

/** The chunk that ends the choice: no text, its `finish_reason`. */
export function finishChunk(head: AnswerHead, finishReason: string): string {
  return chunk(head, [
    head.kind === "chat"
      ? { index: 0, delta: {}, logprobs: null, finish_reason: finishReason, stop_reason: null }
      : { index: 0, text: "", logprobs: null, finish_reason: finishReason, stop_reason: null },
  ]);
}

/** The usage chunk (`stream_options.include_usage`): no choices. */
export function usageChunk(head: AnswerHead, usage: UsageCounts): string {
  return chunk(head, [], usage);
}

/** The stream's last event. */
export const DONE_EVENT = "data: [DONE]\n\n";

/** An error answer, OpenAI's shape (what the `openai` client reads). */
export function errorResponse(status: number, message: string, headers?: HeadersInit): Response {
  const type = status === 404 ? "NotFoundError" : "BadRequestError";
  return Response.json({ error: { message, type, param: null, code: status } }, {
    status,
    ...(headers ? { headers } : {}),
  });
}

/** The `GET /v1/models` list. */
export function modelList(model: string, maxModelLen: number): Record<string, unknown> {
  return {
    object: "list",
    data: [{
      id: model,
      object: "model",
      created: STUB_CREATED,
      owned_by: "loadgate",
      root: model,
      parent: null,
      max_model_len: maxModelLen,
    }],
  };
}

/** The HELP line of each metric family the stub serves (vLLM's). */
const METRIC_HELP: Readonly<Record<string, string>> = {
  "vllm:num_requests_running": "Number of requests in model execution batches.",
  "vllm:num_requests_waiting": "Number of requests waiting to be processed.",
  "vllm:kv_cache_usage_perc": "KV-cache usage. 1 means 100 percent usage.",
  "vllm:prompt_tokens": "Number of prefill tokens processed.",
  "vllm:generation_tokens": "Number of generation tokens processed.",
  "vllm:request_success": "Count of successfully processed requests.",
  "vllm:num_preemptions": "Cumulative number of preemption from the engine.",
};

/** `/metrics`: Prometheus text with vLLM's metric names, labelled with the model. */
export function metricsText(model: string, m: ModelMetrics): string {
  const label = `model_name=${JSON.stringify(model)}`;
  const family = (name: string, type: "gauge" | "counter", lines: string[]) =>
    `# HELP ${name} ${METRIC_HELP[name]}\n# TYPE ${name} ${type}\n${lines.join("\n")}\n`;
  // A counter's sample is named `<family>_total`.
  const gauge = (name: string, v: number) => family(name, "gauge", [`${name}{${label}} ${v}`]);
  const counter = (name: string, v: number) =>
    family(name, "counter", [`${name}_total{${label}} ${v}`]);
  return [
    gauge("vllm:num_requests_running", m.running),
    gauge("vllm:num_requests_waiting", m.waiting),
    gauge("vllm:kv_cache_usage_perc", m.kvCacheUsage),
    counter("vllm:prompt_tokens", m.promptTokens),
    counter("vllm:generation_tokens", m.generationTokens),
    family("vllm:request_success", "counter", [
      `vllm:request_success_total{finished_reason="length",${label}} ${m.finishedBy.length}`,
      `vllm:request_success_total{finished_reason="stop",${label}} ${m.finishedBy.stop}`,
    ]),
    counter("vllm:num_preemptions", 0),
  ].join("");
}
