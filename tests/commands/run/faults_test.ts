/**
 * Faults on the server side: each run must log every request (one row per
 * request id), never crash, end within its timeouts, and fail with a verdict
 * that names the failures by kind.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { runCommand } from "../../../lib/commands/run/command.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import {
  closedPort,
  hold,
  rawServer,
  readRequest,
  resetMidBodyServer,
  responseHead,
  send,
  within,
} from "../../_tcp_servers.ts";
import { runMain } from "../../_helpers.ts";

interface Outcome {
  code: number;
  log: Sample[];
  /** The run's summary JSON. */
  json: {
    interrupted: boolean;
    summary: { requests: number; ok: number; failed: number; errors: Record<string, number> };
    verdict: string;
    reasons: string[];
  };
  /** What the run printed on stdout. */
  out: string;
}

const N = 8;

/** Runs `run` in-process against `url` (N requests, N workers: one round); reads back its log and summary. */
async function runAgainst(url: string, extra: string[] = []): Promise<Outcome> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_fault_" });
  const out: string[] = [];
  try {
    const options = parseRunArgs([
      "--url",
      url,
      "-n",
      String(N),
      "-c",
      String(N),
      "--timeout-ms",
      "1500",
      "--out",
      dir,
      ...extra,
    ]);
    assert.notEqual(options, "help");
    if (options === "help") throw new Error("unreachable");
    const code = await within(
      runCommand(options, {
        out: (l) => out.push(l),
        err: () => {},
        stop: new AbortController().signal,
      }),
      30_000,
      "the run",
    );
    return {
      code,
      log: await readLog(`${dir}/run.csv`),
      json: JSON.parse(await Deno.readTextFile(`${dir}/run.json`)),
      out: out.join("\n"),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every request id 0..N-1 is in the log exactly once, and the summary counts the log. */
function assertAccounted(o: Outcome): void {
  assert.deepEqual(o.log.map((s) => s.requestId).sort((a, b) => a - b), [...Array(N).keys()]);
  assert.equal(o.json.summary.requests, N);
  assert.equal(o.json.summary.ok, o.log.filter((s) => s.ok).length);
  assert.equal(o.json.interrupted, false);
  const kinds: Record<string, number> = {};
  for (const s of o.log) if (!s.ok) kinds[s.error] = (kinds[s.error] ?? 0) + 1;
  assert.deepEqual(o.json.summary.errors, kinds, "the summary's failures by kind match the log");
}

/** The run failed (exit 1) and its verdict names `phrase` (for example "8 of 8 requests failed: 8 timeout"). */
function assertFailedBecause(o: Outcome, phrase: string): void {
  assert.equal(o.code, 1, o.out);
  assert.equal(o.json.verdict, "fail");
  assert.ok(o.json.reasons.includes(phrase), `reasons ${JSON.stringify(o.json.reasons)}`);
  assert.match(o.out, new RegExp(`verdict: FAIL \\(.*${phrase}`));
}

Deno.test("fault: nothing listening: every request is a connect failure", async () => {
  const o = await runAgainst(`http://127.0.0.1:${closedPort()}/v1/infer`);
  assertAccounted(o);
  assert.ok(o.log.every((s) => s.error === "connect" && s.status === null && s.headersMs === null));
  assertFailedBecause(o, `${N} of ${N} requests failed: ${N} connect`);
});

Deno.test("fault: server killed mid-run: answered requests succeed, the rest are connect failures", async () => {
  const ANSWERED = 3;
  let reserved = 0;
  let answered = 0;
  const server = rawServer(async (conn, ctl) => {
    while (await readRequest(conn)) {
      if (++reserved > ANSWERED) return hold(conn); // the death is on its way
      await send(conn, responseHead(200, 2) + "{}");
      if (++answered === ANSWERED) ctl.kill(); // every answer is out: die
    }
  });
  try {
    const o = await runAgainst(server.url);
    assertAccounted(o);
    assert.equal(o.log.filter((s) => s.ok).length, ANSWERED);
    assert.ok(o.log.filter((s) => !s.ok).every((s) => s.error === "connect"));
    assertFailedBecause(o, `${N - ANSWERED} of ${N} requests failed: ${N - ANSWERED} connect`);
  } finally {
    await server.close();
  }
});

Deno.test("fault: connection reset in the middle of a body: a body failure with the bytes received", async () => {
  const server = await resetMidBodyServer(100);
  try {
    const o = await runAgainst(server.url);
    assertAccounted(o);
    for (const s of o.log) {
      assert.deepEqual([s.ok, s.error, s.status, s.bytesIn, s.outputSha256], [
        false,
        "body",
        200,
        100,
        "",
      ]);
      assert.notEqual(s.headersMs, null);
    }
    assertFailedBecause(o, `${N} of ${N} requests failed: ${N} body`);
  } finally {
    await server.close();
  }
});

Deno.test("fault: a server that accepts and never answers: every request times out", async () => {
  const server = rawServer(async (conn) => await hold(conn));
  try {
    const o = await runAgainst(server.url, ["--timeout-ms", "300"]);
    assertAccounted(o);
    assert.ok(o.log.every((s) => s.error === "timeout" && s.status === null));
    assert.ok(o.log.every((s) => s.latencyMs >= 300), "a timeout counts its full wait");
    assertFailedBecause(o, `${N} of ${N} requests failed: ${N} timeout`);
  } finally {
    await server.close();
  }
});

Deno.test("fault: headers, then a stalled body: the timeout covers the body too", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await send(conn, responseHead(200, 1000) + "0123456789");
    await hold(conn);
  });
  try {
    const o = await runAgainst(server.url, ["--timeout-ms", "300"]);
    assertAccounted(o);
    for (const s of o.log) {
      assert.deepEqual([s.ok, s.error, s.status, s.bytesIn], [false, "timeout", 200, 10]);
      assert.notEqual(s.headersMs, null);
    }
    assertFailedBecause(o, `${N} of ${N} requests failed: ${N} timeout`);
  } finally {
    await server.close();
  }
});

Deno.test("fault: 5xx and 4xx answers are failures of their kind, with the status logged", async () => {
  let n = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    return new Response("no", { status: n++ % 2 === 0 ? 503 : 429 });
  });
  try {
    const o = await runAgainst(`http://127.0.0.1:${server.addr.port}/v1/infer`);
    assertAccounted(o);
    const by = (status: number) => o.log.filter((s) => s.status === status);
    assert.equal(by(503).length, N / 2);
    assert.equal(by(429).length, N / 2);
    assert.ok(by(503).every((s) => s.error === "http_5xx" && !s.ok && s.bytesIn === 2));
    assert.ok(by(429).every((s) => s.error === "http_4xx" && !s.ok));
    assertFailedBecause(o, `${N} of ${N} requests failed: ${N / 2} http_4xx, ${N / 2} http_5xx`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("fault: a response far larger than expected stops at the limit as a body failure", async () => {
  const LIMIT = 64 * 1024;
  const chunk = new Uint8Array(16 * 1024).fill(120);
  let cancelled = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    // An endless body: only the client's limit ends it.
    return new Response(
      new ReadableStream({
        pull: (c) => c.enqueue(chunk),
        cancel: () => void cancelled++,
      }),
    );
  });
  try {
    const o = await runAgainst(`http://127.0.0.1:${server.addr.port}/v1/infer`, [
      "--max-response-bytes",
      String(LIMIT),
    ]);
    assertAccounted(o);
    for (const s of o.log) {
      assert.deepEqual([s.ok, s.error, s.status], [false, "body", 200]);
      assert.ok(s.bytesIn > LIMIT && s.bytesIn <= LIMIT + chunk.length, `read ${s.bytesIn}`);
    }
    assertFailedBecause(o, `${N} of ${N} requests failed: ${N} body`);
  } finally {
    await server.shutdown();
  }
  assert.equal(cancelled, N, "the client dropped every endless body");
});

Deno.test("fault: a real process run against a dead port exits 1 with a reason, no crash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_fault_" });
  try {
    const url = `http://127.0.0.1:${closedPort()}/v1/infer`;
    const r = await runMain(["run", "--url", url, "-n", "5", "-c", "2", "--out", dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
    assert.match(r.stdout, /verdict: FAIL \(.*5 of 5 requests failed: 5 connect\)/);
    assert.equal((await readLog(`${dir}/run.csv`)).length, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
