/**
 * Synthetic prompts of a given token length distribution, like vLLM's
 * `random` dataset and guidellm's synthetic data: each prompt is made of
 * words that are one token each (see `vocabulary.ts`), so the tokenizer
 * counts exactly the input length drawn, and asks for the output length drawn
 * as its `max_tokens`.
 *
 * A length is drawn from a normal distribution of the given mean and spread
 * (standard deviation, 0 by default: every length is the mean), rounded, and
 * clamped to `[min, max]` (1 and unbounded by default). The seed fixes every
 * prompt.
 *
 * @example
 * ```ts
 * const set = await syntheticPrompts({
 *   input: { mean: 128, spread: 16 }, output: { mean: 64 }, count: 10, seed: 1,
 * });
 * set.prompts[0]!.maxTokens; // 64
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { mulberry32 } from "../stats/random.ts";
import { normalVariate } from "../stats/variates.ts";
import type { Prompt } from "./prompt.ts";
import { type PromptSet, promptSetDigest } from "./prompt_file.ts";
import { wordsText } from "./vocabulary.ts";

/** A token length distribution. */
export interface TokenLength {
  mean: number;
  /** Standard deviation in tokens; 0 (the default) gives the mean every time. */
  spread?: number;
  /** Smallest length (default 1). */
  min?: number;
  /** Largest length (default unbounded). */
  max?: number;
}

/** Options of {@linkcode syntheticPrompts}. */
export interface SyntheticOptions {
  input: TokenLength;
  output: TokenLength;
  /** Prompts to make. */
  count: number;
  seed: number;
}

/** A length drawn from `d` with `rand`. */
export function drawLength(d: TokenLength, rand: () => number): number {
  const x = d.spread ? d.mean + d.spread * normalVariate(rand) : d.mean;
  return Math.min(d.max ?? Infinity, Math.max(d.min ?? 1, Math.round(x)));
}

/** `count` prompts drawn from `seed`: text of the drawn input length, `maxTokens` the output's. */
export async function syntheticPrompts(options: SyntheticOptions): Promise<PromptSet> {
  // Separate streams, so the output lengths do not depend on the words drawn.
  const lengths = mulberry32(options.seed);
  const words = mulberry32((options.seed ^ 0x5bd1e995) >>> 0);
  const prompts: Prompt[] = new Array(options.count);
  for (let i = 0; i < options.count; i++) {
    const input = drawLength(options.input, lengths);
    const output = drawLength(options.output, lengths);
    prompts[i] = { text: wordsText(input, words), maxTokens: output };
  }
  return { source: "synthetic", prompts, digest: await promptSetDigest("synthetic", prompts) };
}

/** The longest prompt or answer a synthetic length may ask for (the largest context windows). */
export const MAX_TOKENS = 1_000_000;

/**
 * Parses a length flag: `MEAN[,spread=S][,min=A][,max=B]`, for example
 * `512,spread=64,max=1024`. Throws {@linkcode UsageError} naming `flag`.
 */
export function parseTokenLength(value: string, flag: string): TokenLength {
  const bad = (why: string): never => {
    throw new UsageError(`Cannot parse --${flag}: "${value}" ${why}`);
  };
  const [head, ...rest] = value.split(",").map((s) => s.trim());
  const number = (s: string | undefined, what: string, allowZero: boolean): number => {
    const n = Number(s);
    if (s === undefined || s === "" || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
      return bad(`has a ${what} that is not a ${allowZero ? "non-negative" : "positive"} integer`);
    }
    if (n > MAX_TOKENS) return bad(`has a ${what} above ${MAX_TOKENS} tokens`);
    return n;
  };
  const out: TokenLength = { mean: number(head, "mean", false) };
  for (const part of rest) {
    const [key, v] = part.split("=");
    if (key === "spread") out.spread = number(v, "spread", true);
    else if (key === "min") out.min = number(v, "min", false);
    else if (key === "max") out.max = number(v, "max", false);
    else bad(`has "${part}"; expected MEAN[,spread=S][,min=A][,max=B]`);
  }
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) bad("has min above max");
  return out;
}
