/**
 * Issue 12, item 5: a request is a `timeout` exactly when its latency, as
 * logged (3 decimals), exceeds the limit, on both engines and both loops. The
 * clock is injected: every reading is 11 s after the one before, so any answer
 * takes more than the 10 s limit of the engines whatever the real time, and
 * their own timers never fire (a 1 s limit fired on a busy shared machine).
 */
import assert from "node:assert/strict";
import { closedLoop } from "../../lib/load/closed_loop.ts";
import { openEngine } from "../../lib/load/open_engine.ts";
import { blankSample, DEFAULT_MAX_RESPONSE, fillSample } from "../../lib/load/measure.ts";
import { openLoop } from "../../lib/load/open_loop.ts";
import type { Pacer } from "../../lib/load/pacer.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";

const LIMIT = 1000;
/** The engines' limit, and the injected clock's step between readings. */
const ENGINE_LIMIT = 10_000;
const STEP = 11_000;
const workload = await buildWorkload({ seed: 1, requests: 3 });

Deno.test("fillSample() judges the latency as logged (3 decimals) against the limit", () => {
  const at = (doneAt: number): Sample =>
    fillSample(blankSample({ phase: "t", workload }, 0).sample, 0, {
      failure: "",
      status: 200,
      headersAt: 1,
      doneAt,
      bytes: 2,
      outputSha256: "a".repeat(64),
    }, LIMIT);
  assert.deepEqual([at(1000).ok, at(1000.0004).ok], [true, true]);
  const late = at(1000.0005);
  assert.deepEqual([late.ok, late.error, late.status], [false, "timeout", 200]);
});

Deno.test("an answer that completes past the limit is a timeout on fetch and on h1, closed and open loop", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      await req.arrayBuffer();
      return new Response("{}");
    },
  );
  const request = {
    phase: "t",
    url: `http://127.0.0.1:${server.addr.port}/v1/infer`,
    method: "POST",
    headers: {},
    workload,
    timeoutMs: ENGINE_LIMIT,
    maxResponseBytes: DEFAULT_MAX_RESPONSE,
    stream: false,
  };
  const loops: Record<string, Pacer> = {
    closed: closedLoop({ requests: 3, concurrency: 1, durationMs: null }),
    open: openLoop({ schedule: [0, 0, 0], maxInFlight: null }),
  };
  for (const engineName of ["fetch", "h1"] as const) {
    for (const [loop, pacer] of Object.entries(loops)) {
      let t = 0;
      const now = () => (t += STEP);
      const engine = openEngine(engineName, { request, policy: "pooled", concurrency: 1, now });
      const samples: Sample[] = [];
      try {
        await pacer({
          engine,
          now,
          onSample: (s) => samples.push(s),
          sleep: () => Promise.resolve(),
        });
      } finally {
        engine.close();
      }
      const label = `${engineName} ${loop}`;
      assert.equal(samples.length, 3, label);
      for (const s of samples) {
        assert.ok(s.latencyMs > ENGINE_LIMIT, `${label}: ${s.latencyMs}`);
        assert.deepEqual([s.ok, s.error, s.status], [false, "timeout", 200], label);
      }
    }
  }
});
