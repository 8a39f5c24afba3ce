/**
 * The stub's flags for its OpenAI API, parsed into the options of
 * {@linkcode createOpenAiRoutes}. The handler mode is the stub's `--mode`
 * (`serialized`, `concurrent` or `batched`).
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { type FlagSpec, type FlagValues, int, num, range, str } from "../base/flags.ts";
import type { LlmMode } from "./inference_model.ts";
import type { OpenAiRoutesOptions } from "./openai/routes.ts";

/** The flags, merged into the stub's flag spec. */
export const LLM_STUB_FLAGS: FlagSpec = {
  model: { type: "string" },
  "max-batch": { type: "string" },
  "prefill-ms": { type: "string" },
  "decode-ms": { type: "string" },
  "batch-cost": { type: "string" },
  "output-tokens": { type: "string" },
  "kv-tokens": { type: "string" },
  "max-model-len": { type: "string" },
  "prefix-cache-blocks": { type: "string" },
  "prefix-block-tokens": { type: "string" },
  "no-prefix-cache": { type: "boolean" },
};

/** Defaults of the model (docs/llm.md states them). */
export const LLM_STUB_DEFAULTS = {
  model: "loadgate-stub",
  maxBatch: 8,
  prefillMsPerToken: 0.2,
  decodeMs: 10,
  batchCost: 0.1,
  outputTokens: [16, 128] as [number, number],
  kvCapacityTokens: 65_536,
  maxModelLen: 8192,
  /** vLLM's default block size. */
  prefixBlockTokens: 16,
  /** 4096 blocks of 16: the KV cache's 65536 tokens. */
  prefixCacheBlocks: 4096,
} as const;

/** Help lines of the flags. */
export const LLM_STUB_HELP =
  `OpenAI API (/v1/chat/completions, /v1/completions, /v1/models, /metrics):
  [--model loadgate-stub] [--max-batch 8] [--prefill-ms 0.2] [--decode-ms 10]
  [--batch-cost 0.1] [--output-tokens 16:128] [--kv-tokens 65536] [--max-model-len 8192]
--prefill-ms is per prompt token; --decode-ms is a decode step with one sequence, and each
further sequence in the batch adds --batch-cost of it; --mode batched batches up to
--max-batch sequences (continuous batching), serialized runs one at a time.
  [--prefix-cache-blocks 4096] [--prefix-block-tokens 16] [--no-prefix-cache]
A prefix cache (on by default, as vLLM's): an LRU of prompt blocks; cached prompt tokens
are not prefilled and are reported as usage.prompt_tokens_details.cached_tokens.`;

/** The routes' options from parsed flag values and the stub's mode. */
export function parseLlmStubArgs(values: FlagValues, mode: LlmMode): OpenAiRoutesOptions {
  const d = LLM_STUB_DEFAULTS;
  const outputTokens = range(values, "output-tokens", d.outputTokens);
  if (!outputTokens.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new UsageError(
      `Cannot parse --output-tokens: "${
        values["output-tokens"]
      }" is not a range of positive integers`,
    );
  }
  return {
    model: str(values, "model", d.model),
    outputTokens,
    maxModelLen: int(values, "max-model-len", d.maxModelLen),
    prefixCache: values["no-prefix-cache"] ? null : {
      blockTokens: int(values, "prefix-block-tokens", d.prefixBlockTokens),
      capacityBlocks: int(values, "prefix-cache-blocks", d.prefixCacheBlocks),
    },
    inference: {
      mode,
      maxBatch: int(values, "max-batch", d.maxBatch),
      prefillMsPerToken: num(values, "prefill-ms", d.prefillMsPerToken, true),
      decodeMs: num(values, "decode-ms", d.decodeMs, true),
      batchCost: num(values, "batch-cost", d.batchCost, true),
      kvCapacityTokens: int(values, "kv-tokens", d.kvCapacityTokens),
    },
  };
}
