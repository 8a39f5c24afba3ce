/**
 * The Workers experiment: does spreading a `fetch` loop over several Workers
 * (each with its own HTTP client and a share of the 64 connections) raise the
 * ceiling on a 2-core machine where the server needs a core too? Bare loops,
 * no logging, against the benchmark server; worker counts alternate each
 * round. loadgate does not use Workers: on the machine of the README this
 * gave no gain (see the README's benchmark section).
 *
 * ```sh
 * deno run -A tests/bench/workers_fetch.ts --workers 1,2,4 --rounds 4 --requests 100000
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fmt, machineLine, markdownTable, median, startBenchServer } from "./_measure.ts";

const WORKER_SOURCE = `
self.onmessage = async (e) => {
  const { url, connections, requests, body } = e.data;
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: connections, http1: true, http2: false });
  let next = 0;
  const loop = async () => {
    while (next++ < requests) {
      const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" }, client });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  client.close();
  self.postMessage("done");
};`;

/** Requests/s of `workers` Workers sharing `connections` and `requests`. */
async function runOnce(
  url: string,
  workers: number,
  connections: number,
  requests: number,
): Promise<number> {
  const source = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const body = new TextEncoder().encode(
    JSON.stringify({ inputs: "latency model token batch", parameters: { max_new_tokens: 16 } }),
  );
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, (_, i) =>
    new Promise<void>((resolve) => {
      const w = new Worker(source, { type: "module" });
      w.onmessage = () => {
        w.terminate();
        resolve();
      };
      const share = (n: number) => Math.floor(n / workers) + (i < n % workers ? 1 : 0);
      w.postMessage({ url, connections: share(connections), requests: share(requests), body });
    })));
  const rate = requests / ((performance.now() - t0) / 1000);
  URL.revokeObjectURL(source);
  return rate;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      workers: { type: "string", default: "1,2" },
      rounds: { type: "string", default: "4" },
      requests: { type: "string", default: "100000" },
      connections: { type: "string", default: "64" },
    },
  });
  const counts = values.workers!.split(",").map(Number);
  const rates = new Map<number, number[]>(counts.map((c) => [c, []]));
  const started = await machineLine();
  const server = await startBenchServer(0);
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (let i = 0; i < counts.length; i++) {
        const w = counts[(i + round) % counts.length]!;
        const r = await runOnce(server.url, w, Number(values.connections), Number(values.requests));
        rates.get(w)!.push(r);
        console.error(`round ${round + 1}: ${w} worker(s) ${fmt(r, 0)} req/s`);
      }
    }
  } finally {
    await server.stop();
  }
  console.log(markdownTable(
    ["Workers (fetch loop)", "req/s (median)", "runs"],
    counts.map((
      c,
    ) => [String(c), fmt(median(rates.get(c)!), 0), rates.get(c)!.map((r) => fmt(r, 0)).join(" ")]),
  ));
  console.log(`\nmachine at start: ${started}\nmachine at end:   ${await machineLine()}`);
}
