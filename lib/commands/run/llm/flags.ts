/**
 * `run`'s LLM flags (`--api`, `--model`, `--max-tokens`, `--temperature`,
 * `--ignore-eos`, `--synthetic`, `--goodput`, `--scrape`,
 * `--scrape-interval`): one spec, spread into RUN_FLAGS, and their parser.
 *
 * @module
 */

import { type FlagSpec, type FlagValues, int, num, str } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { parseGoodput, type Slo } from "../../../stats/goodput.ts";
import { endpointUrl, parseApi } from "../../../workload/openai_request.ts";
import { parseTokenLength } from "../../../workload/synthetic_prompts.ts";
import { isProtocolApi } from "../protocol/flags.ts";
import type { LlmRunOptions, ScrapeOptions, SyntheticSpec } from "./options.ts";

/** The LLM flags, to spread into RUN_FLAGS. */
export const LLM_FLAGS: FlagSpec = {
  api: {
    type: "string",
    arg: "API",
    help: "openai-chat, openai-completions, kserve-v2, openai-embeddings,\n" +
      "tei-embed, rerank, tei-rerank, or raw (default: bodies as given);\n" +
      "with an API --url may be the server's base URL",
  },
  model: { type: "string", arg: "NAME", help: "--api: the model (default: GET /v1/models)" },
  "max-tokens": {
    type: "string",
    arg: "N",
    help: "--api: max_tokens of prompts that do not set their own",
  },
  temperature: { type: "string", arg: "T", help: "--api: temperature sent" },
  "ignore-eos": { type: "boolean", help: "--api: send ignore_eos (vLLM): exactly max_tokens" },
  synthetic: {
    type: "string",
    arg: "SPEC",
    help: "--api: synthetic prompts, 'input=MEAN[,spread=S][,min=A]\n" +
      "[,max=B],output=MEAN[,...]' tokens (else --dataset: JSONL\n" +
      "prompts or ShareGPT, recognized by shape)",
  },
  tokenizer: {
    type: "string",
    arg: "FILE",
    help: "--api: the model's Hugging Face tokenizer.json, counting\n" +
      "tokens a server sends no usage for (default: one output\n" +
      "token a content chunk)",
  },
  goodput: {
    type: "string",
    arg: "SLOS",
    help: "per-request SLOs, 'ttft<=200,tpot<=50,e2e<=2000' (ms):\n" +
      "goodput_ratio and goodput_per_s, gateable",
  },
  scrape: {
    type: "string",
    arg: "URL",
    help: "a Prometheus /metrics read before, during and after the\n" +
      "phase: counters as deltas, gauges as series (failures warn)",
  },
  "scrape-interval": {
    type: "string",
    arg: "S",
    help: "--scrape: seconds between reads (default 1)",
  },
};

/** What the LLM flags give `run`. */
export interface LlmFlags {
  llm: LlmRunOptions | null;
  goodput: Slo[] | null;
  scrape: ScrapeOptions | null;
}

const API_ONLY = [
  "model",
  "max-tokens",
  "temperature",
  "ignore-eos",
  "synthetic",
  "tokenizer",
] as const;

/** Parses the LLM flags; `url` is the parsed --url. Throws {@linkcode UsageError}. */
export function parseLlmFlags(values: FlagValues, url: string): LlmFlags & { url: string } {
  // The model-server protocols (kserve-v2) are parsed by lib/commands/run/protocol/flags.ts.
  const protocol = isProtocolApi(values.api);
  const api = values.api === undefined || protocol ? "raw" : parseApi(str(values, "api", ""));
  if (api === "raw" && !protocol) {
    for (const flag of API_ONLY) {
      if (values[flag] !== undefined) {
        throw new UsageError(`Cannot use --${flag} without --api openai-chat|openai-completions`);
      }
    }
  }
  let llm: LlmRunOptions | null = null;
  if (api !== "raw") {
    if (values.synthetic !== undefined && values.dataset !== undefined) {
      throw new UsageError("Cannot use --synthetic with --dataset (one prompt source)");
    }
    const source = values.synthetic ?? values.dataset ?? values.trace ?? values.conversations;
    if (source === undefined) {
      throw new UsageError(
        `Cannot use --api ${api} without prompts: give --dataset, --synthetic, --trace or --conversations`,
      );
    }
    if (values.body !== undefined) throw new UsageError(`Cannot use --body with --api ${api}`);
    llm = {
      api,
      model: values.model === undefined ? null : str(values, "model", ""),
      ignoreEos: values["ignore-eos"] === true,
      synthetic: values.synthetic === undefined
        ? null
        : parseSynthetic(str(values, "synthetic", "")),
    };
    if (values["max-tokens"] !== undefined) llm.maxTokens = int(values, "max-tokens", 1);
    if (values.temperature !== undefined) llm.temperature = num(values, "temperature", 0, true);
    if (values.tokenizer !== undefined) llm.tokenizer = str(values, "tokenizer", "");
    if (llm.model === "") throw new UsageError("Cannot parse --model: it is empty");
  }
  if (values["scrape-interval"] !== undefined && values.scrape === undefined) {
    throw new UsageError("Cannot use --scrape-interval without --scrape");
  }
  const scrape = values.scrape === undefined ? null : {
    url: parseScrapeUrl(str(values, "scrape", "")),
    intervalMs: num(values, "scrape-interval", 1) * 1000,
  };
  return {
    llm,
    goodput: values.goodput === undefined ? null : parseGoodput(str(values, "goodput", "")),
    scrape,
    url: llm === null ? url : endpointUrl(url, llm.api),
  };
}

/**
 * Parses `--synthetic 'input=MEAN[,spread=S][,min=A][,max=B],output=MEAN[,...]'`:
 * each part's options follow it up to the next `input=` or `output=`.
 */
export function parseSynthetic(text: string): SyntheticSpec {
  const parts: Record<string, string[]> = {};
  let current: string[] | null = null;
  for (const piece of text.split(",").map((s) => s.trim())) {
    const m = /^(input|output)=(.*)$/.exec(piece);
    if (m) {
      if (parts[m[1]!]) throw new UsageError(`Cannot parse --synthetic: "${m[1]}" is given twice`);
      current = parts[m[1]!] = [m[2]!];
    } else if (current) current.push(piece);
    else {
      throw new UsageError(
        `Cannot parse --synthetic: "${text}" does not start with input=MEAN or output=MEAN`,
      );
    }
  }
  if (!parts.input || !parts.output) {
    throw new UsageError(`Cannot parse --synthetic: "${text}" needs input=MEAN and output=MEAN`);
  }
  return {
    input: parseTokenLength(parts.input.join(","), "synthetic input"),
    output: parseTokenLength(parts.output.join(","), "synthetic output"),
  };
}

function parseScrapeUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch { /* reported below */ }
  throw new UsageError(`Cannot parse --scrape: "${text}" is not an http(s) URL`);
}
