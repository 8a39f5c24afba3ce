/**
 * What both latency stores ({@linkcode SampleStore}, {@linkcode HistogramStore})
 * count beside the latencies themselves: failures by error kind, the sum of
 * the latencies, and the span from the first send to the last completion.
 *
 * @module
 */

import type { Sample } from "./sample.ts";
import { type PhaseSummary, summaryOf } from "./stats.ts";

/** Running counts of a phase, O(1) a request. */
export class PhaseTally {
  #sum = 0;
  #first = Infinity;
  #last = -Infinity;
  #errors: Record<string, number> = {};

  /** Counts one request, with its latency and send time as the log holds them (ms). */
  add(s: Sample, latency: number, sent: number): void {
    if (!s.ok) {
      const kind = s.error || "unknown";
      this.#errors[kind] = (this.#errors[kind] ?? 0) + 1;
    }
    this.#sum += latency;
    if (sent < this.#first) this.#first = sent;
    if (sent + latency > this.#last) this.#last = sent + latency;
  }

  /** The phase summary of the sorted latencies (all, and successful only) with these counts. */
  summary(sorted: { all: ArrayLike<number>; ok: ArrayLike<number> }): PhaseSummary {
    const n = sorted.all.length;
    return summaryOf({
      all: sorted.all,
      okOnly: sorted.ok,
      sum: this.#sum,
      durationS: n === 0 ? 0 : (this.#last - this.#first) / 1000,
      errors: { ...this.#errors },
    });
  }
}
