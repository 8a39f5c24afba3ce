/**
 * The tokens of one OpenAI-compatible answer, read from its whole body: the
 * server's `usage` when it sent one (a JSON answer's, or a stream's usage
 * chunk), else the tokenizer's count of the generated text and the prompt's
 * count, marked estimated.
 *
 * @example
 * ```ts
 * const body = new TextEncoder().encode('{"choices":[{"text":"a b"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}');
 * responseTokens(body, 3, (s) => s.split(" ").length); // { input: 3, output: 2, estimated: false }
 * ```
 *
 * @module
 */

import type { TokenCounts } from "../stats/sample.ts";
import type { CountTokens } from "./prompt_file.ts";
import { generatedText, parseUsage, type Usage } from "./tokens.ts";

/** What an answer's body holds: its `usage` (last one seen) and its generated text. */
export interface AnswerContent {
  usage: Usage | null;
  text: string;
}

const decoder = new TextDecoder();

/** Parses a JSON answer, or a stream of `data:` events (or JSON lines), for usage and text. */
export function answerContent(body: Uint8Array): AnswerContent {
  const text = decoder.decode(body);
  const trimmed = text.trimStart();
  const events = trimmed.startsWith("{") && !trimmed.includes("\n{") && !/\ndata:/.test(trimmed)
    ? [trimmed]
    : text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith(":"))
      .map((l) => (l.startsWith("data:") ? l.slice(5).trim() : l));
  let usage: Usage | null = null;
  let generated = "";
  for (const event of events) {
    if (!event.startsWith("{")) continue; // [DONE], event:/id: fields
    let value: unknown;
    try {
      value = JSON.parse(event);
    } catch {
      continue;
    }
    usage = parseUsage(value) ?? usage;
    generated += generatedText(value);
  }
  return { usage, text: generated };
}

/**
 * The tokens of an answer: `usage` when sent; otherwise the tokenizer's count
 * of the generated text, with `promptTokens` (the tokenizer's count of the
 * prompt) as its input, marked estimated.
 */
export function responseTokens(
  body: Uint8Array,
  promptTokens: number,
  count: CountTokens,
): TokenCounts {
  const { usage, text } = answerContent(body);
  if (usage) return { input: usage.promptTokens, output: usage.completionTokens, estimated: false };
  return { input: promptTokens, output: text === "" ? 0 : count(text), estimated: true };
}
