/**
 * The stub's model of an inference engine's scheduler: continuous batching
 * in steps, as vLLM schedules.
 *
 * A step admits waiting sequences, first come first served, while the batch
 * holds fewer than `maxBatch`; it lasts the prefill of every sequence it
 * admits (`prefillMsPerToken` x prompt tokens, summed) plus, when sequences
 * were already running, one decode step for them, whose time grows with the
 * batch: `decodeMs x (1 + batchCost x (running - 1))`. At its end each
 * admitted sequence has its first token and each running one its next token;
 * a sequence with all its tokens leaves. With `maxBatch` 1 this is one
 * sequence at a time, in arrival order.
 *
 * Steps follow a modelled clock (sleeping to absolute times), so timer
 * lateness does not add up. A sequence's timings: `queueMs` from its arrival
 * to the start of the step that admitted it (measured), `prefillMs` that
 * step's modelled length, `decodeMs` the modelled length of the steps after
 * it; their sum is the sequence's time in the server.
 *
 * @module
 */

/** The cost model of a step. */
export interface StepCost {
  /** Prefill time per prompt token, ms. */
  prefillMsPerToken: number;
  /** Decode step time with one sequence running, ms. */
  decodeMs: number;
  /** Share of `decodeMs` each further running sequence adds to a decode step. */
  batchCost: number;
}

/** A clock: the time in ms, and a wait. Tests inject a virtual one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const REAL_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** Prefill time of a prompt, ms. */
export function prefillMs(promptTokens: number, cost: StepCost): number {
  return promptTokens * cost.prefillMsPerToken;
}

/** Time of a decode step for `batch` running sequences, ms. */
export function decodeStepMs(batch: number, cost: StepCost): number {
  return cost.decodeMs * (1 + cost.batchCost * (batch - 1));
}

/** Where a sequence's time went, ms. */
export interface SequenceTiming {
  queueMs: number;
  prefillMs: number;
  decodeMs: number;
}

/** Counters shared by every batcher of a model (served at `/metrics`). */
export interface BatcherCounters {
  promptTokens: number;
  generationTokens: number;
  /** Finished sequences. */
  finished: number;
}

/** A sequence being generated. */
export class Generation {
  /** Tokens generated so far. */
  produced = 0;
  /** Set when the client went away. */
  cancelled = false;
  readonly timing: SequenceTiming = { queueMs: 0, prefillMs: 0, decodeMs: 0 };
  readonly #first = Promise.withResolvers<SequenceTiming>();
  readonly #done = Promise.withResolvers<SequenceTiming>();
  #wake = Promise.withResolvers<void>();

  constructor(
    readonly promptTokens: number,
    readonly outputTokens: number,
    readonly arrivedAt: number,
    /** Prompt tokens to prefill: those not served from the prefix cache. */
    readonly prefillTokens: number = promptTokens,
  ) {}

  /** Resolves with the timing (decode still 0) when the first token exists. */
  get first(): Promise<SequenceTiming> {
    return this.#first.promise;
  }

  /** Resolves with the timing when the last token exists (or the sequence was cancelled). */
  get done(): Promise<SequenceTiming> {
    return this.#done.promise;
  }

  /** Resolves true once token `k` (from 0) exists; false when it never will (cancelled). */
  async token(k: number): Promise<boolean> {
    while (this.produced <= k) {
      if (this.cancelled) return false;
      await this.#wake.promise;
    }
    return true;
  }

  /** Stops the sequence: the batcher drops it at its next step. */
  cancel(): void {
    this.cancelled = true;
    this.#settle();
  }

  /** Records one more token (called by the batcher). */
  emit(): void {
    this.produced++;
    if (this.produced === 1) this.#first.resolve({ ...this.timing });
    if (this.produced >= this.outputTokens) this.#settle();
    const wake = this.#wake;
    this.#wake = Promise.withResolvers<void>();
    wake.resolve();
  }

  #settle(): void {
    this.#first.resolve({ ...this.timing });
    this.#done.resolve({ ...this.timing });
    this.#wake.resolve();
  }
}

/** Options of {@linkcode Batcher}. */
export interface BatcherOptions {
  /** Most sequences in a batch. */
  maxBatch: number;
  cost: StepCost;
  clock: Clock;
  counters: BatcherCounters;
}

/** A continuous-batching scheduler (see the module doc). */
export class Batcher {
  readonly #waiting: Generation[] = [];
  #running: Generation[] = [];
  #looping = false;
  #t = 0;

  constructor(readonly options: BatcherOptions) {}

  /** Sequences in the batch. */
  get running(): number {
    return this.#running.length;
  }

  /** Sequences waiting to be admitted. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Tokens the running sequences hold (prompt and generated): the KV cache's content. */
  get heldTokens(): number {
    let n = 0;
    for (const g of this.#running) n += g.promptTokens + g.produced;
    return n;
  }

  /**
   * Queues a sequence of `promptTokens` that will generate `outputTokens` (at
   * least 1); its prefill costs `prefillTokens` (default all: no cached prefix).
   */
  submit(promptTokens: number, outputTokens: number, prefillTokens = promptTokens): Generation {
    const now = this.options.clock.now();
    const g = new Generation(promptTokens, Math.max(1, outputTokens), now, prefillTokens);
    this.#waiting.push(g);
    if (!this.#looping) {
      this.#looping = true;
      // Start on the next microtask, so sequences submitted together share the first step.
      queueMicrotask(() => void this.#loop());
    }
    return g;
  }

  async #loop(): Promise<void> {
    const { clock, cost, maxBatch, counters } = this.options;
    this.#t = Math.max(this.#t, clock.now());
    for (;;) {
      this.#running = this.#running.filter((g) => !g.cancelled);
      const admitted: Generation[] = [];
      while (this.#waiting.length > 0 && this.#running.length + admitted.length < maxBatch) {
        const g = this.#waiting.shift()!;
        if (!g.cancelled) admitted.push(g);
      }
      if (admitted.length === 0 && this.#running.length === 0) break;
      let stepMs = this.#running.length > 0 ? decodeStepMs(this.#running.length, cost) : 0;
      for (const g of admitted) {
        g.timing.queueMs = Math.max(0, this.#t - g.arrivedAt);
        stepMs += prefillMs(g.prefillTokens, cost);
      }
      this.#t += stepMs;
      const wait = this.#t - clock.now();
      if (wait > 0) await clock.sleep(wait);
      for (const g of this.#running) {
        g.timing.decodeMs += stepMs;
        g.emit();
      }
      for (const g of admitted) {
        g.timing.prefillMs = stepMs;
        counters.promptTokens += g.promptTokens;
        g.emit();
      }
      counters.generationTokens += this.#running.length + admitted.length;
      this.#running.push(...admitted);
      const finished = this.#running.filter((g) => g.produced >= g.outputTokens);
      counters.finished += finished.length;
      this.#running = this.#running.filter((g) => g.produced < g.outputTokens);
    }
    this.#looping = false;
  }
}
