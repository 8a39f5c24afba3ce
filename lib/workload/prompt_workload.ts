/**
 * A prompt set made into a workload: one OpenAI request body per prompt
 * ({@linkcode encodeRequestBody}), taken in order or sampled from a seed like
 * a JSONL dataset ({@linkcode datasetWorkload}), with each body's prompt
 * tokens as the tokenizer counts them (the input tokens of a request whose
 * answer has no `usage`).
 *
 * @example
 * ```ts
 * const set = await syntheticPrompts({ input: { mean: 8 }, output: { mean: 4 }, count: 3, seed: 1 });
 * const w = await promptWorkload(set, { api: "openai-chat", model: "m" },
 *   { order: "sequential", seed: 1, requests: 3 }, (await tokenizer()).count);
 * w.inputTokens.get(w.workload.inputSha256[0]!); // 8
 * ```
 *
 * @module
 */

import { sha256Hex } from "../base/hash.ts";
import { datasetWorkload, type DatasetWorkloadOptions } from "./dataset.ts";
import { encodeRequestBody, type RequestParams } from "./openai_request.ts";
import type { CountTokens, PromptSet } from "./prompt_file.ts";
import type { Workload } from "./workload.ts";

/** A workload of OpenAI requests and the prompt tokens of each distinct body. */
export interface PromptWorkload {
  /** Its digest covers the prompt set's digest, the request parameters and the order. */
  workload: Workload;
  /** Prompt tokens (tokenizer count) by body digest (`inputSha256`). */
  inputTokens: Map<string, number>;
}

/** The workload of `set` sent as `params` requests, ordered as `options` says. */
export async function promptWorkload(
  set: PromptSet,
  params: RequestParams,
  options: DatasetWorkloadOptions,
  count: CountTokens,
): Promise<PromptWorkload> {
  const bodies = set.prompts.map((p) => encodeRequestBody(p, params));
  const workload = await datasetWorkload(bodies, options);
  // The workload holds the same body objects, in its order: find each one's prompt.
  const promptOf = new Map(bodies.map((b, k) => [b, set.prompts[k]!]));
  const inputTokens = new Map<string, number>();
  for (let i = 0; i < workload.bodies.length; i++) {
    const digest = workload.inputSha256[i]!;
    if (inputTokens.has(digest)) continue;
    inputTokens.set(digest, count(promptOf.get(workload.bodies[i]!)!.text));
  }
  const digest = await sha256Hex(`prompts ${set.source} ${set.digest}\n${workload.digest}`);
  return { workload: { ...workload, digest }, inputTokens };
}
