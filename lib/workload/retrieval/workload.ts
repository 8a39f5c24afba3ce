/**
 * Embeddings and rerank requests: OpenAI `/v1/embeddings` (`openai-embeddings`),
 * TEI `/embed` (`tei-embed`), Cohere/vLLM `/v1/rerank` (`rerank`: a query and
 * N documents) and TEI `/rerank` (`tei-rerank`: a query and N texts). Each
 * request carries `batch` texts (inputs, or documents) drawn in order from
 * synthetic text of a token length or from a prompt file; the tokens of each
 * body are known (the tokenizer's count) and replaced by the server's
 * `usage` where it sends one. Throughput is in inputs/s and tokens/s.
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import { type PromptSet, readPromptFile } from "../prompt_file.ts";
import { syntheticPrompts } from "../synthetic_prompts.ts";
import { tokenizer } from "../tokens.ts";
import { MAX_DISTINCT_BODIES, type Workload, workloadFromBodies } from "../workload.ts";

/** The embeddings and rerank APIs. */
export type RetrievalApi = "openai-embeddings" | "tei-embed" | "rerank" | "tei-rerank";

/** The APIs, for validation and help text. */
export const RETRIEVAL_APIS: readonly RetrievalApi[] = [
  "openai-embeddings",
  "tei-embed",
  "rerank",
  "tei-rerank",
];

/** The path each API is served at. */
export const RETRIEVAL_PATHS: Readonly<Record<RetrievalApi, string>> = {
  "openai-embeddings": "/v1/embeddings",
  "tei-embed": "/embed",
  "rerank": "/v1/rerank",
  "tei-rerank": "/rerank",
};

/** What an embeddings or rerank run is told. */
export interface RetrievalOptions {
  api: RetrievalApi;
  /** The model's name (sent where the API has the field), or null. */
  model: string | null;
  /** Texts a request: inputs to embed, or documents to rank. */
  batch: number;
  /** Tokens of each synthetic text; unused with a prompt file. */
  inputTokens: number;
}

/** Inputs and tokens of a phase, and their rates (the summary's `retrieval`). */
export interface RetrievalThroughput {
  api: RetrievalApi;
  requests: number;
  inputs: number;
  input_tokens: number;
  /** Requests whose tokens the tokenizer counted (the server sent no `usage`). */
  tokens_estimated: number;
  inputs_per_s: number;
  tokens_per_s: number;
}

/** A run's workload and what goes with it. */
export interface RetrievalWorkload {
  workload: Workload;
  /** The request URL. */
  url: string;
  onBody: (sample: Sample, body: Uint8Array) => void;
  /** The throughput of the measured samples of a phase of `durationS`. */
  throughput: (measured: readonly Sample[], durationS: number) => RetrievalThroughput;
  manifest: Record<string, unknown>;
}

function requestBody(o: RetrievalOptions, texts: string[], query: string): unknown {
  const model = o.model === null ? {} : { model: o.model };
  switch (o.api) {
    case "openai-embeddings":
      return { ...model, input: texts };
    case "tei-embed":
      return { inputs: texts };
    case "rerank":
      return { ...model, query, documents: texts };
    case "tei-rerank":
      return { query, texts };
  }
}

/** The server's token count in an answer (`usage`), or null. */
function usageTokens(body: Uint8Array): number | null {
  try {
    const usage = JSON.parse(new TextDecoder().decode(body))?.usage;
    const n = usage?.prompt_tokens ?? usage?.total_tokens;
    return typeof n === "number" && n >= 0 ? n : null;
  } catch {
    return null;
  }
}

/** The URL of `api` on the server at `url` (a base URL, or one naming the path). */
function apiUrl(url: string, api: RetrievalApi): string {
  const u = new URL(url);
  if (u.pathname !== "/" && u.pathname !== "") return url;
  u.pathname = RETRIEVAL_PATHS[api];
  return u.href;
}

/** Builds the bodies: `batch` texts each (rerank: the next text is the query). */
export async function retrievalWorkload(
  o: RetrievalOptions,
  input: { url: string; dataset: string | null; seed: number; requests: number },
): Promise<RetrievalWorkload> {
  const t = await tokenizer();
  const rerank = o.api === "rerank" || o.api === "tei-rerank";
  const per = o.batch + (rerank ? 1 : 0);
  const count = Math.max(1, Math.min(input.requests, MAX_DISTINCT_BODIES));
  const set: PromptSet = input.dataset !== null
    ? await readPromptFile(input.dataset, t.count)
    : await syntheticPrompts({
      input: { mean: o.inputTokens },
      output: { mean: 1 },
      count: Math.min(count * per, 100_000),
      seed: input.seed,
    });
  const texts = set.prompts.map((p) => p.text);
  const enc = new TextEncoder();
  const bodies: Uint8Array<ArrayBuffer>[] = [];
  const known: { inputs: number; tokens: number }[] = [];
  for (let k = 0; k < count; k++) {
    const pick = Array.from({ length: per }, (_, j) => texts[(k * per + j) % texts.length]!);
    const query = rerank ? pick.shift()! : "";
    bodies.push(enc.encode(JSON.stringify(requestBody(o, pick, query))));
    const tokens = pick.reduce((a, s) => a + t.count(s), rerank ? t.count(query) : 0);
    known.push({ inputs: pick.length, tokens });
  }
  const workload = await workloadFromBodies(bodies, input.dataset === null ? input.seed : null);
  const byDigest = new Map(workload.inputSha256.map((d, i) => [d, known[i]!]));
  return {
    workload,
    url: apiUrl(input.url, o.api),
    onBody: (sample, body) => {
      const sent = byDigest.get(sample.inputSha256);
      const usage = usageTokens(body);
      sample.tokens = { input: usage ?? sent?.tokens ?? 0, output: 0, estimated: usage === null };
    },
    throughput: (measured, durationS) => {
      let inputs = 0;
      let tokens = 0;
      let estimated = 0;
      let requests = 0;
      for (const s of measured) {
        if (!s.ok) continue;
        requests++;
        inputs += byDigest.get(s.inputSha256)?.inputs ?? 0;
        tokens += s.tokens?.input ?? 0;
        if (s.tokens?.estimated) estimated++;
      }
      const rate = (n: number) => (durationS > 0 ? Math.round(n / durationS * 1000) / 1000 : 0);
      return {
        api: o.api,
        requests,
        inputs,
        input_tokens: tokens,
        tokens_estimated: estimated,
        inputs_per_s: rate(inputs),
        tokens_per_s: rate(tokens),
      };
    },
    manifest: {
      api: o.api,
      ...(o.model === null ? {} : { model: o.model }),
      batch: o.batch,
      text_source: set.source,
      text_digest: set.digest,
      ...(input.dataset === null ? { input_tokens: o.inputTokens } : {}),
      tokenizer: t.name,
    },
  };
}

/** One line for the terminal. */
export function throughputLine(r: RetrievalThroughput): string {
  const est = r.tokens_estimated > 0
    ? ` (${r.tokens_estimated} of ${r.requests} requests' tokens counted by the tokenizer)`
    : "";
  return `${r.api}: ${r.inputs} inputs, ${r.input_tokens} tokens in ${r.requests} ok requests; ` +
    `${r.inputs_per_s} inputs/s, ${r.tokens_per_s} tokens/s${est}`;
}
