/**
 * Samples kept compactly while a phase runs: a latency (Float64Array) and an
 * ok flag (Uint8Array) per request, plus running counts, instead of one
 * object per request. A million requests take about 9 MB, and
 * {@linkcode SampleStore.summary} gives the same {@linkcode PhaseSummary} as
 * {@linkcode summarize} over the same samples read back from the CSV log
 * (times are kept rounded to the microsecond, as the log writes them).
 *
 * @example
 * ```ts
 * const store = new SampleStore();
 * store.add(sample);           // as each request completes
 * store.summary().p95;
 * ```
 *
 * @module
 */

import type { Sample } from "./sample.ts";
import { percentile, type PhaseSummary } from "./stats.ts";
import { roundMs } from "./time_ms.ts";

/** Streaming store of a phase's samples. */
export class SampleStore {
  #latency: Float64Array;
  #ok: Uint8Array;
  #n = 0;
  #okCount = 0;
  #sum = 0;
  #first = Infinity;
  #last = -Infinity;
  #errors: Record<string, number> = {};

  /** `capacity`: expected samples (the store grows past it when needed). */
  constructor(capacity = 1024) {
    const cap = Number.isFinite(capacity)
      ? Math.min(Math.max(16, Math.floor(capacity)), 1 << 20)
      : 1024;
    this.#latency = new Float64Array(cap);
    this.#ok = new Uint8Array(cap);
  }

  /** A store holding `samples`, in order. */
  static from(samples: Iterable<Sample>): SampleStore {
    const store = new SampleStore();
    for (const s of samples) store.add(s);
    return store;
  }

  /** Records one completed request. */
  add(s: Sample): void {
    if (this.#n === this.#latency.length) this.#grow();
    const latency = roundMs(s.latencyMs);
    const sent = roundMs(s.sentMs);
    this.#latency[this.#n] = latency;
    this.#ok[this.#n] = s.ok ? 1 : 0;
    this.#n++;
    if (s.ok) this.#okCount++;
    else {
      const kind = s.error || "unknown";
      this.#errors[kind] = (this.#errors[kind] ?? 0) + 1;
    }
    this.#sum += latency;
    if (sent < this.#first) this.#first = sent;
    if (sent + latency > this.#last) this.#last = sent + latency;
  }

  /** Samples recorded. */
  get size(): number {
    return this.#n;
  }

  /** Latencies in ms, in completion order (a view: copy it before changing it). */
  latencies(): Float64Array {
    return this.#latency.subarray(0, this.#n);
  }

  /** 1 where the request succeeded, 0 where it failed; same order as {@linkcode latencies}. */
  okFlags(): Uint8Array {
    return this.#ok.subarray(0, this.#n);
  }

  /** The phase's summary, as {@linkcode summarize} computes it. */
  summary(): PhaseSummary {
    const n = this.#n;
    const lat = this.latencies();
    const ok = this.okFlags();
    const all = lat.slice().sort();
    // Most phases have no failure: then the sorted copy serves both, and a
    // million-request summary needs one 8 MB copy, not two.
    let okOnly = all;
    if (this.#okCount < n) {
      okOnly = new Float64Array(this.#okCount);
      for (let i = 0, j = 0; i < n; i++) if (ok[i] === 1) okOnly[j++] = lat[i]!;
      okOnly.sort();
    }
    const durationS = n === 0 ? 0 : (this.#last - this.#first) / 1000;
    return {
      requests: n,
      ok: this.#okCount,
      failed: n - this.#okCount,
      error_rate: n === 0 ? 0 : (n - this.#okCount) / n,
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      mean: n === 0 ? NaN : this.#sum / n,
      max: n === 0 ? NaN : all[n - 1]!,
      min: n === 0 ? NaN : all[0]!,
      ok_p50: percentile(okOnly, 50),
      ok_p95: percentile(okOnly, 95),
      ok_p99: percentile(okOnly, 99),
      throughput: durationS > 0 ? n / durationS : 0,
      duration_s: durationS,
      errors: { ...this.#errors },
    };
  }

  #grow(): void {
    const cap = this.#latency.length * 2;
    const latency = new Float64Array(cap);
    latency.set(this.#latency);
    const ok = new Uint8Array(cap);
    ok.set(this.#ok);
    this.#latency = latency;
    this.#ok = ok;
  }
}
