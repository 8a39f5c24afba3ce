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

Deno.test("readBody() over fetch: exact bodies with and without a length, the bytes of a cut or oversize one", async () => {
  const big = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
  // Decoded by fetch: its content-length is the compressed size, not the body's.
  const gzip = await new Response(
    new Blob([big]).stream().pipeThrough(new CompressionStream("gzip")),
  ).bytes();
  // A raw server: a declared length, a chunked body in pieces, and a body cut after 10 of 1000 bytes.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serve = (async () => {
    for await (const conn of listener) {
      const buf = new Uint8Array(4096);
      const n = (await conn.read(buf)) ?? 0;
      const path = new TextDecoder().decode(buf.subarray(0, n)).split(" ")[1];
      const enc = (t: string) => new TextEncoder().encode(t);
      if (path === "/cut") {
        await conn.write(enc("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789"));
      } else if (path === "/chunked") {
        await conn.write(enc("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"));
        for (let at = 0; at < big.length; at += 30_000) {
          const piece = big.subarray(at, at + 30_000);
          await conn.write(enc(`${piece.length.toString(16)}\r\n`));
          await conn.write(piece);
          await conn.write(enc("\r\n"));
        }
        await conn.write(enc("0\r\n\r\n"));
      } else if (path === "/gzip") {
        await conn.write(
          enc(
            `HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: ${gzip.length}\r\n\r\n`,
          ),
        );
        await conn.write(gzip);
      } else {
        await conn.write(enc(`HTTP/1.1 200 OK\r\ncontent-length: ${big.length}\r\n\r\n`));
        await conn.write(big);
      }
      conn.close();
    }
  })().catch(() => {});
  const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  const get = (path: string) => fetch(url + path, { client, headers: { connection: "close" } });
  try {
    for (const path of ["/length", "/chunked", "/gzip"]) {
      const r = await readBody(await get(path), 1 << 20);
      assert.equal(r.bytes, big.length, path);
      assert.deepEqual(r.body, big, path);
    }
    const over = await readBody(await get("/length"), 50_000);
    assert.equal(over.body, null);
    assert.ok(over.bytes > 50_000, `read ${over.bytes}`);
    assert.deepEqual(await readBody(await get("/cut"), 1 << 20), { body: null, bytes: 10 });
  } finally {
    client.close();
    listener.close();
    await serve;
  }
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
