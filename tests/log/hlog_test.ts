import assert from "node:assert/strict";
import { HdrHistogram } from "../../lib/stats/histogram/hdr_histogram.ts";
import { hlogHeader, hlogLine, javaDateUtc, parseHlog } from "../../lib/log/hlog.ts";
import { hdrJs } from "../_hdr_reference.ts";

const START_MS = 1_764_624_138_250; // Mon Dec 01 21:22:18.250 UTC 2025

function intervals(): HdrHistogram[] {
  return [1, 2, 3].map((k) => {
    const h = new HdrHistogram();
    for (let i = 1; i <= 1000 * k; i++) h.record(i * 0.037 * k);
    return h;
  });
}

function log(): string {
  let text = hlogHeader({ startTimeMs: START_MS, comment: "[loadgate 0.1.0]" });
  intervals().forEach((h, i) => {
    text += hlogLine({ startSec: i + 0.25, endSec: i + 1.25, histogram: h });
  });
  return text;
}

Deno.test("hlogHeader() writes Java's header lines in the writer's order", () => {
  const lines = hlogHeader({ startTimeMs: START_MS, baseTimeMs: 1_764_624_138_000 }).split("\n");
  assert.deepEqual(lines, [
    "#[Histogram log format version 1.3]",
    "#[StartTime: 1764624138.250 (seconds since epoch), Mon Dec 01 21:22:18 UTC 2025]",
    "#[BaseTime: 1764624138.000 (seconds since epoch)]",
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    "",
  ]);
});

Deno.test("javaDateUtc() pads the day of the month like Java's Date.toString()", () => {
  assert.equal(javaDateUtc(Date.UTC(2026, 0, 5, 3, 4, 5)), "Mon Jan 05 03:04:05 UTC 2026");
});

Deno.test("hlogLine() writes start, length, max in ms and the compressed histogram", () => {
  const h = new HdrHistogram();
  h.record(31.25);
  const line = hlogLine({ startSec: 2, endSec: 3.5, histogram: h, tag: "optimized" });
  assert.match(line, /^Tag=optimized,2\.000,1\.500,31\.263,HISTF[A-Za-z0-9+/=]+\n$/);
});

Deno.test("parseHlog() reads back every interval with its counts", () => {
  const parsed = parseHlog(log());
  assert.equal(parsed.startTimeSec, 1764624138.25);
  assert.equal(parsed.baseTimeSec, 1764624138.25);
  const want = intervals();
  assert.equal(parsed.intervals.length, 3);
  parsed.intervals.forEach((iv, i) => {
    assert.equal(iv.startSec, i + 0.25);
    assert.equal(iv.lengthSec, 1);
    assert.deepEqual(iv.histogram.counts, want[i]!.counts);
    assert.equal(iv.max, want[i]!.maxUs() / 1000);
  });
  assert.throws(() => parseHlog("not,a,line\n"), /line 1/);
});

Deno.test("hdr-histogram-js's HistogramLogReader reads our log", () => {
  const reader = new hdrJs.HistogramLogReader(log());
  const want = intervals();
  for (const [i, h] of want.entries()) {
    const got = reader.nextIntervalHistogram();
    assert.ok(got, `interval ${i}`);
    assert.equal(got.totalCount, h.count);
    assert.equal(got.maxValue, h.maxUs());
    assert.equal(got.startTimeStampMsec, START_MS + (i + 0.25) * 1000);
    assert.equal(got.endTimeStampMsec, START_MS + (i + 1.25) * 1000);
  }
  assert.equal(reader.nextIntervalHistogram(), null);
});
