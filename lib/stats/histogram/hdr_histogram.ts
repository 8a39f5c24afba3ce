/**
 * An HdrHistogram of latencies: 3 significant digits from 1 µs to 1 hour in
 * fixed memory (23,552 counts, 184 KB), for runs too long to keep every latency.
 *
 * The bucket layout is HdrHistogram's own (lowest discernible value 1 µs,
 * highest trackable 3,600,000,000 µs, 3 significant digits), so its counts
 * encode to the V2 format that HdrHistogram's tools read (`hdr_encoding.ts`).
 * Values are kept as whole microseconds: below 2,048 µs every microsecond has
 * its own count; above, a value v shares a bucket whose width is at most
 * v / 1024.
 *
 * Precision: {@linkcode HdrHistogram.valueAtPercentile} uses the same rank as
 * `stats.ts` (`rank = p/100 * (n - 1)`, linear between the two closest ranks),
 * with each order statistic stood in for by the middle of its bucket. So it is
 * within half a bucket of the exact percentile: at most
 * `max(0.0005 ms, x / 2048)` where x is the larger of the two order statistics,
 * i.e. 0.5 µs or 0.049 %. (HdrHistogram's Java `getValueAtPercentile` instead
 * returns the top of the bucket at the nearest rank.)
 *
 * @example
 * ```ts
 * const h = new HdrHistogram();
 * for (const ms of [10, 20, 30]) h.record(ms);
 * h.valueAtPercentile(50); // 20 (within 0.01 ms)
 * ```
 *
 * @module
 */

/** Significant decimal digits kept. */
export const SIGNIFICANT_DIGITS = 3;
/** Smallest distinguishable value, µs. */
export const LOWEST_DISCERNIBLE_US = 1;
/** Largest value kept apart from the rest, µs (1 hour); larger ones are clamped to it. */
export const HIGHEST_TRACKABLE_US = 3_600_000_000;

// HdrHistogram's layout for (1, 3.6e9, 3): 2 * 10^3 values at unit resolution need
// 2^11 sub-buckets; 22 buckets of 1024 halves, plus the first half, cover 2^32.
const SUB_BUCKET_COUNT_MAGNITUDE = 11;
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
const SUB_BUCKET_MASK = (1 << SUB_BUCKET_COUNT_MAGNITUDE) - 1;
const BUCKET_COUNT = 22;
/** What a summary says about percentiles read from this histogram (see docs/histogram.md). */
export const HISTOGRAM_PRECISION =
  "HdrHistogram, 3 significant digits, 1 us to 1 h: each percentile within " +
  "max(0.5 us, 0.049 %) of the exact one";

/** Length of the counts array. */
export const COUNTS_LENGTH = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

/** The counts index of a whole number of µs in 0..2^32-1. */
export function countsIndex(us: number): number {
  const bucket = 32 - SUB_BUCKET_COUNT_MAGNITUDE - Math.clz32(us | SUB_BUCKET_MASK);
  const sub = us >>> bucket;
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub - SUB_BUCKET_HALF_COUNT;
}

/** The lowest µs value and the width (µs) of the bucket at counts index `i`. */
export function bucketAt(i: number): { lowUs: number; widthUs: number } {
  let bucket = (i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sub = (i & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  const widthUs = 2 ** bucket;
  return { lowUs: sub * widthUs, widthUs };
}

/** Middle of bucket `i` in ms: the value that stands in for every value counted there. */
function midMs(i: number): number {
  const { lowUs, widthUs } = bucketAt(i);
  return (lowUs + (widthUs - 1) / 2) / 1000;
}

/** A latency histogram with HdrHistogram's layout; record in ms. */
export class HdrHistogram {
  /** Counts per bucket, HdrHistogram's index order. */
  readonly counts: Float64Array = new Float64Array(COUNTS_LENGTH);
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;
  #clamped = 0;

  /** Values recorded. */
  get count(): number {
    return this.#count;
  }

  /** Values above 1 hour, counted at 1 hour. */
  get clamped(): number {
    return this.#clamped;
  }

  /** Smallest value recorded, ms (exact; bucket-precise after decoding); NaN when empty. */
  get min(): number {
    return this.#count === 0 ? NaN : this.#min;
  }

  /** Largest value recorded, ms (exact; bucket-precise after decoding); NaN when empty. */
  get max(): number {
    return this.#count === 0 ? NaN : this.#max;
  }

  /** Mean of the values recorded, ms (exact; bucket-precise after decoding); NaN when empty. */
  get mean(): number {
    return this.#count === 0 ? NaN : this.#sum / this.#count;
  }

  /**
   * Records one latency in ms, `times` times. O(1).
   *
   * @throws {RangeError} for a negative or non-finite value.
   */
  record(ms: number, times = 1): void {
    if (!(ms >= 0) || ms === Infinity) {
      throw new RangeError(`Cannot record latency ${ms} ms: not a finite value >= 0`);
    }
    let us = Math.round(ms * 1000);
    if (us > HIGHEST_TRACKABLE_US) {
      us = HIGHEST_TRACKABLE_US;
      this.#clamped += times;
    }
    this.counts[countsIndex(us)]! += times;
    this.#count += times;
    this.#sum += ms * times;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
  }

  /** Empties the histogram (an interval's histogram, once logged and merged). */
  reset(): void {
    this.counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    this.#clamped = 0;
  }

  /** Adds every count of `other` to this histogram. */
  merge(other: HdrHistogram): void {
    const a = this.counts;
    const b = other.counts;
    for (let i = 0; i < COUNTS_LENGTH; i++) a[i]! += b[i]!;
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#clamped += other.#clamped;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
  }

  /**
   * The p-th percentile (0..100) in ms, numpy's linear definition over the
   * bucket middles; within {@linkcode halfBucketMs} of the exact one. NaN when empty.
   */
  valueAtPercentile(p: number): number {
    if (!(p >= 0 && p <= 100)) {
      throw new RangeError(`Cannot take percentile ${p}: not within 0..100`);
    }
    if (this.#count === 0) return NaN;
    const rank = (p / 100) * (this.#count - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    let seen = 0;
    let loMs = NaN;
    for (let i = 0; i < COUNTS_LENGTH; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      seen += c;
      if (Number.isNaN(loMs) && seen > lo) loMs = midMs(i);
      if (seen > hi) return loMs + (midMs(i) - loMs) * (rank - lo);
    }
    return midMs(countsIndex(HIGHEST_TRACKABLE_US));
  }

  /** Sets the totals from the counts alone, as after decoding: min, max and mean by bucket middles. */
  restoreTotalsFromCounts(): void {
    this.#count = 0;
    this.#sum = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    for (let i = 0; i < COUNTS_LENGTH; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      const m = midMs(i);
      this.#count += c;
      this.#sum += m * c;
      if (m < this.#min) this.#min = m;
      this.#max = m;
    }
  }

  /** Largest value recorded, in whole µs as stored (the encoding's max); 0 when empty. */
  maxUs(): number {
    for (let i = COUNTS_LENGTH - 1; i >= 0; i--) {
      if (this.counts[i]! > 0) {
        const { lowUs, widthUs } = bucketAt(i);
        return lowUs + widthUs - 1;
      }
    }
    return 0;
  }
}

/**
 * Half the width of the bucket holding `ms`, in ms: the most a value read
 * back from the histogram can differ from the one recorded (0.0005 ms below
 * 2.048 ms, at most ms / 2048 above).
 */
export function halfBucketMs(ms: number): number {
  const us = Math.min(HIGHEST_TRACKABLE_US, Math.max(0, Math.round(ms * 1000)));
  return bucketAt(countsIndex(us)).widthUs / 2 / 1000;
}
