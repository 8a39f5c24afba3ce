import assert from "node:assert/strict";
import { readLog } from "../../lib/log/csv/log.ts";
import { DEFAULT_MAX_RESPONSE } from "../../lib/load/measure.ts";
import { type PhaseOptions, runPhase } from "../../lib/load/phase_runner.ts";
import { serveStub } from "../../lib/stub/server.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";

async function withStub(body: (url: string, dir: string) => Promise<void>): Promise<void> {
  const stub = serveStub({ mode: "concurrent", serviceMs: [0, 1] });
  const dir = await Deno.makeTempDir({ prefix: "loadgate_phase_" });
  try {
    await body(stub.url, dir);
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

async function options(url: string, dir: string): Promise<PhaseOptions> {
  return {
    request: {
      phase: "p",
      url,
      method: "POST",
      headers: { "content-type": "application/json" },
      workload: await buildWorkload({ seed: 4, requests: 8 }),
      timeoutMs: 5000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE,
      stream: false,
    },
    plan: {
      kind: "closed",
      requests: 8,
      concurrency: 2,
      durationMs: null,
      warmup: 0,
    },
    policy: "pooled",
    engine: "fetch",
    log: { path: `${dir}/p.csv`, extended: true },
    keepSamples: true,
  };
}

Deno.test("runPhase() logs warm-ups first, flagged, and keeps them out of the store", async () => {
  await withStub(async (url, dir) => {
    const o = await options(url, dir);
    const seen: boolean[] = [];
    const outcome = await runPhase({
      ...o,
      plan: { ...o.plan, warmup: 3 },
      onSample: (s) => seen.push(s.warmup === true),
    });
    assert.deepEqual([outcome.completed, outcome.store.size, outcome.interrupted], [8, 8, false]);
    assert.deepEqual(seen, Array(8).fill(false), "onSample sees the measured requests only");
    assert.deepEqual(outcome.samples.map((s) => s.warmup === true), [
      ...Array(3).fill(true),
      ...Array(8).fill(false),
    ]);
    const log = await readLog(`${dir}/p.csv`);
    assert.equal(log.length, 11);
    assert.equal(log.filter((s) => s.warmup).length, 3);
    const lastWarm = Math.max(...log.filter((s) => s.warmup).map((s) => s.sentMs));
    const firstMeasured = Math.min(...log.filter((s) => !s.warmup).map((s) => s.sentMs));
    assert.ok(
      firstMeasured >= lastWarm,
      "one timeline: measured times count from the warm-up's start",
    );
    assert.equal(outcome.load.warmup, 3);
  });
});

Deno.test("runPhase() writes the base columns only when the log is not extended", async () => {
  await withStub(async (url, dir) => {
    const o = await options(url, dir);
    const outcome = await runPhase({
      ...o,
      engine: "h1",
      log: { path: o.log.path, extended: false },
      keepSamples: false,
    });
    assert.equal(outcome.samples.length, 0);
    assert.equal(outcome.store.summary().ok, 8);
    const header = (await Deno.readTextFile(o.log.path)).split("\n")[0]!;
    assert.equal(header.split(",").length, 14);
  });
});

Deno.test("runPhase() runs an open plan on its schedule and starts nothing after stop", async () => {
  await withStub(async (url, dir) => {
    const o = await options(url, dir);
    const plan = {
      kind: "open" as const,
      requests: 8,
      durationMs: null,
      warmup: 0,
      rate: 1000,
      arrival: "constant" as const,
      seed: 0,
      maxInFlight: null,
      warmupConcurrency: 2,
    };
    const outcome = await runPhase({ ...o, plan });
    assert.deepEqual([outcome.completed, outcome.interrupted], [8, false]);
    assert.deepEqual(outcome.samples.map((s) => s.scheduledMs), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(outcome.load.load_model, "open");
    const stop = new AbortController();
    stop.abort();
    const stopped = await runPhase({ ...o, plan, stop: stop.signal });
    assert.deepEqual([stopped.completed, stopped.interrupted], [0, true]);
  });
});
