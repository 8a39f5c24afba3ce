/**
 * What one OpenAI-compatible answer held, read from its whole body: the
 * server's `usage` when it sent one (a JSON answer's, or a stream's usage
 * chunk), the generated text and token ids, and from them the request's
 * tokens and the digest of what the model generated.
 *
 * Tokens come from `usage` when sent; otherwise they are estimated: output
 * tokens with the `--tokenizer` file when given, else one token a content
 * chunk (a streamed answer's chunks; 1 for a whole answer with text); input
 * tokens are the prompt's count (see prompt_workload.ts).
 *
 * @example
 * ```ts
 * const body = new TextEncoder().encode('{"choices":[{"text":"a b"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}');
 * responseTokens(answerContent(body), 3, { method: "chunks" }, 1);
 * // { input: 3, output: 2, estimated: false, method: "usage" }
 * ```
 *
 * @module
 */

import { sha256HexSync } from "../base/hash.ts";
import type { Sample, TokenCounts } from "../stats/sample.ts";
import type { CountTokens } from "./prompt_file.ts";
import { generatedText, generatedTokenIds, parseUsage, type Usage } from "./tokens.ts";

/** What an answer's body holds: its `usage` (last one seen), its generated text and token ids. */
export interface AnswerContent {
  usage: Usage | null;
  text: string;
  /** Token ids the server sent (`choices[].token_ids`), or null when it sent none. */
  tokenIds: number[] | null;
  /** The body was server-sent events (`data:` lines), not one whole JSON answer. */
  sse: boolean;
}

/** How output tokens are estimated when the server sends no `usage`. */
export type OutputEstimate = { method: "chunks" } | { method: "tokenizer"; count: CountTokens };

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
  let tokenIds: number[] | null = null;
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
    const ids = generatedTokenIds(value);
    if (ids) (tokenIds ??= []).push(...ids);
  }
  return { usage, text: generated, tokenIds, sse: /(^|\n)data:/.test(text) };
}

/**
 * The tokens of an answer: `usage` when sent; otherwise `promptTokens` as its
 * input and its output estimated by `estimate` (`chunks`: the content chunks
 * the stream held), marked estimated with the method.
 */
export function responseTokens(
  content: AnswerContent,
  promptTokens: number,
  estimate: OutputEstimate,
  chunks: number,
): TokenCounts {
  const { usage, text } = content;
  if (usage) {
    const tokens: TokenCounts = {
      input: usage.promptTokens,
      output: usage.completionTokens,
      estimated: false,
      method: "usage",
    };
    if (usage.cachedTokens !== undefined) tokens.cached = usage.cachedTokens;
    return tokens;
  }
  const output = estimate.method === "tokenizer" ? estimate.count(text) : chunks;
  return { input: promptTokens, output, estimated: true, method: estimate.method };
}

/**
 * SHA-256 of what the model generated: its token ids (`ids:1,2,3`) where the
 * server sent them, else its concatenated text; the framing (ids, `created`,
 * `usage`) is left out.
 */
export function generatedSha256(content: AnswerContent): string {
  return sha256HexSync(content.tokenIds ? `ids:${content.tokenIds.join(",")}` : content.text);
}

/**
 * The `onBody` hook of an LLM API's requests: reads a complete answer's
 * tokens (prompt tokens by the body's digest) and the digest of its
 * generated text into its sample.
 */
export function answerReader(
  promptTokens: ReadonlyMap<string, number>,
  estimate: OutputEstimate,
): (sample: Sample, body: Uint8Array) => void {
  return (sample, body) => {
    const content = answerContent(body);
    // A streaming request answered whole (no SSE): no token chunk came, so no TTFT or ITL
    // (not its latency taken as its TTFT); the run warns about such answers.
    if (sample.stream && !content.sse) {
      sample.stream = { ttftMs: null, chunks: 0, tokens: 0, itlMs: [] };
    }
    const streamedChunks = sample.stream?.chunks ?? 0;
    const chunks = streamedChunks > 0 ? streamedChunks : content.text === "" ? 0 : 1;
    const tokens = responseTokens(
      content,
      promptTokens.get(sample.inputSha256) ?? 0,
      estimate,
      chunks,
    );
    sample.tokens = tokens;
    sample.textSha256 = generatedSha256(content);
    if (sample.stream) sample.stream.tokens = tokens.output;
  };
}
