import assert from "node:assert/strict";
import { arrivalSchedule, openLoop, pace } from "../../lib/load/open_loop.ts";
import { openFetchEngine } from "../../lib/load/fetch_engine.ts";
import { DEFAULT_MAX_RESPONSE, type RequestSpec } from "../../lib/load/measure.ts";
import type { PaceDeps, PaceResult } from "../../lib/load/pacer.ts";
import { openLoopSummary } from "../../lib/stats/load_metrics.ts";
import { readLog } from "../../lib/log/csv/log.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";
import { serveStub } from "../../lib/stub/server.ts";
import { compareInProcess, runInProcess } from "../_in_process.ts";

Deno.test("arrivalSchedule() spaces constant arrivals 1000/rate ms apart from 0", () => {
  assert.deepEqual([...arrivalSchedule({ rate: 4, arrival: "constant", seed: 0, requests: 4 })], [
    0,
    250,
    500,
    750,
  ]);
  const timed = arrivalSchedule({ rate: 10, arrival: "constant", seed: 0, durationMs: 1000 });
  assert.equal(timed.length, 10, "arrivals before the duration only");
  const both = arrivalSchedule({
    rate: 10,
    arrival: "constant",
    seed: 0,
    requests: 3,
    durationMs: 1000,
  });
  assert.equal(both.length, 3, "whichever bound comes first");
});

Deno.test("arrivalSchedule() gives the same Poisson schedule for the same seed, another for another", () => {
  const opts = { rate: 50, arrival: "poisson", requests: 500 } as const;
  const a = arrivalSchedule({ ...opts, seed: 7 });
  const b = arrivalSchedule({ ...opts, seed: 7 });
  const c = arrivalSchedule({ ...opts, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a[0], 0);
  const gaps = [...a].slice(1).map((t, i) => t - a[i]!);
  assert.ok(gaps.every((g) => g >= 0), "ascending");
  assert.ok(new Set(gaps.map((g) => g.toFixed(6))).size > 400, "gaps vary, unlike a constant rate");
  // The mean gap of a long seeded schedule is 1000/rate ms (deterministic for this seed).
  const long = arrivalSchedule({ rate: 50, arrival: "poisson", seed: 7, requests: 20_001 });
  const mean = long[20_000]! / 20_000;
  assert.ok(Math.abs(mean - 20) < 0.6, `mean gap ${mean} ms`);
});

Deno.test("arrivalSchedule() rejects a rate that is not positive and an unbounded schedule", () => {
  assert.throws(() => arrivalSchedule({ rate: 0, arrival: "constant", seed: 0, requests: 1 }));
  assert.throws(() => arrivalSchedule({ rate: 1, arrival: "constant", seed: 0 }));
});

Deno.test("pace() waits until the next request is due, not at all when late, and stops at the end", () => {
  const schedule = [0, 100, 200];
  assert.deepEqual(pace(schedule, 0, 0), { waitMs: 0, stop: false });
  assert.deepEqual(pace(schedule, 1, 40), { waitMs: 60, stop: false });
  assert.deepEqual(pace(schedule, 2, 250), { waitMs: 0, stop: false });
  assert.deepEqual(pace(schedule, 3, 250), { waitMs: 0, stop: true });
});

/** A virtual clock: sleeping advances it; nothing else does unless a fake fetch says so. */
function virtualClock() {
  const clock = { t: 0 };
  return {
    clock,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
}

async function openOptions(schedule: number[], maxInFlight?: number) {
  return {
    phase: "open",
    url: "http://127.0.0.1:9/v1/infer",
    method: "POST",
    headers: {},
    workload: await buildWorkload({ seed: 1, requests: schedule.length }),
    timeoutMs: 1000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE,
    stream: false,
    schedule,
    maxInFlight: maxInFlight ?? null,
  };
}

/** Runs the open loop of `o` through the fetch engine over `deps.fetch`. */
function runOpenLoop(
  o: RequestSpec & { schedule: number[]; maxInFlight: number | null; stop?: AbortSignal },
  deps: Omit<PaceDeps, "engine" | "stop"> & {
    fetch: (url: string, init: RequestInit) => Promise<Response>;
  },
): Promise<PaceResult> {
  const engine = openFetchEngine(o, deps);
  const { fetch: _, ...pace } = deps;
  return openLoop(o)({ ...pace, engine, ...(o.stop ? { stop: o.stop } : {}) })
    .finally(() => engine.close());
}

Deno.test("openLoop() sends each request at its scheduled time and logs both times", async () => {
  const { now, sleep } = virtualClock();
  const samples: Sample[] = [];
  const schedule = [0, 10, 20, 30, 40];
  const result = await runOpenLoop(await openOptions(schedule), {
    fetch: () => Promise.resolve(new Response("ok")),
    now,
    sleep,
    onSample: (s) => samples.push(s),
  });
  assert.equal(result.completed, 5);
  assert.equal(result.interrupted, false);
  samples.sort((a, b) => a.requestId - b.requestId);
  assert.deepEqual(samples.map((s) => [s.requestId, s.scheduledMs, s.sentMs]), [
    [0, 0, 0],
    [1, 10, 10],
    [2, 20, 20],
    [3, 30, 30],
    [4, 40, 40],
  ]);
});

Deno.test("an overloaded open loop under a cap measures latency from the schedule, not the send", async () => {
  const { clock, now, sleep } = virtualClock();
  const samples: Sample[] = [];
  // Due every 10 ms, but each request takes 40 ms and only one may be in flight.
  const schedule = Array.from({ length: 20 }, (_, i) => i * 10);
  const result = await runOpenLoop(await openOptions(schedule, 1), {
    fetch: () => {
      clock.t += 40;
      return Promise.resolve(new Response("ok"));
    },
    now,
    sleep,
    onSample: (s) => samples.push(s),
  });
  assert.equal(result.capWaits, 19);
  samples.sort((a, b) => a.requestId - b.requestId);
  assert.deepEqual(samples.map((s) => s.sentMs), schedule.map((_, i) => i * 40));
  assert.ok(samples.every((s) => s.latencyMs === 40));
  const o = openLoopSummary(samples);
  // Latency from the schedule of request i is 30 i + 40 ms: p50 = 30 * 9.5 + 40.
  assert.equal(o.sched_p50, 325);
  assert.equal(o.sched_max, 30 * 19 + 40);
  assert.equal(o.lag_max, 570);
  assert.equal(o.late_requests, 19);
  assert.equal(o.send_rate, 25);
  assert.equal(o.scheduled_rate, 100);
});

Deno.test("openLoop() starts no request after stop is aborted", async () => {
  const { now, sleep } = virtualClock();
  const stop = new AbortController();
  const samples: Sample[] = [];
  let calls = 0;
  const result = await runOpenLoop({ ...(await openOptions([0, 10, 20, 30])), stop: stop.signal }, {
    fetch: () => {
      if (++calls === 2) stop.abort();
      return Promise.resolve(new Response("ok"));
    },
    now,
    sleep,
    onSample: (s) => samples.push(s),
  });
  assert.equal(result.sent, 2);
  assert.equal(samples.length, 2, "those in flight finish");
  assert.equal(result.interrupted, true);
});

async function withStub(
  options: Parameters<typeof serveStub>[0],
  body: (url: string, dir: string) => Promise<void>,
): Promise<void> {
  const stub = serveStub(options);
  const dir = await Deno.makeTempDir({ prefix: "loadgate_open_" });
  try {
    await body(stub.url, dir);
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a Poisson run with a seed sends on the same schedule twice (against the stub)", async () => {
  await withStub({ mode: "concurrent", serviceMs: [1, 2] }, async (url, dir) => {
    const args = ["--url", url, "-n", "30", "--rate", "200", "--arrival", "poisson"];
    for (const phase of ["a", "b"]) {
      const r = await runInProcess([...args, "--seed", "11", "--phase", phase, "--out", dir]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
    }
    const other = await runInProcess([...args, "--seed", "12", "--phase", "c", "--out", dir]);
    assert.equal(other.code, 0, other.stderr);
    const schedule = async (phase: string) =>
      (await readLog(`${dir}/${phase}.csv`)).sort((x, y) => x.requestId - y.requestId)
        .map((s) => s.scheduledMs);
    const [a, b, c] = [await schedule("a"), await schedule("b"), await schedule("c")];
    assert.equal(a.length, 30);
    assert.ok(a.every((t) => typeof t === "number"));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/a.json`));
    assert.equal(json.load.load_model, "open");
    assert.equal(json.load.arrival_seed, 11);
    // The same schedule means the same load: compare accepts the two runs.
    const cmp = await compareInProcess([`${dir}/a.csv`, `${dir}/b.csv`, "--out", `${dir}/cmp`]);
    assert.equal(cmp.code, 0, cmp.stderr + cmp.stdout);
    assert.match(cmp.stdout, /p95 from schedule/);
  });
});

Deno.test("an overloaded open loop reports scheduled-time percentiles well above send-time ones", async () => {
  // The serialized stub serves 25 requests/s (40 ms each); 100/s are due, one in flight.
  await withStub({ mode: "serialized", serviceMs: [40, 40] }, async (url, dir) => {
    const r = await runInProcess([
      "--url",
      url,
      "-n",
      "20",
      "--rate",
      "100",
      "--max-in-flight",
      "1",
      "--out",
      dir,
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /fell behind its schedule: \d+ of 20 requests/);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    const s = json.summary;
    // Each waits for the one before it: lag grows ~30 ms a request, to ~600 ms.
    assert.ok(s.sched_p95 > 3 * s.p95, `sched_p95 ${s.sched_p95} vs p95 ${s.p95}`);
    assert.ok(s.sched_p50 > 2 * s.p50, `sched_p50 ${s.sched_p50} vs p50 ${s.p50}`);
    assert.equal(json.open_loop.fell_behind, true);
    assert.ok(json.open_loop.cap_waits > 0);
    assert.ok(s.late_requests > 0 && s.lag_max > 0);
  });
});
