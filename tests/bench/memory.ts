/**
 * loadgate's peak resident memory as a run grows: `loadgate run` for 10k,
 * 100k and 1M requests (the seeded workload, 64 connections) against the
 * fast benchmark server in its own process, each engine. Prints a table of
 * peak RSS (the kernel's high-water mark of the loadgate process), wall
 * time and requests/s.
 *
 * ```sh
 * deno run -A tests/bench/memory.ts                          # 10k, 100k, 1M; h1 and fetch
 * deno run -A tests/bench/memory.ts --v8-flags none         # V8's defaults, not loadgate's flags
 * deno run -A tests/bench/memory.ts --sizes 10000000 --engines h1 --histogram   # 10M, bounded
 * deno run -A tests/bench/memory.ts --sizes 10000,100000 --engines fetch
 * deno run -A tests/bench/memory.ts --main ../old/main.ts --engines fetch   # an older checkout
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { V8_FLAGS } from "../../lib/base/runtime_flags.ts";
import { fmt, machineLine, markdownTable, measure, startBenchServer } from "./_measure.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "10000,100000,1000000" },
      engines: { type: "string", default: "h1,fetch" },
      concurrency: { type: "string", default: "64" },
      main: { type: "string" },
      // The flags the tasks and the binary carry (lib/base/runtime_flags.ts); `none` for V8's own.
      "v8-flags": { type: "string", default: V8_FLAGS },
      histogram: { type: "boolean" },
    },
  });
  const main = values.main
    ? new URL(values.main, `file://${Deno.cwd()}/`).pathname
    : new URL("../../main.ts", import.meta.url).pathname;
  const sizes = values.sizes!.split(",").map(Number);
  const engines = values.engines!.split(",");
  const dir = await Deno.makeTempDir({ prefix: "loadgate_memory_" });
  const server = await startBenchServer(0);
  const rows: string[][] = [];
  const goals: string[] = [];
  const started = await machineLine();
  try {
    for (const engine of engines) {
      for (const n of sizes) {
        const args = [
          "run",
          "--quiet",
          "--allow-net=127.0.0.1",
          "--allow-read",
          "--allow-write",
          ...(values["v8-flags"] !== "none" ? [`--v8-flags=${values["v8-flags"]}`] : []),
          main,
          "run",
          "--url",
          server.url,
          "-n",
          String(n),
          "-c",
          values.concurrency!,
          "--out",
          dir,
          "--sla",
          "p95<=1e9",
        ];
        args.push("--engine", engine);
        if (values.histogram) args.push("--histogram");
        const m = await measure(Deno.execPath(), args);
        let rps = NaN;
        let note = m.code === 0 ? "" : `exit ${m.code}: ${m.stderr.trim().split("\n")[0]}`;
        try {
          const summary = JSON.parse(await Deno.readTextFile(`${dir}/run.json`)).summary;
          rps = summary.throughput;
          if (summary.failed > 0) note = `${summary.failed} failed`;
        } catch { /* no summary */ }
        const row = [
          engine,
          n.toLocaleString("en-US"),
          fmt(m.peakRssMb, 1),
          fmt(m.wallS, 1),
          fmt(rps, 0),
          note,
        ];
        console.error(row.join("  "));
        rows.push(row);
        // Issue 13: 1M requests under 100 MB with the defaults; 10M flat under 100 MB (bounded).
        if (engine === "h1" && (n === 1_000_000 || (n === 10_000_000 && values.histogram))) {
          const met = m.code === 0 && m.peakRssMb < 100 && note === "";
          goals.push(
            `goal: h1, ${n.toLocaleString("en-US")} requests${
              values.histogram ? " (--histogram)" : ""
            } under 100 MB: ${fmt(m.peakRssMb, 1)} MB -> ${met ? "met" : "not met"}`,
          );
        }
        await Deno.remove(`${dir}/run.csv`).catch(() => {});
      }
    }
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
  console.log(
    markdownTable(["engine", "requests", "peak RSS MB", "wall s", "req/s", "note"], rows),
  );
  if (goals.length > 0) console.log(`\n${goals.join("\n")}`);
  console.log(`\nmachine at start: ${started}\nmachine at end:   ${await machineLine()}`);
  console.log(`command: deno run -A tests/bench/memory.ts ${Deno.args.join(" ")}`.trimEnd());
  console.log(`loadgate's V8 flags: ${values["v8-flags"]}`);
}
