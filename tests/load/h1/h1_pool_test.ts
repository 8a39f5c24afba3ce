import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { closedLoop } from "../../../lib/load/closed_loop.ts";
import { openH1Fetch } from "../../../lib/load/h1/fetch_adapter.ts";
import { openH1Engine } from "../../../lib/load/h1/engine.ts";
import { runPhase } from "../../../lib/load/phase_runner.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import { serveStub } from "../../../lib/stub/server.ts";
import { logsByEngine, requestOf, type RunOptions, runOptions, stable } from "../../_helpers.ts";
import { mainCaptured } from "../../_main_captured.ts";

const enc = new TextEncoder();

/** A TCP server on port 0 that answers each connection with `answer`. */
function rawServer(answer: (conn: Deno.TcpConn) => Promise<void>): {
  url: string;
  close: () => Promise<void>;
} {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.TcpConn>();
  const tasks: Promise<void>[] = [];
  const loop = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      tasks.push(
        answer(conn).catch(() => {}).finally(() => {
          conns.delete(conn);
          try {
            conn.close();
          } catch { /* closed */ }
        }),
      );
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/v1/infer`,
    close: async () => {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await loop;
      await Promise.all(tasks);
    },
  };
}

/** Reads one request head and its content-length body from `conn`; false at EOF. */
async function readRequest(conn: Deno.TcpConn): Promise<boolean> {
  const buf = new Uint8Array(65536);
  let text = "";
  while (true) {
    const n = await conn.read(buf);
    if (n === null) return false;
    text += new TextDecoder().decode(buf.subarray(0, n));
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) continue;
    const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
    if (text.length >= end + 4 + length) return true;
  }
}

const options = (over: Partial<RunOptions> = {}): Promise<RunOptions> =>
  runOptions({ seed: 5, requests: 12, timeoutMs: 5000 }, over);

/** A closed loop of `requests` over `concurrency` through runPhase on h1, its log under `dir`. */
async function h1Phase(
  url: string,
  requests: number,
  concurrency: number,
  dir: string,
  policy: "pooled" | "fresh" = "pooled",
) {
  return await runPhase({
    request: requestOf(await options({ url, requests })),
    plan: { kind: "closed", requests, concurrency, durationMs: null, warmup: 0 },
    policy,
    engine: "h1",
    log: { path: `${dir}/${policy}.csv`, extended: true },
    keepSamples: true,
  });
}

/** Runs the closed loop through the h1 engine; returns the samples by request id. */
async function runH1(o: RunOptions, policy: "fresh" | "pooled" = "pooled"): Promise<Sample[]> {
  const now = () => performance.now();
  const engine = openH1Engine({ request: requestOf(o), policy, concurrency: o.concurrency, now });
  const samples: Sample[] = [];
  try {
    await closedLoop({ requests: o.requests, concurrency: o.concurrency, durationMs: null })({
      engine,
      now,
      onSample: (s) => samples.push(s),
    });
  } finally {
    engine.close();
  }
  return samples.sort((a, b) => a.requestId - b.requestId);
}

Deno.test("h1 engine writes the same log as fetch on the stub, apart from times and connections", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 3] });
  try {
    const logs = await logsByEngine(stub.url, {
      seed: 11,
      requests: 60,
      concurrency: 4,
      timeoutMs: 5000,
    });
    assert.deepEqual(logs.h1.map(stable), logs.fetch.map(stable));
    for (const s of logs.h1) {
      assert.ok(s.headersMs !== null && s.headersMs <= s.latencyMs);
      assert.match(s.connId, /^\d+(\.\d+)?$/);
    }
  } finally {
    await stub.shutdown();
  }
});

Deno.test("h1 engine opens one connection per request when fresh, at most C when pooled", async () => {
  for (const policy of ["fresh", "pooled"] as const) {
    const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
    try {
      const samples = await runH1(
        await options({ url: stub.url, requests: 30, concurrency: 3 }),
        policy,
      );
      assert.ok(samples.every((s) => s.ok));
      const conns = new Set(samples.map((s) => s.connId)).size;
      if (policy === "fresh") assert.equal(conns, 30);
      else assert.ok(conns <= 3, `pooled used ${conns} connections`);
      assert.equal(stub.stats().connections, conns);
    } finally {
      await stub.shutdown();
    }
  }
});

Deno.test("h1 engine records a refused connection as failed rows, never an exception", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const samples = await runH1(await options({ url: `http://127.0.0.1:${port}/v1/infer` }));
  assert.equal(samples.length, 12);
  assert.ok(samples.every((s) => !s.ok && s.error === "connect" && s.status === null));
  assert.ok(samples.every((s) => s.headersMs === null && s.outputSha256 === ""));
});

Deno.test("h1 engine records 4xx, 5xx, cut bodies and garbage as failed rows", async () => {
  let call = 0;
  const server = rawServer(async (conn) => {
    while (await readRequest(conn)) {
      call++;
      const kind = call % 4;
      if (kind === 1) {
        await conn.write(enc.encode("HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\nno"));
      } else if (kind === 2) {
        await conn.write(enc.encode("HTTP/1.1 503 Busy\r\ncontent-length: 4\r\n\r\nbusy"));
      } else if (kind === 3) {
        await conn.write(enc.encode("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\ncut"));
        return;
      } else {
        await conn.write(enc.encode("SMTP ready\r\n\r\n"));
        return;
      }
    }
  });
  try {
    const samples = await runH1(await options({ url: server.url, requests: 8, concurrency: 1 }));
    assert.deepEqual(samples.map((s) => [s.ok, s.error, s.status]), [
      [false, "http_4xx", 404],
      [false, "http_5xx", 503],
      [false, "body", 200],
      [false, "connect", null],
      [false, "http_4xx", 404],
      [false, "http_5xx", 503],
      [false, "body", 200],
      [false, "connect", null],
    ]);
    assert.equal(samples[2]!.bytesIn, 3);
    assert.equal(samples[0]!.outputSha256.length, 64, "a complete 4xx body is still digested");
  } finally {
    await server.close();
  }
});

Deno.test("h1 engine times out a request that never answers", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await conn.read(new Uint8Array(16)); // wait for the client to give up
  });
  try {
    const samples = await runH1(
      await options({ url: server.url, requests: 2, concurrency: 2, timeoutMs: 40 }),
    );
    for (const s of samples) {
      assert.equal(s.error, "timeout");
      assert.equal(s.status, null);
      assert.ok(s.latencyMs >= 35, `gave up after ${s.latencyMs} ms`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("h1 engine retries once when a kept-alive connection was closed by the server", async () => {
  // One answer per connection, without "connection: close": the client learns on reuse.
  const server = rawServer(async (conn) => {
    if (await readRequest(conn)) {
      await conn.write(enc.encode("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
    }
  });
  try {
    const samples = await runH1(await options({ url: server.url, requests: 6, concurrency: 1 }));
    assert.deepEqual(samples.map((s) => s.error), ["", "", "", "", "", ""]);
  } finally {
    await server.close();
  }
});

Deno.test("h1 engine reads chunked answers like fetch does", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(enc.encode('{"output":'));
            c.enqueue(enc.encode('"chunked"}'));
            c.close();
          },
        }),
      ),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}/v1/infer`;
    const h1 = await runH1(await options({ url, requests: 4 }));
    const viaFetch = await fetch(url, { method: "POST", body: "{}" });
    const text = await viaFetch.text();
    const { sha256Hex } = await import("../../../lib/base/hash.ts");
    assert.ok(h1.every((s) => s.ok && s.outputSha256 === h1[0]!.outputSha256));
    assert.equal(h1[0]!.outputSha256, await sha256Hex(text));
    assert.equal(h1[0]!.bytesIn, text.length);
  } finally {
    await server.shutdown();
  }
});

Deno.test("h1 engine's fetch adapter gives a Response, and honours an abort", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1] });
  const engine = openH1Fetch({ url: stub.url, policy: "pooled", concurrency: 2 });
  try {
    const res = await engine.fetch(stub.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inputs: "hi", parameters: { max_new_tokens: 2 } }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("server-timing") ?? "", /infer;dur=1/);
    assert.equal((await res.json()).tokens, 2);
    const bad = await engine.fetch(stub.url, { method: "GET" });
    assert.equal(bad.status, 405);
    await bad.body?.cancel();
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(
      engine.fetch(stub.url, { method: "POST", body: "{}", signal: aborted.signal }),
    );
  } finally {
    engine.close();
    await stub.shutdown();
  }
});

Deno.test("run --engine h1 logs every request; an unknown engine is a usage error", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [0, 1] });
  const dir = await Deno.makeTempDir({ prefix: "loadgate_h1_" });
  try {
    const r = await mainCaptured([
      "run",
      "--url",
      stub.url,
      "-n",
      "30",
      "-c",
      "4",
      "--engine",
      "h1",
      "--out",
      dir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const log = await readLog(`${dir}/run.csv`);
    assert.equal(log.length, 30);
    assert.ok(log.every((s) => s.ok));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.equal(summary.engine, "h1");
    const https = await mainCaptured([
      ...["run", "--url", "https://127.0.0.1:1/x", "--engine", "h1", "--out", `${dir}/https`],
    ]);
    assert.equal(https.code, 1, "https is h1's too: a refused connection is a failed row");
    const bogus = await mainCaptured(["run", "--url", stub.url, "--engine", "curl"]);
    assert.equal(bogus.code, 2);
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a pooled closed loop on h1 opens its C connections before the first request is sent", async () => {
  const accepted: number[] = [];
  const firstBytes: number[] = [];
  const server = rawServer(async (conn) => {
    accepted.push(performance.now());
    let first = true;
    while (await readRequest(conn)) {
      if (first) firstBytes.push(performance.now());
      first = false;
      await conn.write(enc.encode("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
    }
  });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "preconnect_" });
  try {
    for (const policy of ["pooled", "fresh"] as const) {
      accepted.length = 0;
      firstBytes.length = 0;
      const outcome = await h1Phase(server.url, 20, 4, dir, policy);
      assert.equal(outcome.samples.filter((s) => s.ok).length, 20, policy);
      if (policy === "pooled") {
        assert.equal(outcome.preconnected, 4);
        assert.equal(accepted.length, 4, "no connection beyond the four opened first");
        assert.ok(Math.max(...accepted) < Math.min(...firstBytes), "all open before any request");
      } else {
        assert.equal(outcome.preconnected, 0, "fresh connections are the point of fresh");
        assert.equal(accepted.length, 20);
      }
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("preconnecting to a refused port opens nothing and the requests fail as rows", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "preconnect_" });
  try {
    const outcome = await h1Phase(`http://127.0.0.1:${port}/v1/infer`, 6, 3, dir);
    assert.equal(outcome.preconnected, 0);
    assert.equal(outcome.samples.length, 6);
    assert.ok(outcome.samples.every((s) => !s.ok && s.error === "connect"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a preconnected connection the server closed before any request is retried once", async () => {
  let accepts = 0;
  const server = rawServer(async (conn) => {
    if (++accepts <= 3) return; // the three opened ahead: closed unused, as an idle timeout would
    while (await readRequest(conn)) {
      await conn.write(enc.encode("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
    }
  });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "preconnect_" });
  try {
    const outcome = await h1Phase(server.url, 9, 3, dir);
    assert.equal(outcome.preconnected, 3);
    assert.ok(
      outcome.samples.every((s) => s.ok),
      JSON.stringify(outcome.samples.map((s) => s.error)),
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
