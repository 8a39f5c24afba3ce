/**
 * The bounded-memory sample store (`--histogram`): the same interface as
 * {@linkcode SampleStore}, but latencies are counted in two HdrHistograms
 * (all requests, successes only) of fixed size (2 x 184 KB) instead of kept
 * one by one, so a run of any length holds the same memory.
 *
 * {@linkcode HistogramStore.sortedMs} gives the order statistics as views
 * that read each rank's value from the histogram (the middle of the bucket
 * holding it), so the summary's percentiles and the binomial intervals come
 * out of the same code as the exact store's, each within half a bucket of
 * the exact value: {@linkcode HISTOGRAM_PRECISION}. Min, max, mean, counts
 * and errors stay exact.
 *
 * @example
 * ```ts
 * const store = new HistogramStore();
 * store.add(sample);
 * store.summary().p99; // within max(0.5 us, 0.049 %) of the exact P99
 * ```
 *
 * @module
 */

import { bucketAt, COUNTS_LENGTH, HdrHistogram } from "./hdr_histogram.ts";
import type { Sample } from "../sample.ts";
import type { PhaseSummary } from "../stats.ts";
import { PhaseTally } from "../phase_tally.ts";
import { roundMs } from "../time_ms.ts";

/** What a phase runner needs of a store of latencies: exact or bounded. */
export interface LatencyStore {
  /** Records one completed request. */
  add(s: Sample): void;
  /** Samples recorded. */
  readonly size: number;
  /** Ascending latencies in ms, all and successes only (views; cached until the next add). */
  sortedMs(): { all: ArrayLike<number>; ok: ArrayLike<number> };
  /** The phase's summary. */
  summary(): PhaseSummary;
}

/** A histogram's order statistics as an array-like: `view[k]` is the k-th smallest value. */
function ranksOf(h: HdrHistogram): ArrayLike<number> {
  const ends: number[] = []; // cumulative counts, one per non-empty bucket
  const mids: number[] = [];
  let seen = 0;
  for (let i = 0; i < COUNTS_LENGTH; i++) {
    const c = h.counts[i]!;
    if (c === 0) continue;
    seen += c;
    const { lowUs, widthUs } = bucketAt(i);
    ends.push(seen);
    mids.push((lowUs + (widthUs - 1) / 2) / 1000);
  }
  const at = (k: number): number => {
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > k) hi = mid;
      else lo = mid + 1;
    }
    return mids[lo]!;
  };
  return new Proxy({ length: seen }, {
    get: (target, key) => key === "length" ? target.length : at(Number(key as string)),
  }) as unknown as ArrayLike<number>;
}

/** A phase's latencies in HdrHistograms: fixed memory, percentiles to the histogram's precision. */
export class HistogramStore implements LatencyStore {
  readonly all: HdrHistogram = new HdrHistogram();
  readonly ok: HdrHistogram = new HdrHistogram();
  #tally = new PhaseTally();
  #sorted: { all: ArrayLike<number>; ok: ArrayLike<number> } | null = null;

  /** Records one completed request. O(1). */
  add(s: Sample): void {
    this.#sorted = null;
    const latency = roundMs(s.latencyMs);
    const sent = roundMs(s.sentMs);
    this.all.record(latency);
    if (s.ok) this.ok.record(latency);
    this.#tally.add(s, latency, sent);
  }

  /** Samples recorded. */
  get size(): number {
    return this.all.count;
  }

  /** Order statistics read from the histograms, to their precision. */
  sortedMs(): { all: ArrayLike<number>; ok: ArrayLike<number> } {
    this.#sorted ??= { all: ranksOf(this.all), ok: ranksOf(this.ok) };
    return this.#sorted;
  }

  /** The summary: percentiles to the histogram's precision; counts, min, max, mean exact. */
  summary(): PhaseSummary {
    const { all, ok } = this.sortedMs();
    const summary = this.#tally.summary({ all, ok });
    summary.min = this.all.min;
    summary.max = this.all.max;
    return summary;
  }
}
