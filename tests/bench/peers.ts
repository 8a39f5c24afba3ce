/**
 * loadgate against its peers, whole process against whole process: each tool
 * runs against the same benchmark server (started in its own process), in
 * rounds, the tools' order rotating from round to round so that drifting
 * background load is spread across them. Prints a table of requests/s, P50,
 * P99 and CPU per tool (medians over the rounds), with the ratios the issue's
 * goals are stated in.
 *
 * Four scenarios:
 *
 * - `throughput`: a trivial endpoint (fixed 40-byte answer), 64 connections,
 *   POST of a 101-byte JSON body: how many requests/s each tool can push.
 * - `nginx`: the same against a server no one here wrote: nginx from the
 *   system (one process, `return 200` with the same 40-byte JSON,
 *   tests/bench/nginx.conf), started on a free port and stopped by this
 *   script; skipped, with the reason, when nginx is not installed
 *   (`apt-get install nginx`).
 *   The throughput scenarios also time `deno-raw`, Deno's bare socket loop
 *   (tests/bench/raw_loop.ts: a prepared request written, the answer read to
 *   its length, nothing measured), the floor of a JavaScript client here.
 * - `overhead`: an endpoint that answers after 50 ms, 10 connections, pooled:
 *   how much each tool adds to the latency it reports.
 * - `tails`: loadgate's stub in concurrent mode with a fixed 20 ms service
 *   time, 64 connections, 4,000 POSTs, pooled (issue 13's table): how much
 *   each tool adds at P50, P95 and P99 under load. Tools with a request count
 *   (loadgate, hey, ab, autocannon) send 4,000; wrk, which has none, runs
 *   for the time 4,000 take at 64 / 20 ms.
 *
 * Peers are used when installed (wrk, hey, ab, autocannon); a missing one is
 * named in the output. Nothing is installed by this script.
 *
 * ```sh
 * deno run -A tests/bench/peers.ts                      # all three scenarios, 3 rounds of 5 s
 * deno run -A tests/bench/peers.ts --scenario tails --rounds 5
 * deno run -A tests/bench/peers.ts --scenario throughput --rounds 5 --seconds 5
 * deno run -A tests/bench/peers.ts --main ../old/main.ts --tools loadgate-fetch
 * deno run -A tests/bench/peers.ts --scenario nginx --compare-main ../old/main.ts  # + loadgate-h1@base
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { V8_FLAGS_ARG } from "../../lib/base/runtime_flags.ts";
import {
  cpuSecondsOf,
  findNginx,
  findOnPath,
  fmt,
  loadAvg,
  machineLine,
  markdownTable,
  measure,
  median,
  startBenchServer,
  startNginxServer,
  startStubServer,
} from "./_measure.ts";

/** One tool run's figures. */
interface RunFigures {
  rps: number;
  p50: number;
  /** NaN where the tool does not report it (wrk, autocannon). */
  p95: number;
  p99: number;
  requests: number;
  cpuS: number;
  serverCpuS: number;
  wallS: number;
}

interface Scenario {
  name: "throughput" | "nginx" | "overhead" | "tails";
  delayMs: number;
  connections: number;
  /** Requests each run sends, for tools that take a count; null: each runs for `seconds`. */
  requests: number | null;
  /**
   * `bench`: tests/bench/bench_server.ts; `nginx`: nginx with tests/bench/nginx.conf;
   * `stub`: loadgate's stub, concurrent, fixed service time.
   */
  server: "bench" | "nginx" | "stub";
}

const SCENARIOS: Record<string, Scenario> = {
  throughput: { name: "throughput", delayMs: 0, connections: 64, requests: null, server: "bench" },
  nginx: { name: "nginx", delayMs: 0, connections: 64, requests: null, server: "nginx" },
  overhead: { name: "overhead", delayMs: 50, connections: 10, requests: null, server: "bench" },
  tails: { name: "tails", delayMs: 20, connections: 64, requests: 4000, server: "stub" },
};

async function startServer(scenario: Scenario) {
  if (scenario.server === "bench") return await startBenchServer(scenario.delayMs);
  if (scenario.server === "nginx") return await startNginxServer((await findNginx())!);
  const ms = String(scenario.delayMs);
  return await startStubServer(["--mode", "concurrent", "--service-ms", `${ms}:${ms}`]);
}

const BODY = JSON.stringify({
  inputs: "latency model token batch summarize translate explain",
  parameters: { max_new_tokens: 16 },
});

interface Tool {
  name: string;
  /** Why it cannot run here, or null. */
  missing: string | null;
  run: (ctx: RunContext) => Promise<RunFigures | string>;
}

interface RunContext {
  url: string;
  connections: number;
  seconds: number;
  dir: string;
  bodyFile: string;
  serverPid: number;
  /** The server's answer delay, ms. */
  delayMs: number;
  /** Requests loadgate should send to last about `seconds` (it has no duration mode). */
  loadgateRequests: (tool: string) => number;
  /** A fixed request count for every tool that takes one, or null. */
  requests: number | null;
}

/** Runs a peer under measurement, with the server's CPU counted beside it. */
async function timed(
  ctx: RunContext,
  cmd: string,
  args: string[],
  parse: (stdout: string) => Omit<RunFigures, "cpuS" | "serverCpuS" | "wallS"> | string,
): Promise<RunFigures | string> {
  const before = await cpuSecondsOf(ctx.serverPid);
  const m = await measure(cmd, args);
  const serverCpuS = (await cpuSecondsOf(ctx.serverPid)) - before;
  if (m.code !== 0) return `exit ${m.code}: ${(m.stderr || m.stdout).trim().split("\n")[0]}`;
  const parsed = parse(m.stdout);
  if (typeof parsed === "string") return parsed;
  return { ...parsed, cpuS: m.cpuS, serverCpuS, wallS: m.wallS };
}

/** wrk has no request count: the seconds `ctx.requests` take at C connections / delay (at least 1). */
function wrkSeconds(ctx: RunContext): number {
  return Math.max(1, Math.ceil((ctx.requests! * ctx.delayMs) / ctx.connections / 1000));
}

/** A duration with unit (`497.00us`, `1.26ms`, `0.5s`) in ms. */
function durationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "ms" ? v : m[2] === "s" ? v * 1000 : v * 60_000;
}

function loadgateTool(main: string, engine: "fetch" | "h1", suffix = ""): Tool {
  const name = `loadgate-${engine}${suffix}`;
  return {
    name,
    missing: null,
    run: (ctx) => {
      const out = `${ctx.dir}/${name}`;
      const requests = ctx.requests ?? ctx.loadgateRequests(name);
      const args = [
        "run",
        "--quiet",
        "--allow-net=127.0.0.1",
        "--allow-read",
        "--allow-write",
        main,
        "run",
        "--url",
        ctx.url,
        "-n",
        String(requests),
        "-c",
        String(ctx.connections),
        "--body",
        `@${ctx.bodyFile}`,
        "--out",
        out,
        "--sla",
        "p95<=1e9",
      ];
      args.splice(args.indexOf(main), 0, V8_FLAGS_ARG);
      args.push("--engine", engine);
      return timed(ctx, Deno.execPath(), args, () => {
        const summary = JSON.parse(Deno.readTextFileSync(`${out}/run.json`)).summary;
        if (summary.failed > 0) return `${summary.failed} failed requests`;
        return {
          rps: summary.throughput,
          p50: summary.p50,
          p95: summary.p95,
          p99: summary.p99,
          requests: summary.requests,
        };
      });
    },
  };
}

/** Deno's bare socket loop (tests/bench/raw_loop.ts): the floor of a JavaScript client here. */
function denoRawTool(): Tool {
  const name = "deno-raw";
  return {
    name,
    missing: null,
    run: (ctx) => {
      const requests = ctx.requests ?? ctx.loadgateRequests(name);
      const script = new URL("./raw_loop.ts", import.meta.url).pathname;
      const args = ["run", "--quiet", "-A", V8_FLAGS_ARG, script];
      args.push(ctx.url, String(ctx.connections), String(requests), ctx.bodyFile);
      return timed(ctx, Deno.execPath(), args, (stdout) => {
        const r = JSON.parse(stdout);
        return { rps: r.requests / r.seconds, p50: NaN, p95: NaN, p99: NaN, requests: r.requests };
      });
    },
  };
}

async function peerTools(only: Set<string> | null): Promise<Tool[]> {
  const want = (n: string) => only === null || only.has(n);
  const tools: Tool[] = [];
  const wrk = await findOnPath("wrk");
  if (want("wrk")) {
    tools.push({
      name: "wrk",
      missing: wrk ? null : "wrk is not installed (apt-get install wrk)",
      run: async (ctx) => {
        const script = `${ctx.dir}/post.lua`;
        await Deno.writeTextFile(
          script,
          `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.body = ${
            JSON.stringify(BODY)
          }\n`,
        );
        return timed(ctx, wrk!, [
          "-t1",
          `-c${ctx.connections}`,
          `-d${ctx.requests === null ? ctx.seconds : wrkSeconds(ctx)}s`,
          "-s",
          script,
          "--latency",
          ctx.url,
        ], (s) => {
          const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(s)?.[1]);
          const total = Number(/(\d+) requests in/.exec(s)?.[1]);
          const errors = /Non-2xx|Socket errors/.exec(s);
          if (errors) return `errors: ${errors[0]}`;
          return {
            rps,
            p50: durationMs(/\s50%\s+(\S+)/.exec(s)?.[1] ?? ""),
            p95: NaN,
            p99: durationMs(/\s99%\s+(\S+)/.exec(s)?.[1] ?? ""),
            requests: total,
          };
        });
      },
    });
  }
  const autocannon = await findOnPath("autocannon");
  if (want("autocannon")) {
    tools.push({
      name: "autocannon",
      missing: autocannon ? null : "autocannon is not installed (npm install -g autocannon@8)",
      run: (ctx) =>
        timed(ctx, autocannon!, [
          "-c",
          String(ctx.connections),
          ...(ctx.requests === null ? ["-d", String(ctx.seconds)] : ["-a", String(ctx.requests)]),
          "-m",
          "POST",
          "-H",
          "content-type=application/json",
          "-b",
          BODY,
          "--json",
          ctx.url,
        ], (s) => {
          const d = JSON.parse(s);
          if (d.errors > 0 || d.non2xx > 0) return `${d.errors} errors, ${d.non2xx} non-2xx`;
          return {
            rps: d.requests.total / d.duration,
            p50: d.latency.p50,
            p95: NaN,
            p99: d.latency.p99,
            requests: d.requests.total,
          };
        }),
    });
  }
  const hey = await findOnPath("hey");
  if (want("hey")) {
    tools.push({
      name: "hey",
      missing: hey ? null : "hey is not installed (apt-get install hey)",
      run: (ctx) =>
        timed(ctx, hey!, [
          "-c",
          String(ctx.connections),
          ...(ctx.requests === null ? ["-z", `${ctx.seconds}s`] : ["-n", String(ctx.requests)]),
          "-m",
          "POST",
          "-T",
          "application/json",
          "-D",
          ctx.bodyFile,
          ctx.url,
        ], (s) => {
          const total = Number(/\[200\]\s+(\d+) responses/.exec(s)?.[1]);
          if (/Error distribution/.test(s)) return "errors reported";
          return {
            rps: Number(/Requests\/sec:\s*([\d.]+)/.exec(s)?.[1]),
            p50: Number(/50% in ([\d.]+) secs/.exec(s)?.[1]) * 1000,
            p95: Number(/95% in ([\d.]+) secs/.exec(s)?.[1]) * 1000,
            p99: Number(/99% in ([\d.]+) secs/.exec(s)?.[1]) * 1000,
            requests: total,
          };
        }),
    });
  }
  const ab = await findOnPath("ab");
  if (want("ab")) {
    tools.push({
      name: "ab -k",
      missing: ab ? null : "ab is not installed (apt-get install apache2-utils)",
      run: (ctx) =>
        timed(ctx, ab!, [
          "-k",
          "-q",
          "-c",
          String(ctx.connections),
          ...(ctx.requests === null
            ? ["-t", String(ctx.seconds), "-n", "50000000"]
            : ["-n", String(ctx.requests)]),
          "-p",
          ctx.bodyFile,
          "-T",
          "application/json",
          ctx.url,
        ], (s) => {
          const failed = Number(/Failed requests:\s*(\d+)/.exec(s)?.[1]);
          if (failed > 0) return `${failed} failed requests`;
          return {
            rps: Number(/Requests per second:\s*([\d.]+)/.exec(s)?.[1]),
            p50: Number(/\s50%\s+(\d+)/.exec(s)?.[1]),
            p95: Number(/\s95%\s+(\d+)/.exec(s)?.[1]),
            p99: Number(/\s99%\s+(\d+)/.exec(s)?.[1]),
            requests: Number(/Complete requests:\s*(\d+)/.exec(s)?.[1]),
          };
        }),
    });
  }
  return tools;
}

/** A column comparing each tool with a reference tool, as the goals are stated. */
interface Comparison {
  header: string;
  ref: string;
  value: (tool: string) => string;
}

/** The scenario's comparison columns (medians over the rounds). */
function comparisons(
  scenario: Scenario,
  med: (tool: string, key: keyof RunFigures) => number,
): Comparison[] {
  const ratio = (ref: string): Comparison => ({
    header: `req/s ÷ ${ref}`,
    ref,
    value: (t) => fmt(med(t, "rps") / med(ref, "rps"), 2),
  });
  const diff = (key: "p50" | "p95" | "p99", ref: string): Comparison => ({
    header: `${key.toUpperCase()} − ${ref} (ms)`,
    ref,
    value: (t) => fmt(med(t, key) - med(ref, key), 2),
  });
  if (scenario.name === "throughput" || scenario.name === "nginx") {
    return [ratio("autocannon"), ratio("wrk")];
  }
  if (scenario.name === "overhead") return [diff("p50", "hey")];
  return [diff("p50", "wrk"), diff("p95", "hey"), diff("p99", "wrk")];
}

/**
 * The goals for loadgate's engines in this scenario, each with the figure of this run
 * (medians over the rounds) and whether it was met: h1's requests/s against wrk's on a
 * trivial endpoint, its tails against the peers', and fetch's CPU a request against h1's.
 */
function goalLines(
  scenario: Scenario,
  med: (tool: string, key: keyof RunFigures) => number,
  cpuUs: (tool: string) => number,
): string[] {
  const tool = "loadgate-h1";
  const line = (who: string, what: string, figure: number, met: boolean, unit: string) =>
    `goal: ${who} ${what}: ${fmt(figure, 2)}${unit} -> ${
      Number.isNaN(figure) ? "not measured" : met ? "met" : "not met"
    }`;
  const diff = (key: "p50" | "p95" | "p99", ref: string, limit: number) => {
    const d = med(tool, key) - med(ref, key);
    return line(
      tool,
      `${key.toUpperCase()} − ${ref} within ±${limit} ms`,
      d,
      Math.abs(d) <= limit,
      " ms",
    );
  };
  const cpu = cpuUs("loadgate-fetch") / cpuUs(tool);
  const fetchCpu = line("loadgate-fetch", "CPU µs/req ÷ loadgate-h1's <= 3", cpu, cpu <= 3, " x");
  if (scenario.name === "throughput" || scenario.name === "nginx") {
    const r = med(tool, "rps") / med("wrk", "rps");
    const raw = med(tool, "rps") / med("deno-raw", "rps");
    return [
      line(tool, "req/s ÷ wrk >= 0.8", r, r >= 0.8, " x"),
      line(tool, "req/s ÷ deno-raw (Deno's bare socket loop) >= 0.85", raw, raw >= 0.85, " x"),
      fetchCpu,
    ];
  }
  if (scenario.name === "tails") {
    return [diff("p50", "wrk", 0.5), diff("p95", "hey", 1), diff("p99", "wrk", 2)];
  }
  return [];
}

/** Runs one scenario; returns its table as Markdown. */
async function runScenario(
  scenario: Scenario,
  tools: Tool[],
  options: { rounds: number; seconds: number; dir: string; bodyFile: string },
  log: (line: string) => void,
): Promise<{ table: string; figures: Map<string, RunFigures[]> }> {
  // Deno's bare loop has no clock: a row for the throughput scenarios only.
  const throughput = scenario.name === "throughput" || scenario.name === "nginx";
  tools = tools.filter((t) => t.name !== "deno-raw" || throughput);
  const server = await startServer(scenario);
  const figures = new Map<string, RunFigures[]>(tools.map((t) => [t.name, []]));
  const rates = new Map<string, number>();
  try {
    const ctx: RunContext = {
      url: server.url,
      connections: scenario.connections,
      seconds: options.seconds,
      dir: options.dir,
      bodyFile: options.bodyFile,
      serverPid: server.pid,
      delayMs: scenario.delayMs,
      requests: scenario.requests,
      loadgateRequests: (tool) => {
        // Until measured: what a 2-core machine gives (fetch ~12k/s, h1 ~40k/s at 64 connections).
        const guess = scenario.delayMs > 0
          ? scenario.connections * 1000 / (scenario.delayMs + 1)
          : tool.includes("fetch")
          ? 12_000
          : 40_000;
        return Math.max(100, Math.round((rates.get(tool) ?? guess) * options.seconds));
      },
    };
    // Calibrate loadgate's request count with a short unrecorded run, so each of its runs
    // lasts about as long as a peer's.
    const pilots = scenario.requests === null ? tools : [];
    const counted = (t: Tool) => t.name.startsWith("loadgate") || t.name === "deno-raw";
    for (const tool of pilots.filter((t) => !t.missing && counted(t))) {
      const pilot = await tool.run({ ...ctx, seconds: 1 });
      if (typeof pilot !== "string") rates.set(tool.name, pilot.rps);
    }
    // Without pilots (a fixed request count), the first recorded run met a cold server: one
    // unrecorded run of the first tool, of the scenario's own size, warms it (loadgate-h1 ran
    // first in round 1 and got a P99 of about 62 ms there in both tails runs of 2026-12-06,
    // against 26 to 30 ms in later rounds).
    const first = tools.find((t) => !t.missing);
    if (pilots.length === 0 && first) await first.run(ctx);
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so no tool always runs first or last.
      const runnable = tools.filter((t) => !t.missing);
      const order = runnable.map((_, i) => runnable[(i + round) % runnable.length]!);
      for (const tool of order) {
        const r = await tool.run(ctx);
        if (typeof r === "string") {
          log(`  ${scenario.name} round ${round + 1} ${tool.name}: FAILED (${r})`);
          continue;
        }
        figures.get(tool.name)!.push(r);
        if (tool.name.startsWith("loadgate")) rates.set(tool.name, r.rps);
        log(
          `  ${scenario.name} round ${round + 1} ${tool.name.padEnd(14)} ${fmt(r.rps, 0)} req/s, ` +
            `p50 ${fmt(r.p50, 2)} ms, p95 ${fmt(r.p95, 2)} ms, p99 ${
              fmt(r.p99, 2)
            } ms, ${r.requests} requests, ` +
            `cpu ${fmt(r.cpuS, 2)} s, server cpu ${
              fmt(r.serverCpuS, 2)
            } s, load ${await loadAvg()}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  const med = (name: string, key: keyof RunFigures) =>
    median((figures.get(name) ?? []).map((f) => f[key]));
  const cmp = comparisons(scenario, (name, key) => med(name, key));
  const header = [
    "tool",
    "runs",
    "req/s",
    "P50 ms",
    "P95 ms",
    "P99 ms",
    "CPU s",
    "CPU µs/req",
    "server CPU s",
    ...cmp.map((c) => c.header),
  ];
  const cpuUs = (name: string) =>
    median((figures.get(name) ?? []).map((f) => (f.cpuS / f.requests) * 1e6));
  const rows = tools.map((t) => {
    const runs = figures.get(t.name)!;
    if (t.missing) {
      return [t.name, "0", "-", "-", "-", "-", "-", "-", "-", `missing: ${t.missing}`];
    }
    const cpuPerReq = cpuUs(t.name);
    return [
      t.name,
      String(runs.length),
      fmt(med(t.name, "rps"), 0),
      fmt(med(t.name, "p50"), 2),
      fmt(med(t.name, "p95"), 2),
      fmt(med(t.name, "p99"), 2),
      fmt(med(t.name, "cpuS"), 2),
      fmt(cpuPerReq, 1),
      fmt(med(t.name, "serverCpuS"), 2),
      ...cmp.map((c) => (t.name === c.ref ? "(reference)" : c.value(t.name))),
    ];
  });
  const goals = goalLines(scenario, (name, key) => med(name, key), cpuUs);
  const table = markdownTable(header, rows) + (goals.length ? `\n\n${goals.join("\n")}` : "");
  return { table, figures };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      scenario: { type: "string", default: "all" },
      rounds: { type: "string", default: "3" },
      seconds: { type: "string", default: "5" },
      tools: { type: "string" },
      main: { type: "string" },
      "compare-main": { type: "string" },
    },
  });
  const main = values.main
    ? new URL(values.main, `file://${Deno.cwd()}/`).pathname
    : new URL("../../main.ts", import.meta.url).pathname;
  const only = values.tools ? new Set(values.tools.split(",")) : null;
  const scenarios = values.scenario === "all" || values.scenario === "both"
    ? Object.values(SCENARIOS)
    : [SCENARIOS[values.scenario!] ?? SCENARIOS.throughput!];
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const dir = await Deno.makeTempDir({ prefix: "loadgate_peers_" });
  const bodyFile = `${dir}/body.json`;
  await Deno.writeTextFile(bodyFile, BODY);
  const log = (line: string) => console.error(line);
  try {
    const tools: Tool[] = [];
    for (const engine of ["h1", "fetch"] as const) {
      if (only === null || only.has(`loadgate-${engine}`)) tools.push(loadgateTool(main, engine));
    }
    // Another checkout's loadgate in the same rounds (before/after a change): loadgate-h1@base, ...
    if (values["compare-main"]) {
      const base = new URL(values["compare-main"], `file://${Deno.cwd()}/`).pathname;
      for (const t of [...tools]) {
        const engine = t.name === "loadgate-h1" ? "h1" : "fetch";
        tools.push(loadgateTool(base, engine, "@base"));
      }
    }
    if (only === null || only.has("deno-raw")) tools.push(denoRawTool());
    tools.push(...await peerTools(only));
    const present = tools.filter((t) => !t.missing);
    for (const t of tools) if (t.missing) log(`peer missing: ${t.missing}`);
    const started = await machineLine();
    const out: string[] = [];
    const nginx = await findNginx();
    for (const scenario of scenarios) {
      if (scenario.server === "nginx" && nginx === null) {
        const why = "nginx is not installed (apt-get install nginx)";
        log(`${scenario.name}: skipped: ${why}`);
        out.push(`### ${scenario.name}: skipped: ${why}`);
        continue;
      }
      const size = scenario.requests === null ? `~${seconds} s` : `${scenario.requests} requests`;
      log(
        `${scenario.name}: ${present.length} tools x ${rounds} rounds x ${size}, ` +
          `${scenario.connections} connections, ${scenario.server} server, delay ${scenario.delayMs} ms`,
      );
      const { table } = await runScenario(scenario, tools, { rounds, seconds, dir, bodyFile }, log);
      const what = scenario.server === "nginx"
        ? `nginx (one process) answers a fixed 40-byte JSON at once (tests/bench/nginx.conf)`
        : scenario.server === "stub"
        ? `loadgate's stub (concurrent) answers after ${scenario.delayMs} ms, ` +
          `${scenario.requests} requests a run`
        : `server answers after ${scenario.delayMs} ms`;
      out.push(
        `### ${scenario.name}: ${scenario.connections} connections, POST ${BODY.length}-byte JSON, ` +
          `${what} (medians of ${rounds} rounds)\n\n${table}`,
      );
    }
    const ended = await machineLine();
    console.log(out.join("\n\n"));
    console.log(`\nmachine at start: ${started}\nmachine at end:   ${ended}`);
    console.log(`command: deno run -A tests/bench/peers.ts ${Deno.args.join(" ")}`.trimEnd());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
