/**
 * The client loops of tests/bench/workers.ts (each Worker runs one through
 * tests/bench/_client_worker.ts): one bare client loop over its share
 * of the connections, no samples, no log. `raw` writes a prepared request and
 * reads until the answer's Content-Length is in (the floor of any JavaScript
 * client on Deno's sockets); `h1` is loadgate's own pool (lib/load/h1/pool.ts)
 * without the measuring around it; `fetch` is Deno's fetch with a pooled client
 * (Deno's floor for the fetch engine). `h1-engine` and `fetch-engine` are
 * loadgate's engines with their measuring (lib/load/h1/engine.ts,
 * lib/load/fetch_engine.ts), each request measured into a sample that is then
 * dropped (no log, no store): the engine's cost beside its bare loop.
 *
 * @module
 */

import { H1Client } from "../../lib/load/h1/pool.ts";
import { requestHeadPrefix } from "../../lib/load/h1/parser.ts";
import { openH1Engine } from "../../lib/load/h1/engine.ts";
import { openFetchEngine } from "../../lib/load/fetch_engine.ts";
import { openConnector } from "../../lib/load/connection.ts";
import type { Engine } from "../../lib/load/engine.ts";
import type { RequestSpec } from "../../lib/load/measure.ts";
import { workloadFromBodies } from "../../lib/workload/workload.ts";

/** What the parent sends. */
export interface LoopTask {
  client: "raw" | "h1" | "fetch" | "h1-engine" | "fetch-engine";
  url: string;
  connections: number;
  requests: number;
  body: Uint8Array<ArrayBuffer>;
}

/** Sends `task.requests` requests over `task.connections` connections; resolves when done. */
export async function clientLoop(task: LoopTask): Promise<void> {
  let next = 0;
  const take = () => next++ < task.requests;
  if (task.client === "h1-engine" || task.client === "fetch-engine") {
    return await engineLoops(task, take);
  }
  const loops = task.client === "raw"
    ? rawLoops(task, take)
    : task.client === "h1"
    ? h1Loops(task, take)
    : fetchLoops(task, take);
  await Promise.all(loops);
}

/** loadgate's engine over `task.connections` closed loops, pooled, each sample checked then dropped. */
async function engineLoops(task: LoopTask, take: () => boolean): Promise<void> {
  const request: RequestSpec = {
    phase: "bench",
    url: task.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    workload: await workloadFromBodies([task.body]),
    timeoutMs: 30_000,
    maxResponseBytes: 1 << 20,
    stream: false,
  };
  const now = () => performance.now();
  let engine: Engine;
  if (task.client === "h1-engine") {
    engine = openH1Engine({ request, policy: "pooled", concurrency: task.connections, now });
  } else {
    const connector = openConnector({ policy: "pooled", concurrency: task.connections });
    const fetchEngine = openFetchEngine(request, { fetch: connector.fetch, now });
    engine = {
      ...fetchEngine,
      close: () => {
        fetchEngine.close();
        connector.close();
      },
    };
  }
  let id = 0;
  const start = now();
  try {
    await Promise.all(Array.from({ length: task.connections }, async () => {
      while (take()) {
        const s = await engine.send(id++, start);
        if (!s.ok) throw new Error(`${task.client} request failed: ${s.error}`);
      }
    }));
  } finally {
    await engine.close();
  }
}

function rawLoops(task: LoopTask, take: () => boolean): Promise<void>[] {
  const url = new URL(task.url);
  const head = new TextEncoder().encode(
    `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
      `content-length: ${task.body.length}\r\n\r\n`,
  );
  const request = new Uint8Array(head.length + task.body.length);
  request.set(head);
  request.set(task.body, head.length);
  return Array.from({ length: task.connections }, async () => {
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    conn.setNoDelay(true);
    const buf = new Uint8Array(4096);
    while (take()) {
      await conn.write(request);
      // One small answer a request: read until the head and Content-Length bytes are in.
      let have = 0;
      let total = -1;
      while (total < 0 || have < total) {
        const n = await conn.read(buf.subarray(have));
        if (n === null) throw new Error("closed");
        have += n;
        if (total < 0) total = answerLength(buf, have);
      }
    }
    conn.close();
  });
}

const LENGTH = new TextEncoder().encode("content-length:");

/**
 * Head plus body length of the answer in `buf[0..have)`, or -1 while the head is incomplete.
 * Lean on purpose (indexOf, no closure a byte): this loop is the floor the engines are held to.
 */
function answerLength(buf: Uint8Array, have: number): number {
  let end = -1;
  for (let i = buf.indexOf(13); i >= 0 && i + 3 < have; i = buf.indexOf(13, i + 1)) {
    if (buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) {
      end = i + 4;
      break;
    }
  }
  if (end < 0) return -1;
  for (let i = 0; i + LENGTH.length < end; i++) {
    let k = 0;
    while (k < LENGTH.length && (buf[i + k]! | 0x20) === LENGTH[k]) k++;
    if (k < LENGTH.length) continue;
    let n = 0;
    for (let j = i + LENGTH.length; j < end && buf[j] !== 13; j++) {
      if (buf[j]! >= 48 && buf[j]! <= 57) n = n * 10 + buf[j]! - 48;
    }
    return end + n;
  }
  throw new Error("an answer without content-length");
}

function h1Loops(task: LoopTask, take: () => boolean): Promise<void>[] {
  const client = new H1Client({
    url: task.url,
    policy: "pooled",
    concurrency: task.connections,
  });
  const url = new URL(task.url);
  const prefix = new TextEncoder().encode(requestHeadPrefix({
    method: "POST",
    target: url.pathname,
    host: url.host,
    headers: [["content-type", "application/json"]],
  }));
  const request = {
    prefix,
    body: task.body,
    noBody: false,
    timeoutMs: 30_000,
    maxBodyBytes: 1 << 20,
  };
  const handlers = { body: (b: Uint8Array) => b.length };
  const loops = Array.from({ length: task.connections }, async () => {
    while (take()) {
      const r = await client.exchange(request, handlers);
      if (r.failure !== "") throw new Error(`h1 exchange failed: ${r.failure}`);
    }
  });
  Promise.all(loops).finally(() => client.close());
  return loops;
}

function fetchLoops(task: LoopTask, take: () => boolean): Promise<void>[] {
  const client = Deno.createHttpClient({
    poolMaxIdlePerHost: task.connections,
    http1: true,
    http2: false,
  });
  const loops = Array.from({ length: task.connections }, async () => {
    while (take()) {
      const res = await fetch(task.url, {
        method: "POST",
        body: task.body,
        headers: { "content-type": "application/json" },
        client,
      });
      await res.arrayBuffer();
    }
  });
  Promise.all(loops).finally(() => client.close());
  return loops;
}
