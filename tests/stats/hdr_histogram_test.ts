import assert from "node:assert/strict";
import {
  bucketAt,
  COUNTS_LENGTH,
  countsIndex,
  halfBucketMs,
  HdrHistogram,
} from "../../lib/stats/histogram/hdr_histogram.ts";
import {
  decode,
  decodeCompressed,
  encode,
  encodeCompressed,
} from "../../lib/stats/histogram/hdr_encoding.ts";
import { percentile, sortedCopy } from "../../lib/stats/stats.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { normalVariate } from "../../lib/stats/variates.ts";
import { hdrJs } from "../_hdr_reference.ts";

/** 100,000 latencies from 0.01 ms to minutes: lognormal body, a slow tail, exact small values. */
function knownLatencies(): number[] {
  const rng = mulberry32(42);
  const out: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const r = rng();
    if (r < 0.01) out.push(Math.round(rng() * 2000) / 1000); // whole µs below 2 ms
    else if (r < 0.02) out.push(1000 + rng() * 200_000); // 1 s .. 201 s
    else out.push(Math.exp(3 + 0.8 * normalVariate(rng))); // ~20 ms body
  }
  return out;
}

const PS = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

Deno.test("valueAtPercentile() is within half a bucket of numpy's linear percentile", () => {
  const values = knownLatencies();
  const h = new HdrHistogram();
  for (const v of values) h.record(v);
  const sorted = sortedCopy(values);
  for (const p of PS) {
    const exact = percentile(sorted, p);
    const hi = sorted[Math.ceil((p / 100) * (sorted.length - 1))]!;
    const got = h.valueAtPercentile(p);
    const bound = halfBucketMs(hi);
    assert.ok(
      Math.abs(got - exact) <= bound + 1e-9,
      `p${p}: ${got} vs exact ${exact}, bound ${bound}`,
    );
    assert.ok(bound <= Math.max(0.0005, hi / 2048) * 1.0001, `p${p}: bound ${bound} too loose`);
  }
});

Deno.test("valueAtPercentile() interpolates between closest ranks like stats.percentile()", () => {
  const h = new HdrHistogram();
  for (const v of [0.1, 0.2, 0.3, 0.4]) h.record(v);
  assert.equal(h.valueAtPercentile(50), 0.25);
  assert.equal(h.valueAtPercentile(100), 0.4);
  assert.equal(h.valueAtPercentile(0), 0.1);
  const one = new HdrHistogram();
  one.record(1.25);
  assert.equal(one.valueAtPercentile(95), 1.25);
  assert.ok(Number.isNaN(new HdrHistogram().valueAtPercentile(50)));
  assert.throws(() => h.valueAtPercentile(101), RangeError);
});

Deno.test("count, min, max and mean are exact while recording", () => {
  const h = new HdrHistogram();
  for (const v of [0.5, 12.25, 3000.125]) h.record(v);
  h.record(2, 3);
  assert.equal(h.count, 6);
  assert.equal(h.min, 0.5);
  assert.equal(h.max, 3000.125);
  assert.equal(h.mean, (0.5 + 12.25 + 3000.125 + 6) / 6);
  assert.ok(Number.isNaN(new HdrHistogram().mean));
});

Deno.test("record() clamps values above 1 hour and refuses negative or non-finite ones", () => {
  const h = new HdrHistogram();
  h.record(5_000_000);
  assert.equal(h.clamped, 1);
  assert.ok(Math.abs(h.valueAtPercentile(100) - 3_600_000) <= halfBucketMs(3_600_000));
  assert.throws(() => h.record(-1), RangeError);
  assert.throws(() => h.record(NaN), RangeError);
  assert.throws(() => h.record(Infinity), RangeError);
});

Deno.test("merge() of two halves equals one histogram of the whole", () => {
  const values = knownLatencies();
  const whole = new HdrHistogram();
  const a = new HdrHistogram();
  const b = new HdrHistogram();
  values.forEach((v, i) => {
    whole.record(v);
    (i % 2 === 0 ? a : b).record(v);
  });
  a.merge(b);
  assert.deepEqual(a.counts, whole.counts);
  assert.equal(a.count, whole.count);
  assert.equal(a.min, whole.min);
  assert.equal(a.max, whole.max);
  for (const p of PS) assert.equal(a.valueAtPercentile(p), whole.valueAtPercentile(p));
});

Deno.test("reset() empties the histogram for the next interval", () => {
  const h = new HdrHistogram();
  h.record(5);
  h.record(5_000_000);
  h.reset();
  assert.equal(h.count, 0);
  assert.equal(h.clamped, 0);
  assert.ok(Number.isNaN(h.max));
  assert.ok(h.counts.every((c) => c === 0));
  h.record(2);
  assert.equal(h.min, 2);
  assert.equal(h.valueAtPercentile(50), 2);
});

Deno.test("the bucket layout is HdrHistogram's for (1 µs, 1 h, 3 digits)", () => {
  const ref = hdrJs.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
  });
  // deno-lint-ignore no-explicit-any
  const js = ref as any;
  assert.equal(js.countsArrayLength, COUNTS_LENGTH);
  for (const us of [0, 1, 1023, 2047, 2048, 2049, 4095, 4096, 123_456, 2 ** 31, 3_600_000_000]) {
    assert.equal(countsIndex(us), js.countsArrayIndex(us), `index of ${us} µs`);
    const { lowUs } = bucketAt(countsIndex(us));
    assert.equal(lowUs, js.lowestEquivalentValue(us), `bucket start of ${us} µs`);
  }
});

Deno.test("encode() then decode() keeps every count", () => {
  const h = new HdrHistogram();
  for (const v of knownLatencies()) h.record(v);
  for (const back of [decode(encode(h)), decodeCompressed(encodeCompressed(h))]) {
    assert.deepEqual(back.counts, h.counts);
    assert.equal(back.count, h.count);
    assert.equal(back.valueAtPercentile(99), h.valueAtPercentile(99));
  }
  const empty = decodeCompressed(encodeCompressed(new HdrHistogram()));
  assert.equal(empty.count, 0);
});

Deno.test("hdr-histogram-js decodes our compressed encoding to the counts it records itself", () => {
  const h = new HdrHistogram();
  const direct = hdrJs.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
  });
  for (const v of knownLatencies()) {
    h.record(v);
    direct.recordValue(Math.round(v * 1000));
  }
  const b64 = btoa(String.fromCharCode(...encodeCompressed(h)));
  // deno-lint-ignore no-explicit-any
  const ref = hdrJs.decodeFromCompressedBase64(b64, 64, false) as any;
  assert.equal(ref.totalCount, h.count);
  assert.equal(ref.maxValue, h.maxUs());
  for (let i = 0; i < COUNTS_LENGTH; i++) {
    if (ref.getCountAtIndex(i) !== h.counts[i]) assert.fail(`count at index ${i} differs`);
  }
  for (const p of [50, 90, 99, 99.9]) {
    assert.equal(ref.getValueAtPercentile(p), direct.getValueAtPercentile(p), `p${p}`);
  }
});

Deno.test("decode() refuses another layout and a foreign cookie", () => {
  const ref = hdrJs.build({ numberOfSignificantValueDigits: 2, bitBucketSize: 64 });
  ref.recordValue(100);
  const bytes = Uint8Array.from(
    atob(hdrJs.encodeIntoCompressedBase64(ref)),
    (c) => c.charCodeAt(0),
  );
  assert.throws(() => decodeCompressed(bytes), /layout/);
  assert.throws(() => decode(new Uint8Array(40)), /cookie/);
});
