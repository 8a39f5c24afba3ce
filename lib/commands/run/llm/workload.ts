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
import {
  type CountTokens,
  type PromptSet,
  promptSetDigest,
  readPromptFile,
} from "../../../workload/prompt_file.ts";
import { replayManifest, type TraceReplay } from "../../../workload/trace/replay.ts";
import { type SharedPrefixSpec, withSharedPrefixes } from "../../../workload/shared_prefix.ts";
import { promptWorkload } from "../../../workload/prompt_workload.ts";
import { answerReader, type OutputEstimate } from "../../../workload/response_tokens.ts";
import { syntheticPrompts } from "../../../workload/synthetic_prompts.ts";
import { type Tokenizer, tokenizer, TOKENIZER_NAME } from "../../../workload/tokens.ts";
import { readTokenizerFile } from "../../../workload/tokenizer_file.ts";
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
  /** `--trace`: the replay's prompts, one a request, in order (then `dataset` is unused). */
  replay?: TraceReplay;
  /** `--shared-prefix`: synthetic prompts behind shared prefixes. */
  sharedPrefix?: SharedPrefixSpec;
}

/** Builds the workload; throws `UsageError` on a bad prompt source or an undiscoverable model. */
export async function llmWorkload(
  llm: LlmRunOptions,
  input: LlmWorkloadInput,
): Promise<LlmWorkload> {
  // The served model's tokenizer when given; else o200k counts the prompts (synthetic prompts are
  // built from o200k's one-token words) and output tokens are one a content chunk.
  const file = llm.tokenizer === undefined ? null : await readTokenizerFile(llm.tokenizer);
  const t: Tokenizer = file ?? await tokenizer();
  const estimate: OutputEstimate = file ? { method: "tokenizer", count: file.count } : {
    method: "chunks",
  };
  const fetchFn: FetchLike = input.fetch ??
    ((u, init) => fetch(u, { ...init, signal: AbortSignal.timeout(input.timeoutMs) }));
  const model = llm.model ?? await discoverModel(input.url, fetchFn);
  const set: PromptSet = await promptSetOf(llm, input, t.count);
  const params = {
    api: llm.api,
    model,
    ...(llm.maxTokens === undefined ? {} : { maxTokens: llm.maxTokens }),
    ...(llm.temperature === undefined ? {} : { temperature: llm.temperature }),
    // A trace's output lengths are sent exactly (ignore_eos, as AIPerf does for Mooncake).
    ...(llm.ignoreEos || input.replay ? { ignoreEos: true } : {}),
    ...(input.stream ? { stream: true } : {}),
  };
  const order = llm.synthetic || input.replay ? "sequential" : input.order;
  const count = input.replay ? knownCounts(input.replay, t.count) : t.count;
  const pw = await promptWorkload(set, params, {
    order,
    seed: input.seed,
    requests: Math.max(1, input.requests),
  }, count);
  return {
    workload: pw.workload,
    model,
    onBody: answerReader(pw.inputTokens, estimate),
    manifest: {
      api: llm.api,
      model,
      prompt_source: set.source,
      prompt_digest: set.digest,
      prompts: set.prompts.length,
      ...(llm.synthetic ? { synthetic: llm.synthetic } : {}),
      ...(input.sharedPrefix ? { shared_prefix: input.sharedPrefix } : {}),
      ...(input.replay ? { trace: replayManifest(input.replay) } : {}),
      ...(llm.synthetic || input.replay ? {} : { dataset_order: order }),
      tokenizer: t.name,
      tokens_estimated_by: tokensEstimatedBy(file),
    },
  };
}

/** The prompts: a trace's, synthetic ones, or a prompt file's. */
async function promptSetOf(
  llm: LlmRunOptions,
  input: LlmWorkloadInput,
  count: CountTokens,
): Promise<PromptSet> {
  if (input.replay) {
    const prompts = input.replay.prompts;
    return { source: "trace", prompts, digest: await promptSetDigest("trace", prompts) };
  }
  if (llm.synthetic) {
    const set = await syntheticPrompts({
      ...llm.synthetic,
      count: Math.max(1, Math.min(input.requests, SYNTHETIC_PROMPTS)),
      seed: input.seed,
    });
    return input.sharedPrefix ? await withSharedPrefixes(set, input.sharedPrefix) : set;
  }
  return await readPromptFile(input.dataset!, count);
}

/** Counts a replay's generated prompts by their known lengths (exact), others with `count`. */
function knownCounts(replay: TraceReplay, count: CountTokens): CountTokens {
  const known = new Map(replay.prompts.map((p, k) => [p.text, replay.inputTokens[k]!]));
  return (text) => known.get(text) ?? count(text);
}

/** How tokens are counted when the server sends no `usage`, as manifests and reports say it. */
export function tokensEstimatedBy(file: Tokenizer | null): { output: string; input: string } {
  return file
    ? { output: `tokenizer ${file.name}`, input: `tokenizer ${file.name}` }
    : { output: "chunks (one token a content chunk)", input: `tokenizer ${TOKENIZER_NAME}` };
}
