import assert from "node:assert/strict";
import { CsvLogWriter, readLog } from "../../lib/log/csv/log.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { SampleStore } from "../../lib/stats/sample_store.ts";
import { summarize } from "../../lib/stats/stats.ts";
import { roundMs } from "../../lib/stats/time_ms.ts";
import { makeSample } from "../_helpers.ts";

/** Samples with 6-decimal times (as performance.now() gives) and some failures. */
function randomSamples(n: number, seed = 1): Sample[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const failed = rand() < 0.1;
    return makeSample({
      requestId: i,
      sentMs: Math.round(rand() * 5e9) / 1e6,
      latencyMs: Math.round(rand() * 2e8) / 1e6,
      ok: !failed,
      error: failed ? (rand() < 0.5 ? "timeout" : "http_5xx") : "",
    });
  });
}

const rounded = (s: Sample): Sample => ({
  ...s,
  sentMs: roundMs(s.sentMs),
  latencyMs: roundMs(s.latencyMs),
});

Deno.test("SampleStore.summary() equals summarize() over the same samples at log precision", () => {
  for (const n of [0, 1, 2, 17, 1000]) {
    const samples = randomSamples(n, n + 1);
    assert.deepEqual(
      SampleStore.from(samples).summary(),
      summarize(samples.map(rounded)),
      `n=${n}`,
    );
  }
});

Deno.test("SampleStore.summary() equals the summary of its own CSV log read back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const samples = randomSamples(3000, 7);
    const store = new SampleStore(16);
    const log = CsvLogWriter.create(`${dir}/log.csv`);
    for (const s of samples) {
      store.add(s);
      log.write(s);
    }
    log.close();
    assert.deepEqual(store.summary(), summarize(await readLog(`${dir}/log.csv`)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SampleStore grows past its capacity and keeps completion order", () => {
  const store = new SampleStore(16);
  const samples = randomSamples(100, 3);
  for (const s of samples) store.add(s);
  assert.equal(store.size, 100);
  assert.deepEqual([...store.latencies()], samples.map((s) => roundMs(s.latencyMs)));
  assert.deepEqual([...store.okFlags()], samples.map((s) => (s.ok ? 1 : 0)));
});

Deno.test("SampleStore counts failures by kind and keeps success-only percentiles apart", () => {
  const store = SampleStore.from([
    makeSample({ requestId: 0, latencyMs: 10 }),
    makeSample({ requestId: 1, latencyMs: 20 }),
    makeSample({ requestId: 2, latencyMs: 1, ok: false, error: "connect" }),
    makeSample({ requestId: 3, latencyMs: 500, ok: false, error: "timeout" }),
    makeSample({ requestId: 4, latencyMs: 2, ok: false, error: "connect" }),
  ]);
  const s = store.summary();
  assert.deepEqual(s.errors, { connect: 2, timeout: 1 });
  assert.equal(s.failed, 3);
  assert.equal(s.p50, 10);
  assert.equal(s.ok_p50, 15);
  assert.equal(s.max, 500);
});

Deno.test("SampleStore keeps latencies past 32 bits of microseconds (over 71 minutes) exactly", () => {
  const samples = [
    makeSample({ requestId: 0, latencyMs: 12.5 }),
    makeSample({ requestId: 1, latencyMs: 5_000_000.25 }),
    makeSample({ requestId: 2, latencyMs: 3.001, ok: false, error: "connect" }),
  ];
  const store = SampleStore.from(samples);
  assert.deepEqual(store.summary(), summarize(samples.map(rounded)));
  assert.deepEqual([...store.latencies()], [12.5, 5_000_000.25, 3.001]);
});
