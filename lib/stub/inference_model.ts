/**
 * The stub's model of an inference server: what it answers (a pure function
 * of the request) and when (the {@linkcode Batcher}'s steps).
 *
 * The answer: a request's digest (of its model and prompt or messages) seeds
 * a natural reply length in `outputTokens` (the point where the model would
 * emit end-of-sequence) and the reply's words, drawn from a vocabulary of
 * one-token words, so the reply's token count is exact. The reply is cut at
 * `max_tokens` (`finish_reason` "length"), or ends naturally ("stop");
 * `ignore_eos` generates exactly `max_tokens`.
 *
 * The handler modes: `serialized`, one sequence at a time in arrival order
 * (a batcher of one); `batched`, continuous batching up to `maxBatch`;
 * `concurrent`, every sequence on its own, without queue or interaction.
 *
 * @module
 */

import { sha256HexSync } from "../base/hash.ts";
import { mulberry32 } from "../stats/random.ts";
import { SINGLE_TOKEN_WORDS } from "../workload/vocabulary.ts";
import {
  Batcher,
  type BatcherCounters,
  type Clock,
  type Generation,
  REAL_CLOCK,
  type StepCost,
} from "./batcher.ts";

/** How the model schedules sequences. */
export type LlmMode = "serialized" | "concurrent" | "batched";

/** The modes, for validation and help text. */
export const LLM_MODES: readonly LlmMode[] = ["serialized", "concurrent", "batched"];

/** Options of {@linkcode InferenceModel}. */
export interface InferenceModelOptions extends StepCost {
  mode: LlmMode;
  /** Most sequences in a batch (`batched`). */
  maxBatch: number;
  /** KV cache size in tokens: the denominator of the cache usage gauge. */
  kvCapacityTokens: number;
  /** Injected by tests; the real clock by default. */
  clock?: Clock;
}

/** A reply: its tokens (one word each, the first without a leading space) and why it ended. */
export interface Reply {
  pieces: string[];
  finishReason: "length" | "stop";
}

/** What decides a reply. */
export interface ReplyRequest {
  /** Canonical text of the input (model and prompt or messages); its digest seeds the reply. */
  input: string;
  maxTokens?: number;
  ignoreEos?: boolean;
  /** Range of the natural reply length, tokens. */
  outputTokens: [number, number];
}

/** The reply to a request: a pure function of it (see the module doc). */
export function replyFor(r: ReplyRequest): Reply {
  const digest = sha256HexSync(r.input);
  const rand = mulberry32(parseInt(digest.slice(0, 8), 16));
  const [lo, hi] = r.outputTokens;
  const natural = lo + Math.floor(rand() * (hi - lo + 1));
  const cut = r.maxTokens !== undefined && (r.ignoreEos || r.maxTokens <= natural);
  const n = cut ? r.maxTokens! : natural;
  const pieces: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const word = SINGLE_TOKEN_WORDS[Math.floor(rand() * SINGLE_TOKEN_WORDS.length)]!;
    pieces[i] = i === 0 ? word : ` ${word}`;
  }
  return { pieces, finishReason: cut ? "length" : "stop" };
}

/** Gauges and counters of the model, as `/metrics` serves them. */
export interface ModelMetrics extends BatcherCounters {
  running: number;
  waiting: number;
  /** Share of the KV cache the running sequences hold, 0 to 1. */
  kvCacheUsage: number;
  /** Finished sequences by finish reason. */
  finishedBy: { length: number; stop: number };
}

/** The scheduling half of the model. */
export class InferenceModel {
  readonly counters: BatcherCounters = { promptTokens: 0, generationTokens: 0, finished: 0 };
  readonly #finishedBy = { length: 0, stop: 0 };
  readonly #shared: Batcher | undefined;
  readonly #own = new Set<Batcher>();

  constructor(readonly options: InferenceModelOptions) {
    if (options.mode !== "concurrent") {
      this.#shared = this.#batcher(options.mode === "batched" ? options.maxBatch : 1);
    }
  }

  #batcher(maxBatch: number): Batcher {
    const { prefillMsPerToken, decodeMs, batchCost } = this.options;
    return new Batcher({
      maxBatch,
      cost: { prefillMsPerToken, decodeMs, batchCost },
      clock: this.options.clock ?? REAL_CLOCK,
      counters: this.counters,
    });
  }

  /**
   * Starts generating `outputTokens` tokens after a prompt of `promptTokens`,
   * of which `cachedTokens` come from the prefix cache (not prefilled).
   */
  submit(
    promptTokens: number,
    outputTokens: number,
    reason: Reply["finishReason"],
    cachedTokens = 0,
  ): Generation {
    let batcher = this.#shared;
    if (!batcher) {
      const own = this.#batcher(1);
      this.#own.add(own);
      batcher = own;
    }
    const g = batcher.submit(promptTokens, outputTokens, promptTokens - cachedTokens);
    g.done.then(() => {
      if (!this.#shared) this.#own.delete(batcher);
      if (!g.cancelled) this.#finishedBy[reason]++;
    });
    return g;
  }

  /** The gauges and counters now. */
  metrics(): ModelMetrics {
    const batchers = this.#shared ? [this.#shared] : [...this.#own];
    let running = 0;
    let waiting = 0;
    let held = 0;
    for (const b of batchers) {
      running += b.running;
      waiting += b.waiting;
      held += b.heldTokens;
    }
    return {
      ...this.counters,
      running,
      waiting,
      kvCacheUsage: Math.min(1, held / this.options.kvCapacityTokens),
      finishedBy: { ...this.#finishedBy },
    };
  }
}
