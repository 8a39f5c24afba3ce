/**
 * A fixed-size latency histogram with logarithmic buckets, for a running
 * percentile while a phase is under way: recording a value is O(1) (one
 * logarithm and an increment), so it can sit on the runner's per-sample
 * path; reading a percentile walks the buckets, at display rate only.
 *
 * Buckets grow by 1% from 1 microsecond, so a percentile read here is within
 * about 1% of the exact one. The exact figures come from the logs afterwards
 * (`stats.ts`); this one is for the progress line.
 *
 * @example
 * ```ts
 * const h = new RunningHistogram();
 * for (const ms of [10, 20, 30]) h.record(ms);
 * h.percentile(95); // ~30
 * ```
 *
 * @module
 */

const MIN_MS = 0.001;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Enough buckets to reach past 10^7 ms (about 2.8 hours). */
const BUCKETS = Math.ceil(Math.log(1e7 / MIN_MS) / LOG_GROWTH) + 1;

/** Counts latencies in logarithmic buckets. */
export class RunningHistogram {
  #counts = new Uint32Array(BUCKETS);
  #count = 0;
  #min = Infinity;
  #max = -Infinity;

  /** Values recorded so far. */
  get count(): number {
    return this.#count;
  }

  /** Records one latency in ms. O(1). */
  record(ms: number): void {
    const v = Number.isFinite(ms) && ms > MIN_MS ? ms : MIN_MS;
    const i = Math.min(BUCKETS - 1, Math.ceil(Math.log(v / MIN_MS) / LOG_GROWTH));
    this.#counts[i]!++;
    this.#count++;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /**
   * The p-th percentile (0..100) by nearest rank, as its bucket's upper
   * bound clamped to the values seen; NaN when empty.
   */
  percentile(p: number): number {
    if (this.#count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) {
        const upper = MIN_MS * GROWTH ** i;
        return Math.min(this.#max, Math.max(this.#min, upper));
      }
    }
    return this.#max;
  }
}
