/**
 * When the stub's KServe v2 model runs a request, and the statistics
 * extension's cumulative counters of what it did (Triton's
 * `GET /v2/models/{name}/stats` shape).
 *
 * Each execution takes `inputMs` (compute input), the longest service time
 * of the requests in it (compute infer) and `outputMs` (compute output);
 * every request of an execution is charged the whole of each, as Triton
 * does. `serialized`: one request an execution, in arrival order;
 * `batched`: the requests waiting when the model frees up, up to
 * `maxBatch`, go together; `concurrent`: each request at once, alone. The
 * queue time is the wait for an execution to start. The counters hold
 * measured durations (the timers' own delay included), in nanoseconds.
 *
 * @module
 */

/** How the model schedules requests. */
export type V2Mode = "serialized" | "concurrent" | "batched";

/** A count and a total duration, ns. */
export interface StatDuration {
  count: number;
  ns: number;
}

/** The cumulative counters of one model version. */
export interface V2ModelStats {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: Record<
    "success" | "fail" | "queue" | "compute_input" | "compute_infer" | "compute_output",
    StatDuration
  >;
  batch_stats: Array<{ batch_size: number } & Record<Phase, StatDuration>>;
}

type Phase = "compute_input" | "compute_infer" | "compute_output";

/** One request's measured times, ms. */
export interface V2Timing {
  queueMs: number;
  inputMs: number;
  inferMs: number;
  outputMs: number;
}

/** Options of {@linkcode V2Scheduler}. */
export interface V2SchedulerOptions {
  mode: V2Mode;
  maxBatch: number;
  /** Compute input and compute output of an execution, ms. */
  inputMs: number;
  outputMs: number;
  sleep: (ms: number) => Promise<void>;
  now?: () => number;
}

interface Waiting {
  arrived: number;
  rows: number;
  serviceMs: number;
  done: (t: V2Timing) => void;
}

const zero = (): StatDuration => ({ count: 0, ns: 0 });
const NS = 1e6;

/** Runs requests as the mode says and keeps the counters. */
export class V2Scheduler {
  readonly #o: V2SchedulerOptions;
  readonly #now: () => number;
  readonly #line: Waiting[] = [];
  #busy = false;
  readonly #stats: V2ModelStats;
  readonly #batches = new Map<number, Record<Phase, StatDuration>>();

  constructor(name: string, version: string, options: V2SchedulerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#stats = {
      name,
      version,
      last_inference: 0,
      inference_count: 0,
      execution_count: 0,
      inference_stats: {
        success: zero(),
        fail: zero(),
        queue: zero(),
        compute_input: zero(),
        compute_infer: zero(),
        compute_output: zero(),
      },
      batch_stats: [],
    };
  }

  /** Runs a request of `rows` rows whose service time is `serviceMs`; resolves when done. */
  run(rows: number, serviceMs: number): Promise<V2Timing> {
    const { promise, resolve } = Promise.withResolvers<V2Timing>();
    const w: Waiting = { arrived: this.#now(), rows, serviceMs, done: resolve };
    if (this.#o.mode === "concurrent") void this.#execute([w]);
    else {
      this.#line.push(w);
      if (!this.#busy) void this.#drain();
    }
    return promise;
  }

  /** Counts a request that failed before it was scheduled (bad inputs). */
  failed(ms: number): void {
    const f = this.#stats.inference_stats.fail;
    f.count++;
    f.ns += Math.round(ms * NS);
  }

  /** Counts a request answered `totalMs` after it arrived (the success counters). */
  succeeded(totalMs: number): void {
    const s = this.#stats.inference_stats.success;
    s.count++;
    s.ns += Math.round(totalMs * NS);
    this.#stats.last_inference = Date.now();
  }

  /** The counters now (a copy). */
  stats(): V2ModelStats {
    const batch_stats = [...this.#batches].sort(([a], [b]) => a - b)
      .map(([batch_size, s]) => ({ batch_size, ...structuredClone(s) }));
    return { ...structuredClone(this.#stats), batch_stats };
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    while (this.#line.length > 0) {
      const take = this.#o.mode === "batched" ? this.#o.maxBatch : 1;
      await this.#execute(this.#line.splice(0, take));
    }
    this.#busy = false;
  }

  async #execute(batch: Waiting[]): Promise<void> {
    const { sleep } = this.#o;
    const t0 = this.#now();
    await sleep(this.#o.inputMs);
    const t1 = this.#now();
    await sleep(Math.max(...batch.map((w) => w.serviceMs)));
    const t2 = this.#now();
    await sleep(this.#o.outputMs);
    const t3 = this.#now();
    const rows = batch.reduce((a, w) => a + w.rows, 0);
    this.#count(batch, rows, [t1 - t0, t2 - t1, t3 - t2], t0);
    for (const w of batch) {
      w.done({ queueMs: t0 - w.arrived, inputMs: t1 - t0, inferMs: t2 - t1, outputMs: t3 - t2 });
    }
  }

  #count(batch: Waiting[], rows: number, [input, infer, output]: number[], t0: number): void {
    const s = this.#stats;
    s.execution_count++;
    s.inference_count += rows;
    const is = s.inference_stats;
    const phases: [Phase, number][] = [
      ["compute_input", input!],
      ["compute_infer", infer!],
      ["compute_output", output!],
    ];
    for (const w of batch) {
      is.queue.count++;
      is.queue.ns += Math.round((t0 - w.arrived) * NS);
      for (const [p, ms] of phases) {
        is[p].count++;
        is[p].ns += Math.round(ms * NS);
      }
    }
    let b = this.#batches.get(rows);
    if (!b) {
      b = { compute_input: zero(), compute_infer: zero(), compute_output: zero() };
      this.#batches.set(rows, b);
    }
    for (const [p, ms] of phases) {
      b[p].count++;
      b[p].ns += Math.round(ms * NS);
    }
  }
}
