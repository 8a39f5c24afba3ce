/**
 * `deno bench` of the bounded-memory histogram against HdrHistogram's JS port:
 * recording 10,000 latencies, and reading P50/P95/P99 of 100,000.
 *
 * ```sh
 * deno bench --allow-read=. tests/bench/hdr_bench.ts
 * ```
 *
 * @module
 */

import { HdrHistogram } from "../../lib/stats/histogram/hdr_histogram.ts";
import { encodeCompressed } from "../../lib/stats/histogram/hdr_encoding.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { hdrJs } from "../_hdr_reference.ts";

const rng = mulberry32(7);
const MS = Float64Array.from({ length: 10_000 }, () => 1 + rng() * rng() * 500);
const US = MS.map((ms) => Math.round(ms * 1000));

function jsHistogram(bitBucketSize: 32 | 64 | "packed"): ReturnType<typeof hdrJs.build> {
  return hdrJs.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize,
    useWebAssembly: false,
  });
}

const ours = new HdrHistogram();
const js64 = jsHistogram(64);
Deno.bench("record 10k: loadgate HdrHistogram (ms in)", { group: "record", baseline: true }, () => {
  for (const ms of MS) ours.record(ms);
});
Deno.bench("record 10k: hdr-histogram-js Float64 (µs in)", { group: "record" }, () => {
  for (const us of US) js64.recordValue(us);
});
const js32 = jsHistogram(32);
Deno.bench("record 10k: hdr-histogram-js Int32 (µs in)", { group: "record" }, () => {
  for (const us of US) js32.recordValue(us);
});

const full = new HdrHistogram();
const fullJs = jsHistogram(64);
for (let i = 0; i < 10; i++) {
  for (const ms of MS) full.record(ms);
  for (const us of US) fullJs.recordValue(us);
}
Deno.bench("P50/P95/P99 of 100k: loadgate", { group: "percentiles", baseline: true }, () => {
  for (const p of [50, 95, 99]) full.valueAtPercentile(p);
});
Deno.bench("P50/P95/P99 of 100k: hdr-histogram-js", { group: "percentiles" }, () => {
  for (const p of [50, 95, 99]) fullJs.getValueAtPercentile(p);
});
Deno.bench("compressed encoding: loadgate", { group: "encode", baseline: true }, () => {
  encodeCompressed(full);
});
Deno.bench("compressed encoding: hdr-histogram-js", { group: "encode" }, () => {
  hdrJs.encodeIntoCompressedBase64(fullJs);
});
