/**
 * Samples kept compactly while a phase runs: a latency in whole microseconds
 * (Uint32Array) and an ok flag (Uint8Array) per request, plus running
 * counts, instead of one object per request. A million requests take 5 MB, and
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
import type { PhaseSummary } from "./stats.ts";
import { PhaseTally } from "./phase_tally.ts";
import { roundMs } from "./time_ms.ts";

/** Largest latency a Uint32Array of microseconds holds (71 minutes). */
const MAX_U32 = 0xffff_ffff;

/** Sorted microseconds seen as milliseconds, for {@linkcode percentile}. */
function asMs(sortedUs: Uint32Array | Float64Array): ArrayLike<number> {
  return new Proxy(sortedUs, {
    get: (target, key) => key === "length" ? target.length : target[Number(key as string)]! / 1000,
  }) as unknown as ArrayLike<number>;
}

/** Streaming store of a phase's samples. */
export class SampleStore {
  /** Latencies in whole microseconds; a Float64Array once one does not fit 32 bits. */
  #us: Uint32Array | Float64Array;
  #ok: Uint8Array;
  #n = 0;
  #okCount = 0;
  #tally = new PhaseTally();
  #sorted: { all: ArrayLike<number>; ok: ArrayLike<number> } | null = null;

  /** `capacity`: expected samples (the store grows past it when needed). */
  constructor(capacity = 1024) {
    const cap = Number.isFinite(capacity)
      ? Math.min(Math.max(16, Math.floor(capacity)), 1 << 20)
      : 1024;
    this.#us = new Uint32Array(cap);
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
    this.#sorted = null;
    if (this.#n === this.#us.length) this.#grow(this.#us.length * 2);
    const us = Math.round(s.latencyMs * 1000);
    if (!(us >= 0 && us <= MAX_U32) && this.#us instanceof Uint32Array) {
      this.#us = Float64Array.from(this.#us);
    }
    const latency = us / 1000; // = roundMs(s.latencyMs), the log's value
    const sent = roundMs(s.sentMs);
    this.#us[this.#n] = us;
    this.#ok[this.#n] = s.ok ? 1 : 0;
    this.#n++;
    if (s.ok) this.#okCount++;
    this.#tally.add(s, latency, sent);
  }

  /** Samples recorded. */
  get size(): number {
    return this.#n;
  }

  /** Latencies in ms (to the microsecond), in completion order: a new array. */
  latencies(): Float64Array {
    const out = new Float64Array(this.#n);
    for (let i = 0; i < this.#n; i++) out[i] = this.#us[i]! / 1000;
    return out;
  }

  /** 1 where the request succeeded, 0 where it failed; same order as {@linkcode latencies}. */
  okFlags(): Uint8Array {
    return this.#ok.subarray(0, this.#n);
  }

  /**
   * Ascending latencies in ms, all and successes only: views over one sorted
   * copy of the store (no per-value arrays), cached until the next add.
   */
  sortedMs(): { all: ArrayLike<number>; ok: ArrayLike<number> } {
    if (this.#sorted) return this.#sorted;
    const n = this.#n;
    const us = this.#us.subarray(0, n);
    const ok = this.okFlags();
    const sorted = us.slice().sort();
    // Most phases have no failure: then one sorted copy serves both.
    let okSorted = sorted;
    if (this.#okCount < n) {
      okSorted = this.#us instanceof Uint32Array
        ? new Uint32Array(this.#okCount)
        : new Float64Array(this.#okCount);
      for (let i = 0, j = 0; i < n; i++) if (ok[i] === 1) okSorted[j++] = us[i]!;
      okSorted.sort();
    }
    this.#sorted = { all: asMs(sorted), ok: asMs(okSorted) };
    return this.#sorted;
  }

  /** The phase's summary, as {@linkcode summarize} computes it. */
  summary(): PhaseSummary {
    const { all, ok } = this.sortedMs();
    return this.#tally.summary({ all, ok });
  }

  #grow(capacity: number): void {
    const us = this.#us instanceof Uint32Array
      ? new Uint32Array(capacity)
      : new Float64Array(capacity);
    us.set(this.#us);
    const ok = new Uint8Array(capacity);
    ok.set(this.#ok);
    this.#us = us;
    this.#ok = ok;
  }
}
