/**
 * The workload of an LLM run: the model (given, or discovered from
 * `GET /v1/models`), the prompts (a prompt file or synthetic ones), the
 * request bodies built from them, and the hook that reads each answer's
 * tokens into its sample.
 *
 * @module
 */

import type { Sample } from "../../../stats/sample.ts";
import { discoverModel, type FetchLike } from "../../../workload/openai_request.ts";
import { type PromptSet, readPromptFile } from "../../../workload/prompt_file.ts";
import { promptWorkload } from "../../../workload/prompt_workload.ts";
import { responseTokens } from "../../../workload/response_tokens.ts";
import { syntheticPrompts } from "../../../workload/synthetic_prompts.ts";
import { tokenizer } from "../../../workload/tokens.ts";
import type { Workload } from "../../../workload/workload.ts";
import type { DatasetOrder } from "../../../workload/dataset.ts";
import type { LlmRunOptions } from "./options.ts";

/** Most synthetic prompts drawn (a longer run repeats them in order). */
const SYNTHETIC_PROMPTS = 10_000;

/** An LLM run's workload and what its manifest records. */
export interface LlmWorkload {
  workload: Workload;
  model: string;
  /** Reads an answer's tokens into its sample (`RequestSpec.onBody`). */
  onBody: (sample: Sample, body: Uint8Array) => void;
  /** Manifest fields: API, model, prompt source and digest, tokenizer. */
  manifest: Record<string, unknown>;
}

/** What {@linkcode llmWorkload} needs beside the LLM options. */
export interface LlmWorkloadInput {
  url: string;
  /** The prompt file (`--dataset`), when not synthetic. */
  dataset: string | null;
  order: DatasetOrder;
  seed: number;
  /** Requests the workload serves (bodies repeat beyond). */
  requests: number;
  stream: boolean;
  timeoutMs: number;
  /** Injected for tests; defaults to fetch with the run's timeout. */
  fetch?: FetchLike;
}

/** Builds the workload; throws `UsageError` on a bad prompt source or an undiscoverable model. */
export async function llmWorkload(
  llm: LlmRunOptions,
  input: LlmWorkloadInput,
): Promise<LlmWorkload> {
  const t = await tokenizer();
  const fetchFn: FetchLike = input.fetch ??
    ((u, init) => fetch(u, { ...init, signal: AbortSignal.timeout(input.timeoutMs) }));
  const model = llm.model ?? await discoverModel(input.url, fetchFn);
  const set: PromptSet = llm.synthetic
    ? await syntheticPrompts({
      ...llm.synthetic,
      count: Math.max(1, Math.min(input.requests, SYNTHETIC_PROMPTS)),
      seed: input.seed,
    })
    : await readPromptFile(input.dataset!, t.count);
  const params = {
    api: llm.api,
    model,
    ...(llm.maxTokens === undefined ? {} : { maxTokens: llm.maxTokens }),
    ...(llm.temperature === undefined ? {} : { temperature: llm.temperature }),
    ...(llm.ignoreEos ? { ignoreEos: true } : {}),
    ...(input.stream ? { stream: true } : {}),
  };
  const order = llm.synthetic ? "sequential" : input.order;
  const pw = await promptWorkload(set, params, {
    order,
    seed: input.seed,
    requests: Math.max(1, input.requests),
  }, t.count);
  const onBody = (sample: Sample, body: Uint8Array): void => {
    const tokens = responseTokens(body, pw.inputTokens.get(sample.inputSha256) ?? 0, t.count);
    sample.tokens = tokens;
    if (sample.stream) sample.stream.tokens = tokens.output;
  };
  return {
    workload: pw.workload,
    model,
    onBody,
    manifest: {
      api: llm.api,
      model,
      prompt_source: set.source,
      prompt_digest: set.digest,
      prompts: set.prompts.length,
      ...(llm.synthetic ? { synthetic: llm.synthetic } : { dataset_order: order }),
      tokenizer: t.name,
    },
  };
}
