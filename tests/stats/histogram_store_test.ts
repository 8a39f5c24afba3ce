import assert from "node:assert/strict";
import { halfBucketMs, HdrHistogram } from "../../lib/stats/histogram/hdr_histogram.ts";
import { HistogramStore } from "../../lib/stats/histogram/store.ts";
import { SampleStore } from "../../lib/stats/sample_store.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { normalVariate } from "../../lib/stats/variates.ts";
import { parseHlog } from "../../lib/log/hlog.ts";
import { HlogFile } from "../../lib/commands/run/hlog_file.ts";
import { makeSample } from "../_helpers.ts";
import { mainCaptured } from "../_main_captured.ts";
import { serveStub } from "../../lib/stub/server.ts";
import { readLog } from "../../lib/log/csv/log.ts";

/** 50,000 seeded samples: a lognormal body near 20 ms, a slow tail, 1 % failures. */
function knownSamples() {
  const rng = mulberry32(7);
  return Array.from({ length: 50_000 }, (_, i) => {
    const r = rng();
    const latencyMs = r < 0.02 ? 500 + rng() * 5000 : Math.exp(3 + 0.5 * normalVariate(rng));
    const ok = rng() >= 0.01;
    return makeSample({
      requestId: i,
      sentMs: i * 0.1,
      latencyMs,
      ok,
      error: ok ? "" : "http_5xx",
    });
  });
}

Deno.test("HistogramStore's summary is within the histogram's precision of the exact store's", () => {
  const exact = new SampleStore();
  const bounded = new HistogramStore();
  for (const s of knownSamples()) {
    exact.add(s);
    bounded.add(s);
  }
  const e = exact.summary();
  const h = bounded.summary();
  for (const key of ["requests", "ok", "failed", "error_rate", "min", "max"] as const) {
    assert.equal(h[key], e[key], key);
  }
  assert.deepEqual(h.errors, e.errors);
  assert.ok(Math.abs(h.mean - e.mean) < 1e-6);
  assert.ok(Math.abs(h.throughput - e.throughput) < 1e-9);
  for (const key of ["p50", "p95", "p99", "ok_p50", "ok_p95", "ok_p99"] as const) {
    const bound = halfBucketMs(e[key]) * 2; // the two order statistics' buckets, at most
    assert.ok(Math.abs(h[key] - e[key]) <= bound, `${key}: ${h[key]} vs exact ${e[key]}`);
    assert.ok(Math.abs(h[key] - e[key]) <= Math.max(0.001, e[key] * 0.001), `${key} within 0.1 %`);
  }
  assert.equal(bounded.sortedMs().all.length, 50_000);
});

Deno.test("HistogramStore reads each rank from its bucket, as HdrHistogram does", () => {
  const store = new HistogramStore();
  const h = new HdrHistogram();
  for (const ms of [1, 2, 3, 4, 100, 100.5]) {
    store.add(makeSample({ latencyMs: ms }));
    h.record(ms);
  }
  const { all } = store.sortedMs();
  assert.equal(all.length, 6);
  assert.equal(all[0], 1);
  assert.equal(all[3], 4.0005, "4,000 us sits in a bucket 2 us wide: its middle");
  const summary = store.summary();
  assert.equal(summary.p50, h.valueAtPercentile(50));
  assert.equal(summary.p95, h.valueAtPercentile(95));
  assert.equal(summary.p99, h.valueAtPercentile(99));
  assert.equal(summary.max, 100.5, "max stays exact");
  assert.equal(new HistogramStore().summary().requests, 0);
});

Deno.test("HlogFile writes one line per 1-second interval that HdrHistogram's reader loads", async () => {
  await Deno.mkdir("results/.tmp", { recursive: true });
  const path = await Deno.makeTempFile({ dir: "results/.tmp", suffix: ".hlog" });
  try {
    const file = new HlogFile(path, Date.UTC(2026, 11, 1), "run");
    for (let i = 0; i < 30; i++) {
      file.record(makeSample({ sentMs: i * 100, latencyMs: 10 + i })); // done at 10..3,000 ms
    }
    file.close();
    const log = parseHlog(await Deno.readTextFile(path));
    assert.deepEqual(log.intervals.map((i) => i.startSec), [0, 1, 2]);
    const counts = log.intervals.map((i) => i.histogram.count);
    assert.equal(counts.reduce((a, b) => a + b), 30);
    assert.ok(log.intervals.every((i) => i.tag === "run"));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("run --histogram reports percentiles with their precision and writes --hlog", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [0, 2] });
  const dir = await Deno.makeTempDir({ prefix: "loadgate_hist_" });
  try {
    const r = await mainCaptured([
      "run",
      "--url",
      stub.url,
      "-n",
      "40",
      "-c",
      "4",
      "--histogram",
      "--hlog",
      `${dir}/run.hlog`,
      "--out",
      dir,
      "--quiet",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /latencies kept in a histogram: percentiles are HdrHistogram/);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.equal(summary.latency_store.kind, "histogram");
    assert.match(summary.latency_store.precision, /0\.049 %/);
    assert.equal(summary.summary.requests, 40);
    assert.equal((await readLog(`${dir}/run.csv`)).length, 40, "the log still has every request");
    const hlog = parseHlog(await Deno.readTextFile(`${dir}/run.hlog`));
    const counted = hlog.intervals.reduce((n, i) => n + i.histogram.count, 0);
    assert.equal(counted, 40);
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
