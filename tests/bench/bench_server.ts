/**
 * The benchmark's target: the leanest Deno.serve endpoint, so that the load
 * generators, not the server, are what the throughput benchmark measures.
 * `POST /v1/infer` reads the body and answers a fixed 40-byte JSON, after
 * `--delay-ms` (0: at once; 50: the overhead benchmark's endpoint).
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 tests/bench/bench_server.ts --delay-ms 0
 * # {"url":"http://127.0.0.1:40123/v1/infer","pid":1234}
 * ```
 *
 * It stops when its standard input closes, or on SIGINT / SIGTERM.
 *
 * @module
 */

import { parseArgs } from "node:util";

const ANSWER = new TextEncoder().encode('{"output":"benchmark answer","tokens":2}');
const HEADERS = { "content-type": "application/json" };

/** Starts the server; `delayMs` 0 answers without touching a timer. */
export function serveBench(delayMs: number, port = 0): Deno.HttpServer<Deno.NetAddr> {
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  return Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    async (req) => {
      await req.arrayBuffer();
      if (delayMs > 0) await sleep(delayMs);
      return new Response(ANSWER, { headers: HEADERS });
    },
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "delay-ms": { type: "string" }, port: { type: "string" } },
  });
  const delay = Number(values["delay-ms"] ?? "0");
  const server = serveBench(delay, Number(values.port ?? "0"));
  console.log(
    JSON.stringify({ url: `http://127.0.0.1:${server.addr.port}/v1/infer`, pid: Deno.pid }),
  );
  const stop = async () => {
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  (async () => {
    const buf = new Uint8Array(64);
    try {
      while ((await Deno.stdin.read(buf)) !== null) { /* until EOF */ }
    } catch { /* no stdin */ }
    await stop();
  })();
}
