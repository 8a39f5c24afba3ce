/**
 * The main job for an LLM (`job --api openai-chat`): the same proof against
 * the stub's OpenAI API, with the baseline on the serialized handler (one
 * sequence at a time) and the optimized phase on continuous batching. Its
 * workload is synthetic prompts of fixed lengths with `ignore_eos`, so every
 * request asks the same, exactly known work; each answer streams, and its
 * tokens come from the stream's `usage`.
 *
 * The stub's timings are chosen so that the job fits in about a minute on
 * two shared cores: a serialized sequence takes 32 x 0.2 ms of prefill and
 * 12 x 5 ms of decode (about 66 ms), so 16 clients queue behind each other
 * for about a second (p95 above 800 ms), while a batch of 16 decodes a token
 * every 12.5 ms (about 170 ms a request).
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import type { MetricGroups } from "../../stats/load_metrics.ts";
import { API_PATHS, type OpenAiApi, requestBody } from "../../workload/openai_request.ts";
import { promptWorkload } from "../../workload/prompt_workload.ts";
import { answerReader } from "../../workload/response_tokens.ts";
import { syntheticPrompts } from "../../workload/synthetic_prompts.ts";
import { tokenizer } from "../../workload/tokens.ts";
import type { Workload } from "../../workload/workload.ts";
import type { ConnectionPolicy } from "../../load/connection.ts";
import type { LoadPlan } from "../../load/load_plan.ts";

/** The LLM job's fixed shape: stub timings and the prompts' token lengths. */
export const LLM_JOB = {
  model: "loadgate-stub",
  inputTokens: 32,
  outputTokens: 12,
  prefillMs: 0.2,
  decodeMs: 5,
  maxBatch: 16,
  batchCost: 0.1,
  /** Defaults of the job's load in this mode (its own flags still win). */
  requests: 120,
  concurrency: 16,
  /** The TTFT threshold added to the default SLA. */
  ttftP95Ms: 200,
} as const;

/** What the job's cells need to speak an LLM API. */
export interface JobLlm {
  api: OpenAiApi;
  workload: Workload;
  /** The stub's arguments for a cell's handler mode (`concurrent` cells run `batched`). */
  stubArgs: (mode: "serialized" | "concurrent") => string[];
  /** The path requests go to, under the stub's origin. */
  path: string;
  onBody: (sample: Sample, body: Uint8Array) => void;
  groups: MetricGroups;
  /** Sends one unlogged request to `url` (the stub's tokenizer loads on its first). */
  warm: (url: string) => Promise<void>;
  /** Manifest fields. */
  manifest: Record<string, unknown>;
  /** Stub arguments by cell name, over `stubArgs` (the conversation job: cache off or on). */
  stubArgsFor?: (name: string) => string[];
  /** How the cell's stub is named in its start line, over its handler mode. */
  cellLabel?: (name: string) => string;
  /** One connection policy for every cell, over the cell's own. */
  policy?: ConnectionPolicy;
  /** Each cell's own work (sessions fill their bodies as answers arrive): over workload and plan. */
  cell?: () => { workload: Workload; plan: LoadPlan; onBody: JobLlm["onBody"] };
}

/** Builds the LLM job's workload and stub arguments. */
export async function jobLlm(
  api: OpenAiApi,
  options: { seed: number; requests: number },
): Promise<JobLlm> {
  const t = await tokenizer();
  const set = await syntheticPrompts({
    input: { mean: LLM_JOB.inputTokens },
    output: { mean: LLM_JOB.outputTokens },
    count: options.requests,
    seed: options.seed,
  });
  const pw = await promptWorkload(
    set,
    { api, model: LLM_JOB.model, ignoreEos: true, stream: true },
    { order: "sequential", seed: options.seed, requests: options.requests },
    t.count,
  );
  const stubArgs = (mode: "serialized" | "concurrent"): string[] => [
    "--mode",
    mode === "concurrent" ? "batched" : "serialized",
    "--prefill-ms",
    String(LLM_JOB.prefillMs),
    "--decode-ms",
    String(LLM_JOB.decodeMs),
    "--max-batch",
    String(LLM_JOB.maxBatch),
    "--batch-cost",
    String(LLM_JOB.batchCost),
    "--model",
    LLM_JOB.model,
  ];
  return {
    api,
    workload: pw.workload,
    stubArgs,
    path: API_PATHS[api],
    onBody: answerReader(pw.inputTokens, { method: "chunks" }),
    groups: { openLoop: false, streaming: true, llm: true, goodput: null },
    warm: async (url) => {
      // As many as a batch holds, the job's own prompts: the stub's tokenizer and JIT are
      // warm before the first measured request (else the first wave pays for them).
      const one = async (k: number): Promise<void> => {
        const prompt = set.prompts[k % set.prompts.length]!.text;
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify(
            requestBody({ text: prompt, maxTokens: 2 }, { api, model: LLM_JOB.model }),
          ),
          signal: AbortSignal.timeout(10_000),
        }).catch(() => null);
        await res?.arrayBuffer().catch(() => {});
      };
      for (let round = 0; round < 2; round++) {
        await Promise.all(Array.from({ length: LLM_JOB.maxBatch }, (_, k) => one(k)));
      }
    },
    manifest: {
      api,
      model: LLM_JOB.model,
      prompt_source: set.source,
      prompt_digest: set.digest,
      synthetic: { input: LLM_JOB.inputTokens, output: LLM_JOB.outputTokens },
      stub_llm: {
        prefill_ms: LLM_JOB.prefillMs,
        decode_ms: LLM_JOB.decodeMs,
        max_batch: LLM_JOB.maxBatch,
        batch_cost: LLM_JOB.batchCost,
      },
      tokenizer: t.name,
    },
  };
}
