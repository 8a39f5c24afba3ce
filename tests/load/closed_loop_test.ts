import assert from "node:assert/strict";
import { runClosedFetch, type RunOptions } from "../_helpers.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { openConnector } from "../../lib/load/connection.ts";
import { serveStub } from "../../lib/stub/server.ts";
import { runOptions } from "../_helpers.ts";

const options = (over: Partial<RunOptions> = {}): Promise<RunOptions> =>
  runOptions({ seed: 3, requests: 10, timeoutMs: 2000 }, over);

/** A clock that advances 5 ms per reading: latencies become exact. */
function stepClock(step = 5) {
  let t = 1000;
  return () => (t += step);
}

Deno.test("runClosedFetch() emits one sample per request with measured fields", async () => {
  const samples: Sample[] = [];
  const seen: string[] = [];
  // One worker, so the stepping clock's readings belong to one request at a time.
  const result = await runClosedFetch(await options({ concurrency: 1 }), {
    fetch: (_url, init) => {
      seen.push(new TextDecoder().decode(init.body as Uint8Array));
      return Promise.resolve(
        new Response('{"output":"x"}', {
          headers: { "server-timing": "queue;dur=1.5, infer;dur=20", "x-loadgate-conn": "7" },
        }),
      );
    },
    now: stepClock(),
    onSample: (s) => samples.push(s),
  });
  assert.equal(result.completed, 10);
  assert.equal(result.interrupted, false);
  assert.equal(samples.length, 10);
  assert.deepEqual(samples.map((s) => s.requestId).sort((a, b) => a - b), [...Array(10).keys()]);
  for (const s of samples) {
    assert.equal(s.ok, true);
    assert.equal(s.status, 200);
    assert.equal(s.headersMs, 5);
    assert.equal(s.latencyMs, 10);
    assert.equal(s.serverQueueMs, 1.5);
    assert.equal(s.serverInferMs, 20);
    assert.equal(s.connId, "7");
    assert.equal(s.bytesIn, 14);
    assert.match(s.outputSha256, /^[0-9a-f]{64}$/);
  }
  assert.equal(new Set(seen).size, 10, "each request sends its own body");
});

Deno.test("runClosedFetch() never has more than C requests in flight", async () => {
  let inFlight = 0;
  let peak = 0;
  await runClosedFetch(await options({ concurrency: 3, requests: 10 }), {
    fetch: async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return new Response("ok");
    },
    now: stepClock(),
    onSample: () => {},
  });
  assert.equal(peak, 3);
});

Deno.test("runClosedFetch() records 4xx, 5xx, refused and cut bodies as failed samples", async () => {
  const samples: Sample[] = [];
  let call = 0;
  await runClosedFetch(await options({ requests: 4, concurrency: 1 }), {
    fetch: () => {
      call++;
      if (call === 1) return Promise.resolve(new Response("no", { status: 404 }));
      if (call === 2) return Promise.resolve(new Response("boom", { status: 503 }));
      if (call === 3) return Promise.reject(new TypeError("connection refused"));
      const body = new ReadableStream({
        pull(c) {
          c.error(new Error("reset"));
        },
      });
      return Promise.resolve(new Response(body));
    },
    now: stepClock(),
    onSample: (s) => samples.push(s),
  });
  assert.deepEqual(samples.map((s) => [s.ok, s.error, s.status]), [
    [false, "http_4xx", 404],
    [false, "http_5xx", 503],
    [false, "connect", null],
    [false, "body", 200],
  ]);
  assert.equal(samples[2]!.headersMs, null);
});

Deno.test("runClosedFetch() times out a request that never answers", async () => {
  const samples: Sample[] = [];
  await runClosedFetch(await options({ requests: 1, timeoutMs: 30 }), {
    fetch: (_u, init) =>
      new Promise((_, reject) =>
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason))
      ),
    now: () => performance.now(),
    onSample: (s) => samples.push(s),
  });
  assert.equal(samples[0]!.error, "timeout");
  assert.ok(samples[0]!.latencyMs >= 25);
});

Deno.test("runClosedFetch() starts no request after stop is aborted", async () => {
  const stop = new AbortController();
  const samples: Sample[] = [];
  const result = await runClosedFetch(
    await options({ requests: 10, concurrency: 2, stop: stop.signal }),
    {
      fetch: () => Promise.resolve(new Response("ok")),
      now: stepClock(),
      onSample: (s) => {
        samples.push(s);
        if (samples.length === 3) stop.abort();
      },
    },
  );
  assert.ok(samples.length >= 3 && samples.length <= 4, `stopped after ${samples.length}`);
  assert.equal(result.interrupted, true);
  assert.equal(result.completed, samples.length);
});

Deno.test("a run against a port where nothing listens logs every request as failed", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const connector = openConnector({ policy: "pooled", concurrency: 2 });
  const samples: Sample[] = [];
  try {
    const result = await runClosedFetch(
      await options({ url: `http://127.0.0.1:${port}/v1/infer`, requests: 6, concurrency: 2 }),
      { fetch: connector.fetch, now: () => performance.now(), onSample: (s) => samples.push(s) },
    );
    assert.equal(result.completed, 6);
  } finally {
    connector.close();
  }
  assert.equal(samples.length, 6);
  assert.ok(samples.every((s) => !s.ok && s.error === "connect" && s.status === null));
});

Deno.test("fresh connections open one TCP connection per request; pooled at most C", async () => {
  for (const policy of ["fresh", "pooled"] as const) {
    const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
    const connector = openConnector({ policy, concurrency: 4 });
    const samples: Sample[] = [];
    try {
      await runClosedFetch(await options({ url: stub.url, requests: 40, concurrency: 4 }), {
        fetch: connector.fetch,
        now: () => performance.now(),
        onSample: (s) => samples.push(s),
      });
    } finally {
      connector.close();
      await stub.shutdown();
    }
    const conns = new Set(samples.map((s) => s.connId)).size;
    assert.ok(samples.every((s) => s.ok));
    if (policy === "fresh") assert.equal(conns, 40);
    else assert.ok(conns <= 4, `pooled used ${conns} connections`);
    assert.equal(stub.stats().connections, conns, "server and client agree");
  }
});
