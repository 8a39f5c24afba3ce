/**
 * Reading the body of an OpenAI chat or completions request, as the stub
 * takes it: the fields it reads, checked, or the message of a 400.
 *
 * @module
 */

import type { ApiKind } from "./frames.ts";

/** What the stub reads of a request. */
export interface OpenAiCall {
  /** `model`, when given. */
  model?: string;
  /** Canonical text of the input (model-free): the reply's seed. */
  input: string;
  /** The prompt's text (messages' contents joined by newlines), for counting its tokens. */
  promptText: string;
  maxTokens?: number;
  ignoreEos: boolean;
  stream: boolean;
  includeUsage: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The text of a message's content: a string, or text parts `[{type: "text", text}]`. */
function contentText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  let text = "";
  for (const part of content) {
    if (!isObject(part) || part.type !== "text" || typeof part.text !== "string") return null;
    text += part.text;
  }
  return text;
}

type PromptOf = { prompt: string } | { messages: string[] } | { error: string };

function promptOf(kind: ApiKind, body: Record<string, unknown>): PromptOf {
  if (kind === "completions") {
    const p = body.prompt;
    if (typeof p === "string") return { prompt: p };
    if (Array.isArray(p) && p.length === 1 && typeof p[0] === "string") return { prompt: p[0] };
    return { error: 'body must have "prompt": a string' };
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return { error: 'body must have "messages": a non-empty list' };
  }
  const texts: string[] = [];
  for (const m of messages) {
    const text = isObject(m) && typeof m.role === "string" ? contentText(m.content) : null;
    if (text === null) return { error: 'each message must be {"role": string, "content": string}' };
    texts.push(text);
  }
  return { messages: texts };
}

/** Reads a parsed request body; a string is the message of a 400. */
export function readOpenAiCall(kind: ApiKind, value: unknown): OpenAiCall | string {
  if (!isObject(value)) return "body must be a JSON object";
  const prompt = promptOf(kind, value);
  if ("error" in prompt) return prompt.error;
  const maxRaw = value.max_tokens ?? (kind === "chat" ? value.max_completion_tokens : undefined);
  if (maxRaw !== undefined && maxRaw !== null) {
    if (typeof maxRaw !== "number" || !Number.isInteger(maxRaw) || maxRaw < 1) {
      return '"max_tokens" must be a positive integer';
    }
  }
  if (value.model !== undefined && typeof value.model !== "string") {
    return '"model" must be a string';
  }
  if (value.stream !== undefined && value.stream !== null && typeof value.stream !== "boolean") {
    return '"stream" must be a boolean';
  }
  const options = value.stream_options;
  if (options !== undefined && options !== null && !isObject(options)) {
    return '"stream_options" must be an object';
  }
  const promptText = "prompt" in prompt ? prompt.prompt : prompt.messages.join("\n");
  const call: OpenAiCall = {
    input: JSON.stringify(prompt),
    promptText,
    ignoreEos: value.ignore_eos === true,
    stream: value.stream === true,
    includeUsage: isObject(options) && options.include_usage === true,
  };
  if (typeof value.model === "string") call.model = value.model;
  if (typeof maxRaw === "number") call.maxTokens = maxRaw;
  return call;
}
