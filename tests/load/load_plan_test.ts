import assert from "node:assert/strict";
import { loadParamsOf } from "../../lib/load/load_params.ts";
import {
  type ClosedPlan,
  type OpenPlan,
  pacerOf,
  plannedRequests,
  poolSizeOf,
  type StagesPlan,
} from "../../lib/load/load_plan.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";
import { makeSample } from "../_helpers.ts";

const closed: ClosedPlan = {
  kind: "closed",
  requests: 40,
  concurrency: 4,
  durationMs: null,
  warmup: 0,
};
const open: OpenPlan = {
  kind: "open",
  requests: 10,
  durationMs: 1000,
  warmup: 0,
  rate: 5,
  arrival: "constant",
  seed: 9,
  maxInFlight: null,
  warmupConcurrency: 2,
};
const request = {
  url: "http://127.0.0.1:9/v1/infer?x=1",
  method: "POST",
  headers: { "Content-Type": "application/json" },
  workload: await buildWorkload({ seed: 1, requests: 3 }),
  timeoutMs: 500,
  stream: false,
};

Deno.test("plannedRequests() is the count of a closed plan and the schedule's length of an open one", () => {
  assert.equal(plannedRequests(closed), 40);
  assert.equal(plannedRequests(open), 5, "5 arrivals a second for 1 s");
});

Deno.test("poolSizeOf() keeps C connections for a closed loop, the cap or at least 64 for an open one", () => {
  assert.equal(poolSizeOf(closed), 4);
  assert.equal(poolSizeOf(open), 64);
  assert.equal(poolSizeOf({ ...open, maxInFlight: 3 }), 3);
});

Deno.test("loadParamsOf() records a plain closed loop with the main job's fields only", async () => {
  const params = await loadParamsOf(request, closed);
  assert.deepEqual(Object.keys(params), [
    "requests",
    "concurrency",
    "timeout_ms",
    "method",
    "path",
    "headers_sha256",
    "workload_digest",
  ]);
  assert.deepEqual([params.requests, params.concurrency, params.path], [40, 4, "/v1/infer"]);
});

Deno.test("loadParamsOf() adds what is not the default: open loop, duration, warm-up, stream", async () => {
  const params = await loadParamsOf(request, { ...open, arrival: "poisson", maxInFlight: 8 });
  assert.equal(params.load_model, "open");
  assert.equal(params.concurrency, 0, "an open loop without warm-up has no workers");
  assert.deepEqual(
    [params.rate, params.arrival, params.arrival_seed, params.max_in_flight, params.duration_s],
    [5, "poisson", 9, 8, 1],
  );
  const warm = await loadParamsOf({ ...request, stream: true }, { ...closed, warmup: 5 });
  assert.deepEqual([warm.warmup, warm.stream, warm.load_model], [5, true, undefined]);
  assert.equal((await loadParamsOf(request, { ...open, warmup: 1 })).concurrency, 2);
});

Deno.test("pacerOf() paces a closed plan with C workers and an open plan on its schedule", async () => {
  let t = 0;
  const sent: number[] = [];
  const engine = {
    send: (id: number, start: number): Promise<Sample> => {
      sent.push(t - start);
      return Promise.resolve(makeSample({ requestId: id }));
    },
  };
  const onSample = () => {};
  const c = await pacerOf({ ...closed, requests: 6 })({ engine, now: () => t, onSample });
  assert.deepEqual([c.sent, c.completed, c.interrupted], [6, 6, false]);
  sent.length = 0;
  const sleep = (ms: number) => Promise.resolve(void (t += ms));
  const o = await pacerOf(open)({ engine, now: () => t, onSample, sleep });
  assert.deepEqual([o.completed, sent], [5, [0, 200, 400, 600, 800]]);
});

Deno.test("pacerOf() paces a stages plan on the stages' schedule and tags each sample with its stage", async () => {
  let t = 0;
  const sent: number[] = [];
  const engine = {
    send: (id: number, start: number): Promise<Sample> => {
      sent.push(t - start);
      return Promise.resolve(makeSample({ requestId: id }));
    },
  };
  const stages: StagesPlan = {
    kind: "stages",
    requests: 1000,
    durationMs: null,
    warmup: 0,
    // 0 -> 4/s over 1 s (N = 2t²), then 4/s for 1 s.
    stages: [{ durationMs: 1000, target: 4 }, { durationMs: 1000, target: 4 }],
    maxInFlight: null,
    warmupConcurrency: 2,
  };
  const seen: Sample[] = [];
  const sleep = (ms: number) => Promise.resolve(void (t += ms));
  const r = await pacerOf(stages)({ engine, now: () => t, onSample: (s) => seen.push(s), sleep });
  assert.equal(r.completed, plannedRequests(stages));
  assert.deepEqual(seen.map((s) => s.stage), [0, 0, 1, 1, 1, 1]);
  assert.deepEqual(sent.map((v) => Math.round(v)), [0, 707, 1000, 1250, 1500, 1750]);
  const params = await loadParamsOf(request, stages);
  assert.deepEqual([params.load_model, params.stages?.length, params.concurrency], [
    "stages",
    2,
    0,
  ]);
});

Deno.test("loadParamsOf() hashes a secret header as shown, so the digest cannot be reversed to the key", async () => {
  const withKey = (key: string) => ({
    ...request,
    headers: { ...request.headers, Authorization: `Bearer ${key}` },
  });
  const a = await loadParamsOf(withKey("sk-aaaa"), closed);
  const b = await loadParamsOf(withKey("sk-bbbb"), closed);
  const plain = await loadParamsOf(request, closed);
  assert.equal(a.headers_sha256, b.headers_sha256, "the key's value is not hashed");
  assert.notEqual(a.headers_sha256, plain.headers_sha256, "the header's presence still is");
});
