/**
 * The Workers experiment: does spreading a client loop over several Workers
 * (each with its own connections, a share of the 64) raise the ceiling on a
 * 2-core machine where the server needs a core too? Bare loops, no samples,
 * no log, against the benchmark server (tests/bench/_client_loop.ts):
 *
 * - `raw`: write a prepared request, read until Content-Length is in: the
 *   floor of any JavaScript client on Deno's sockets;
 * - `h1`: loadgate's own pool (lib/load/h1/pool.ts) without the measuring;
 * - `fetch`: Deno's fetch with a pooled client (Deno's floor for the fetch engine);
 * - `h1-engine`, `fetch-engine`: loadgate's engines measuring each request into
 *   a sample (no log, no store): their cost beside their bare loops. Goal lines
 *   follow the table: h1's requests/s against the raw loop's, fetch's CPU a
 *   request against h1's, and what the fetch engine adds to the bare fetch loop.
 *
 * Each cell also reports the CPU the client process and the server process
 * used, as cores: when their sum is near the machine's cores, more Workers
 * can only take CPU from the server. Worker counts alternate each round.
 *
 * ```sh
 * deno run -A tests/bench/workers.ts --client raw,h1 --workers 1,2 --rounds 3 --requests 200000
 * deno run -A tests/bench/workers.ts --client fetch,fetch-engine,h1,h1-engine --workers 1
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  cpuSecondsOf,
  fmt,
  loadAvg,
  machineLine,
  markdownTable,
  median,
  startBenchServer,
} from "./_measure.ts";
import type { LoopTask } from "./_client_loop.ts";

const LOOP = new URL("./_client_worker.ts", import.meta.url).href;

interface Cell {
  rate: number;
  clientCores: number;
  serverCores: number;
  /** Client process CPU a request, µs (user + system, /proc). */
  cpuUs: number;
}

/** Requests/s of `workers` Workers sharing `connections` and `requests`, and the CPU spent. */
async function runOnce(
  task: Omit<LoopTask, "connections" | "requests">,
  workers: number,
  connections: number,
  requests: number,
  serverPid: number,
): Promise<Cell> {
  const server0 = await cpuSecondsOf(serverPid);
  const self0 = await cpuSecondsOf(Deno.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(LOOP, { type: "module" });
        w.onmessage = (e) => {
          w.terminate();
          if (e.data === "done") resolve();
          else reject(new Error(String(e.data)));
        };
        const share = (n: number) => Math.floor(n / workers) + (i < n % workers ? 1 : 0);
        w.postMessage({ ...task, connections: share(connections), requests: share(requests) });
      })),
  );
  const wallS = (performance.now() - t0) / 1000;
  const clientS = (await cpuSecondsOf(Deno.pid)) - self0;
  return {
    rate: requests / wallS,
    cpuUs: clientS / requests * 1e6,
    clientCores: clientS / wallS,
    serverCores: ((await cpuSecondsOf(serverPid)) - server0) / wallS,
  };
}

/**
 * The fetch engine's goals with one Worker, from the medians of client CPU a request: within
 * 3 x the h1 engine's, and what it adds to Deno's bare fetch loop (the part that is loadgate's).
 */
function goalLines(cells: Map<string, Cell[]>): string[] {
  const cpu = (client: string) => median((cells.get(`${client} 1`) ?? []).map((c) => c.cpuUs));
  const verdict = (x: number, met: boolean) =>
    Number.isNaN(x) ? "not measured" : met ? "met" : "not met";
  const ratio = cpu("fetch-engine") / cpu("h1-engine");
  const ours = cpu("fetch-engine") - cpu("fetch");
  const rate = (client: string) => median((cells.get(`${client} 1`) ?? []).map((c) => c.rate));
  // The alternative to 0.8 x wrk: h1 within 85 % of Deno's bare socket loop, same table.
  const h1 = rate("h1-engine") / rate("raw");
  return [
    `goal: h1-engine req/s ÷ raw loop's >= 0.85: ${fmt(h1, 2)} x -> ${verdict(h1, h1 >= 0.85)}` +
    ` (CPU µs/req ${fmt(cpu("h1-engine"), 1)} against ${fmt(cpu("raw"), 1)})`,
    `goal: fetch-engine CPU µs/req ÷ h1-engine's <= 3: ${fmt(ratio, 2)} x -> ${
      verdict(ratio, ratio <= 3)
    }`,
    `fetch-engine CPU µs/req − bare fetch loop's (loadgate's own part; the rest is Deno's fetch): ` +
    `${fmt(ours, 1)} µs of ${fmt(cpu("fetch-engine"), 1)}`,
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      client: { type: "string", default: "raw,h1,h1-engine,fetch,fetch-engine" },
      workers: { type: "string", default: "1,2" },
      rounds: { type: "string", default: "3" },
      requests: { type: "string", default: "200000" },
      connections: { type: "string", default: "64" },
    },
  });
  const clients = values.client!.split(",") as LoopTask["client"][];
  const counts = values.workers!.split(",").map(Number);
  const cells = new Map<string, Cell[]>();
  const started = await machineLine();
  const server = await startBenchServer(0);
  const body = new TextEncoder().encode(
    JSON.stringify({ inputs: "latency model token batch", parameters: { max_new_tokens: 16 } }),
  );
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const client of clients) {
        for (let i = 0; i < counts.length; i++) {
          const w = counts[(i + round) % counts.length]!;
          const requests = Number(values.requests) / (client.startsWith("fetch") ? 4 : 1);
          const cell = await runOnce(
            { client, url: server.url, body },
            w,
            Number(values.connections),
            requests,
            server.pid,
          );
          const key = `${client} ${w}`;
          if (!cells.has(key)) cells.set(key, []);
          cells.get(key)!.push(cell);
          console.error(
            `round ${round + 1}: ${client}, ${w} worker(s): ${fmt(cell.rate, 0)} req/s, ` +
              `${fmt(cell.cpuUs, 1)} µs CPU/req, client ${fmt(cell.clientCores, 2)} cores, ` +
              `server ${fmt(cell.serverCores, 2)}, load ${await loadAvg()}`,
          );
        }
      }
    }
  } finally {
    await server.stop();
  }
  const med = (key: string, f: (c: Cell) => number) => median(cells.get(key)!.map(f));
  console.log(markdownTable(
    [
      "client loop",
      "Workers",
      "req/s (median)",
      "runs",
      "client CPU µs/req",
      "client cores",
      "server cores",
    ],
    [...cells.keys()].map((key) => {
      const [client, w] = key.split(" ") as [string, string];
      return [
        client,
        w,
        fmt(med(key, (c) => c.rate), 0),
        cells.get(key)!.map((c) => fmt(c.rate, 0)).join(" "),
        fmt(med(key, (c) => c.cpuUs), 1),
        fmt(med(key, (c) => c.clientCores), 2),
        fmt(med(key, (c) => c.serverCores), 2),
      ];
    }),
  ));
  for (const goal of goalLines(cells)) console.log(goal);
  console.log(`\nmachine at start: ${started}\nmachine at end:   ${await machineLine()}`);
  console.log(`command: deno run -A tests/bench/workers.ts ${Deno.args.join(" ")}`.trimEnd());
}
