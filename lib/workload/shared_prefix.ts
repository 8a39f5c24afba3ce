/**
 * Shared-prefix prompts, as vLLM's `prefix_repetition` dataset and
 * inference-perf's `shared_prefix` workload make them: G distinct prefixes
 * (system prompts, few-shot preambles) of P tokens each, and every prompt
 * starts with one of them, drawn from the seed, followed by its own text.
 * Prefix g's words come from a generator seeded by (seed, g), one-token words
 * joined by spaces, so it is exactly P tokens and byte-identical wherever it
 * appears.
 *
 * @example
 * ```ts
 * const set = await syntheticPrompts({ input: { mean: 8 }, output: { mean: 4 }, count: 4, seed: 1 });
 * const shared = await withSharedPrefixes(set, { groups: 2, tokens: 32, seed: 1 });
 * shared.prompts[0]!.text.split(" ").length; // 40
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { mulberry32 } from "../stats/random.ts";
import type { Prompt } from "./prompt.ts";
import { type PromptSet, promptSetDigest } from "./prompt_file.ts";
import { wordsText } from "./vocabulary.ts";

/** G prefixes of P tokens. */
export interface SharedPrefixSpec {
  groups: number;
  tokens: number;
  seed: number;
}

/** The text of prefix `g`. */
export function prefixText(spec: SharedPrefixSpec, g: number): string {
  return wordsText(spec.tokens, mulberry32(((spec.seed * 0x9e3779b1) ^ (g + 1)) >>> 0));
}

/** `set` with each prompt behind a shared prefix drawn from the seed; the group of each kept. */
export async function withSharedPrefixes(
  set: PromptSet,
  spec: SharedPrefixSpec,
): Promise<PromptSet & { groupOf: number[] }> {
  const prefixes = Array.from({ length: spec.groups }, (_, g) => prefixText(spec, g));
  const rand = mulberry32((spec.seed ^ 0x3c6ef372) >>> 0);
  const groupOf: number[] = [];
  const prompts = set.prompts.map((p): Prompt => {
    const g = Math.floor(rand() * spec.groups);
    groupOf.push(g);
    return { ...p, text: `${prefixes[g]} ${p.text}` };
  });
  const source = set.source;
  return { source, prompts, digest: await promptSetDigest(source, prompts), groupOf };
}

/** Parses `--shared-prefix 'groups=G,tokens=P'`. Throws {@linkcode UsageError}. */
export function parseSharedPrefix(text: string, seed: number): SharedPrefixSpec {
  const fields: Record<string, number> = {};
  for (const part of text.split(",").map((s) => s.trim())) {
    const m = /^(groups|tokens)=(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1) {
      throw new UsageError(
        `Cannot parse --shared-prefix: "${text}" is not groups=G,tokens=P (positive integers)`,
      );
    }
    fields[m[1]!] = Number(m[2]);
  }
  if (fields.groups === undefined || fields.tokens === undefined) {
    throw new UsageError(`Cannot parse --shared-prefix: "${text}" needs groups=G and tokens=P`);
  }
  return { groups: fields.groups, tokens: fields.tokens, seed };
}
