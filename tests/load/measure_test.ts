import assert from "node:assert/strict";
import { openEngine } from "../../lib/load/open_engine.ts";
import {
  blankSample,
  DEFAULT_MAX_RESPONSE,
  type Exchange,
  fillSample,
  readBody,
  type RequestSpec,
} from "../../lib/load/measure.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";

const workload = await buildWorkload({ seed: 2, requests: 2 });
const SHA = "a".repeat(64);

/** What an engine saw, sent at 100: a complete 200 unless overridden. */
function seen(over: Partial<Exchange> = {}): Exchange {
  return {
    failure: "",
    status: 200,
    headersAt: 104,
    doneAt: 110,
    bytes: 2,
    outputSha256: SHA,
    ...over,
  };
}

const fill = (ex: Exchange, timeoutMs = 1000) =>
  fillSample(blankSample({ phase: "m", workload }, 1).sample, 100, ex, timeoutMs);

Deno.test("fillSample() records a complete 2xx as ok with its times, bytes and digest", () => {
  const s = fill(seen());
  assert.deepEqual(
    [s.ok, s.error, s.status, s.headersMs, s.latencyMs, s.bytesIn, s.outputSha256],
    [true, "", 200, 4, 10, 2, SHA],
  );
  assert.equal(s.inputSha256, workload.inputSha256[1]);
});

Deno.test("fillSample() classifies 4xx, 5xx, cut bodies and refused connections", () => {
  const kinds = [
    seen({ status: 404 }),
    seen({ status: 503, outputSha256: null, failure: "body" }),
    seen({ outputSha256: null, failure: "body" }),
    seen({ status: null, headersAt: null, outputSha256: null, failure: "connect", bytes: 0 }),
  ].map((ex) => fill(ex)).map((s) => [s.ok, s.error, s.status]);
  assert.deepEqual(kinds, [
    [false, "http_4xx", 404],
    [false, "http_5xx", 503],
    [false, "body", 200],
    [false, "connect", null],
  ]);
});

Deno.test("fillSample() makes a request a timeout exactly when its latency exceeds the limit", () => {
  // A complete answer 1 ms late is a timeout (h1's sweeper used to pass it as ok) ...
  const late = fill(seen({ doneAt: 100 + 1001 }));
  assert.deepEqual([late.ok, late.error, late.status, late.latencyMs], [
    false,
    "timeout",
    200,
    1001,
  ]);
  // ... also when its status was an error, or no head came in time ...
  assert.equal(fill(seen({ status: 503, doneAt: 2000 })).error, "timeout");
  const noHead = fill(seen({ status: null, headersAt: null, outputSha256: null, doneAt: 1200 }));
  assert.deepEqual([noHead.error, noHead.headersMs], ["timeout", null]);
  // ... an engine's own timer aborting at the limit is one too ...
  const aborted = seen({ failure: "timeout", status: null, outputSha256: null, doneAt: 1101 });
  assert.equal(fill(aborted).error, "timeout");
  // ... and an answer complete at the limit itself is not.
  const onTime = fill(seen({ doneAt: 1100 }));
  assert.deepEqual([onTime.ok, onTime.error], [true, ""]);
});

Deno.test("readBody() reads a whole body, and gives up past the limit or on a cut", async () => {
  const whole = await readBody(new Response("hello"), 5);
  assert.equal(new TextDecoder().decode(whole.body!), "hello");
  assert.deepEqual(await readBody(new Response("hello!"), 5), { body: null, bytes: 6 });
  const cut = new ReadableStream({
    pull(c) {
      c.error(new Error("reset"));
    },
  });
  assert.equal((await readBody(new Response(cut), 5)).body, null);
});

Deno.test("both engines count an answer that completes after the limit as a timeout", async () => {
  // The server moves the client's clock: the answer arrives `delay` ms after the send.
  let t = 0;
  let delay = 0;
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      await req.body?.cancel();
      t += delay;
      return new Response("ok");
    },
  );
  const request: RequestSpec = {
    phase: "late",
    url: `http://127.0.0.1:${server.addr.port}/v1/infer`,
    method: "POST",
    headers: {},
    workload,
    timeoutMs: 5000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE,
    stream: false,
  };
  for (const name of ["fetch", "h1"] as const) {
    const engine = openEngine(name, { request, policy: "pooled", concurrency: 1, now: () => t });
    try {
      delay = 5001;
      const late = await engine.send(0, 0);
      assert.deepEqual([name, late.ok, late.error, late.status], [name, false, "timeout", 200]);
      delay = 4999;
      const onTime = await engine.send(1, 0);
      assert.deepEqual([name, onTime.ok, onTime.error], [name, true, ""]);
    } finally {
      engine.close();
    }
  }
});
