/**
 * Tokens: a real tokenizer for the counts a server does not send, and the
 * readers of what OpenAI-compatible servers do send (`usage`, generated text).
 *
 * The tokenizer is gpt-tokenizer's `o200k_base` encoding (GPT-4o's), pure
 * JavaScript and offline. It is not the served model's tokenizer, so a count
 * from it is marked estimated; a server's `usage` is exact.
 *
 * @example
 * ```ts
 * const t = await tokenizer();
 * t.count("the model"); // 2
 * parseUsage({ usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } });
 * // { promptTokens: 5, completionTokens: 7 }
 * ```
 *
 * @module
 */

/** What names the tokenizer in manifests and summaries. */
export const TOKENIZER_NAME = "gpt-tokenizer@4.0.0 o200k_base";

/** A loaded tokenizer. */
export interface Tokenizer {
  /** {@linkcode TOKENIZER_NAME}. */
  name: string;
  /** Tokens in `text`. */
  count(text: string): number;
  /** Token ids of `text`. */
  encode(text: string): number[];
  /** Text of token ids. */
  decode(tokens: number[]): string;
}

let loaded: Promise<Tokenizer> | undefined;

/** The tokenizer, loaded on first call (about 150 ms) and shared after. */
export function tokenizer(): Promise<Tokenizer> {
  loaded ??= import("../base/deps.ts").then(({ loadTokenizer }) => loadTokenizer()).then((m) => ({
    name: TOKENIZER_NAME,
    count: (text: string) => m.countTokens(text),
    encode: (text: string) => m.encode(text),
    decode: (tokens: number[]) => m.decode(tokens),
  }));
  return loaded;
}

/** Token counts a server reported in `usage`. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** `prompt_tokens_details.cached_tokens` (a prefix cache's hits), when the server sent it. */
  cachedTokens?: number;
}

/** A token count and whether it was estimated with the tokenizer (not read from `usage`). */
export interface TokenCount {
  tokens: number;
  estimated: boolean;
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * The `usage` of an OpenAI-compatible response or stream chunk (a parsed
 * JSON value), or null when it has none or it is malformed.
 */
export function parseUsage(value: unknown): Usage | null {
  if (typeof value !== "object" || value === null) return null;
  const usage = (value as { usage?: unknown }).usage;
  if (typeof usage !== "object" || usage === null) return null;
  const { prompt_tokens: p, completion_tokens: c } = usage as Record<string, unknown>;
  if (!isCount(p) || !isCount(c)) return null;
  const details = (usage as { prompt_tokens_details?: { cached_tokens?: unknown } })
    .prompt_tokens_details;
  const cached = details?.cached_tokens;
  return {
    promptTokens: p,
    completionTokens: c,
    ...(isCount(cached) ? { cachedTokens: cached } : {}),
  };
}

/**
 * The generated text a parsed response or stream chunk carries: a chat
 * chunk's `delta.content`, a chat response's `message.content`, or a
 * completion's `text`, over all choices; "" when it carries none (a
 * role-only, finish or usage chunk).
 */
export function generatedText(value: unknown): string {
  if (typeof value !== "object" || value === null) return "";
  const choices = (value as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return "";
  let text = "";
  for (const choice of choices) {
    if (typeof choice !== "object" || choice === null) continue;
    const c = choice as {
      delta?: { content?: unknown };
      message?: { content?: unknown };
      text?: unknown;
    };
    const piece = c.delta?.content ?? c.message?.content ?? c.text;
    if (typeof piece === "string") text += piece;
  }
  return text;
}

/**
 * The token ids a parsed response or stream chunk carries (vLLM's
 * `choices[].token_ids`, sent when asked with `return_token_ids`), over all
 * choices; null when it carries none.
 */
export function generatedTokenIds(value: unknown): number[] | null {
  if (typeof value !== "object" || value === null) return null;
  const choices = (value as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return null;
  let ids: number[] | null = null;
  for (const choice of choices) {
    const t = (choice as { token_ids?: unknown } | null)?.token_ids;
    if (Array.isArray(t) && t.every(isCount)) (ids ??= []).push(...(t as number[]));
  }
  return ids;
}

/**
 * Output tokens of a response: the server's `completion_tokens` when it sent
 * `usage`, else the tokenizer's count of the generated text, marked estimated.
 */
export function outputTokens(usage: Usage | null, text: string, t: Tokenizer): TokenCount {
  if (usage) return { tokens: usage.completionTokens, estimated: false };
  return { tokens: t.count(text), estimated: true };
}

/**
 * Input tokens of a request: the server's `prompt_tokens` when it sent
 * `usage`, else the tokenizer's count of the prompt text, marked estimated
 * (for chat, the messages' contents, without the chat template's tokens).
 */
export function inputTokens(usage: Usage | null, promptText: string, t: Tokenizer): TokenCount {
  if (usage) return { tokens: usage.promptTokens, estimated: false };
  return { tokens: t.count(promptText), estimated: true };
}
