/**
 * What `run` (and the main job's LLM mode) needs to speak an LLM API: the
 * API and request parameters, the prompt source, goodput SLOs, and the
 * Prometheus endpoint to scrape. Parsed by lib/commands/run/llm/flags.ts.
 *
 * @module
 */

import type { OpenAiApi } from "../../../workload/openai_request.ts";
import type { TokenLength } from "../../../workload/synthetic_prompts.ts";

/** Synthetic prompts: input and output token length distributions. */
export interface SyntheticSpec {
  input: TokenLength;
  output: TokenLength;
}

/** `--api` and its companions. */
export interface LlmRunOptions {
  api: OpenAiApi;
  /** The model's name, or null to ask `GET /v1/models`. */
  model: string | null;
  maxTokens?: number;
  temperature?: number;
  ignoreEos: boolean;
  /** `--tokenizer`: a Hugging Face tokenizer.json counting what `usage` does not tell. */
  tokenizer?: string;
  /** Synthetic prompts, or null for the prompt file given as `--dataset`. */
  synthetic: SyntheticSpec | null;
}

/** `--scrape`: a Prometheus endpoint read before, during and after the phase. */
export interface ScrapeOptions {
  url: string;
  intervalMs: number;
}
