/**
 * One request of a production trace, whatever file it came from: when it
 * arrived (ms from the trace's first request), how long its prompt and answer
 * were, and what names its prompt's blocks (Mooncake's `hash_ids`) or its
 * text (a loadgate trace).
 *
 * @module
 */

import type { ChatMessage } from "../prompt.ts";

/** The trace formats read (docs/llm.md cites each published layout). */
export type TraceFormat = "mooncake" | "azure" | "burstgpt" | "loadgate";

/** The formats, for validation and help text. */
export const TRACE_FORMATS: readonly TraceFormat[] = ["mooncake", "azure", "burstgpt", "loadgate"];

/** Tokens a Mooncake `hash_ids` entry stands for (the published traces' block size). */
export const BLOCK_TOKENS = 512;

/** One trace request. */
export interface TraceEntry {
  /** Arrival, ms on the trace's own clock (any origin; replay starts at the first kept). */
  timestampMs: number;
  /** Prompt tokens. */
  inputTokens: number;
  /** Output tokens: sent as `max_tokens`. */
  outputTokens: number;
  /** Mooncake: ids of the prompt's {@linkcode BLOCK_TOKENS}-token blocks, in order. */
  hashIds?: number[];
  /** A loadgate trace: the prompt's text (then `inputTokens` is its tokenizer count). */
  text?: string;
  /** A loadgate trace: the chat messages. */
  messages?: ChatMessage[];
}

/** A parsed trace: its entries in arrival order and the rows left out (with why). */
export interface Trace {
  format: TraceFormat;
  entries: TraceEntry[];
  /** Rows skipped: no output (BurstGPT's failed requests) or no input. */
  skipped: number;
}
