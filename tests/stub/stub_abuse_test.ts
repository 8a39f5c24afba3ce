/**
 * The stub under abuse: malformed and oversized bodies, garbage on the wire,
 * slow senders, clients that vanish mid-body, many idle connections. After
 * each, it is still up and answers a well-formed request with 200.
 */
import assert from "node:assert/strict";
import { type RunningStub, serveStub, type ServeStubOptions } from "../../lib/stub/server.ts";
import { startStubProcess } from "../../lib/stub/spawn.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const GOOD = JSON.stringify({ inputs: "still there?", parameters: { max_new_tokens: 4 } });

async function withStub(
  over: Partial<ServeStubOptions>,
  body: (stub: RunningStub, addr: { port: number }) => Promise<void>,
): Promise<void> {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1], ...over });
  try {
    await body(stub, { port: Number(new URL(stub.url).port) });
  } finally {
    await stub.shutdown();
  }
}

/** A well-formed request gets 200 and an output. */
async function assertAnswers(url: string): Promise<void> {
  const res = await fetch(url, { method: "POST", body: GOOD });
  assert.equal(res.status, 200);
  assert.equal(typeof (await res.json()).output, "string");
}

async function status(url: string, init: RequestInit): Promise<number> {
  const res = await fetch(url, { method: "POST", ...init });
  await res.body?.cancel();
  return res.status;
}

/** Sends raw bytes on a new connection; returns what came back until the server closed, a full head came and then silence, or `ms` passed. */
async function raw(port: number, bytes: string | Uint8Array, ms = 2000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const buf = new Uint8Array(4096);
  let text = "";
  let pending: Promise<number | null> | null = null;
  try {
    await conn.write(typeof bytes === "string" ? enc.encode(bytes) : bytes);
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      // One read in flight at a time: a second read would race the first for the bytes.
      pending ??= conn.read(buf).catch(() => null);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        pending,
        new Promise<"idle">((r) => (timer = setTimeout(() => r("idle"), 100))),
      ]);
      clearTimeout(timer);
      if (n === "idle") {
        if (text.includes("\r\n\r\n")) break;
        continue;
      }
      pending = null;
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
    await pending;
  }
}

Deno.test("stub abuse: malformed bodies get 400 and the stub keeps answering", async () => {
  await withStub({}, async (stub) => {
    const bodies: BodyInit[] = [
      "{not json",
      "",
      "null",
      '"just a string"',
      '{"inputs": ["not", "a", "string"]}',
      '{"inputs": "x", "parameters": 5}',
      new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x7b]),
      "{".repeat(10_000),
    ];
    for (const body of bodies) assert.equal(await status(stub.url, { body }), 400, String(body));
    await assertAnswers(stub.url);
    assert.equal(stub.stats().requests, 1, "only the good request was served");
  });
});

Deno.test("stub abuse: oversized bodies get 413, declared or streamed", async () => {
  await withStub({ maxBodyBytes: 1024 }, async (stub, { port }) => {
    assert.equal(await status(stub.url, { body: "x".repeat(5000) }), 413);
    // Streamed without a length (chunked): counted as it arrives.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(enc.encode("y".repeat(512)));
        c.close();
      },
    });
    assert.equal(await status(stub.url, { body: chunked }), 413);
    // A huge declared length with nothing behind it is refused at once.
    const head = await raw(
      port,
      "POST /v1/infer HTTP/1.1\r\nhost: x\r\ncontent-length: 99999999999\r\n\r\n",
    );
    assert.match(head, /^HTTP\/1\.1 413/);
    await assertAnswers(stub.url);
  });
});

Deno.test("stub abuse: garbage on the wire gets a 4xx or a closed connection, nothing else", async () => {
  await withStub({}, async (stub, { port }) => {
    for (
      const junk of [
        "GARBAGE\r\n\r\n",
        "POST /v1/infer HTTP/1.1\r\ncontent-length: -5\r\n\r\n",
        "POST /v1/infer HTTP/1.1\r\ncontent-length: 10\r\ncontent-length: 20\r\n\r\n",
        new Uint8Array(2048).fill(0),
      ]
    ) {
      const reply = await raw(port, junk);
      assert.ok(
        reply === "" || /^HTTP\/1\.1 4\d\d/.test(reply),
        JSON.stringify(reply.slice(0, 40)),
      );
    }
    await assertAnswers(stub.url);
  });
});

Deno.test("stub abuse: a slow sender gets 408 after the bounded read time, and others are served meanwhile", async () => {
  await withStub({ bodyTimeoutMs: 150 }, async (stub, { port }) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      // Promise 100 bytes, send 10, then stall.
      await conn.write(enc.encode(
        'POST /v1/infer HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"inputs":',
      ));
      await assertAnswers(stub.url); // served while the slow sender holds its connection
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf);
      assert.match(dec.decode(buf.subarray(0, n ?? 0)), /^HTTP\/1\.1 408/);
    } finally {
      conn.close();
    }
    await assertAnswers(stub.url);
  });
});

Deno.test("stub abuse: a slow sender cannot hold the serialized queue past the read time", async () => {
  await withStub({ mode: "serialized", bodyTimeoutMs: 150 }, async (stub, { port }) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(enc.encode(
        "POST /v1/infer HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{",
      ));
      // Queued behind the slow sender, it is served once the slow one is cut off.
      await assertAnswers(stub.url);
      const n = await conn.read(new Uint8Array(4096));
      assert.ok(n !== null && n > 0, "the slow sender got its 408");
    } finally {
      conn.close();
    }
  });
});

Deno.test("stub abuse: a client that vanishes mid-body does not disturb the stub", async () => {
  const logged: unknown[] = [];
  const saved = console.error;
  console.error = (...a: unknown[]) => void logged.push(a);
  try {
    await withStub({}, async (stub, { port }) => {
      for (let i = 0; i < 5; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        await conn.write(enc.encode(
          "POST /v1/infer HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{",
        ));
        conn.close();
      }
      await assertAnswers(stub.url);
      assert.equal(stub.stats().requests, 1);
    });
  } finally {
    console.error = saved;
  }
  assert.deepEqual(logged, [], "no error or stack trace printed");
});

Deno.test("stub abuse: 200 idle connections do not stop it answering", async () => {
  await withStub({}, async (stub, { port }) => {
    const idle: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        // Half say nothing at all; half send part of a request head and stall.
        if (i % 2 === 1) await conn.write(enc.encode("POST /v1/infer HTTP/1.1\r\nhost:"));
        idle.push(conn);
      }
      for (let i = 0; i < 5; i++) await assertAnswers(stub.url);
      assert.equal(stub.stats().requests, 5);
    } finally {
      for (const c of idle) c.close();
    }
  });
});

Deno.test("stub abuse: the stub process survives garbage and a slow sender, and answers after", async () => {
  const stub = await startStubProcess([
    "--mode",
    "concurrent",
    "--service-ms",
    "1:1",
    "--body-timeout-ms",
    "300",
  ]);
  try {
    const port = Number(new URL(stub.url).port);
    await raw(port, "GARBAGE\r\n\r\n");
    assert.equal(await status(stub.url, { body: "{not json" }), 400);
    const slow = await raw(
      port,
      "POST /v1/infer HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{",
    );
    assert.match(
      slow,
      /^HTTP\/1\.1 408/,
      `--body-timeout-ms bounds the read: ${JSON.stringify(slow)}`,
    );
    await assertAnswers(stub.url);
  } finally {
    await stub.stop();
  }
});
