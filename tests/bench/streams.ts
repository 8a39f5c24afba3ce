/**
 * Resident memory per open streaming connection, h1 engine: `loadgate run
 * --stream -n N -c N` against loadgate's stub streaming SSE in its own
 * process, so that all N streams are open at once (each first token comes
 * after 3 s, then 8 tokens 50 ms apart). Prints, for each N, loadgate's peak
 * RSS, the failures, and the memory per stream:
 * (peak RSS at N - peak RSS at the baseline) / (N - baseline).
 *
 * The open-file limit is raised to its hard limit (`ulimit -n`) for both
 * processes; everything stays on loopback.
 *
 * ```sh
 * deno run -A tests/bench/streams.ts                    # baseline 10, then 1,000 and 10,000
 * deno run -A tests/bench/streams.ts --counts 1000      # a short run
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { V8_FLAGS_ARG } from "../../lib/base/runtime_flags.ts";
import { fmt, machineLine, markdownTable, measure, startStubServer } from "./_measure.ts";

const BODY = JSON.stringify({
  inputs: "one two three four five six seven eight",
  parameters: { max_new_tokens: 8 },
  stream: true,
});

/** Runs `cmd args` under `sh` with the open-file limit raised to the hard limit. */
function withFileLimit(cmd: string, args: string[]): [string, string[]] {
  return ["sh", ["-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "sh", cmd, ...args]];
}

/** One loadgate run with `n` concurrent streams: peak RSS, failures, and what went wrong. */
async function runStreams(
  main: string,
  url: string,
  n: number,
  dir: string,
): Promise<{ peakRssMb: number; failed: number; ok: number; note: string; wallS: number }> {
  const out = `${dir}/n${n}`;
  const [cmd, args] = withFileLimit(Deno.execPath(), [
    "run",
    V8_FLAGS_ARG,
    "--allow-net=127.0.0.1",
    "--allow-read",
    "--allow-write",
    main,
    "run",
    "--url",
    url,
    "--engine",
    "h1",
    "--stream",
    "--body",
    BODY,
    "-n",
    String(n),
    "-c",
    String(n),
    "--timeout-ms",
    "120000",
    "--quiet",
    "--out",
    out,
    "--sla",
    "p95<=1e9",
  ]);
  const m = await measure(cmd, args);
  let failed = NaN;
  let ok = NaN;
  let note = m.code === 0 ? "" : `exit ${m.code}: ${m.stderr.trim().split("\n").at(-1)}`;
  try {
    const summary = JSON.parse(await Deno.readTextFile(`${out}/run.json`)).summary;
    failed = summary.failed;
    ok = summary.ok;
    if (failed > 0) note = `errors: ${JSON.stringify(summary.errors)}`;
  } catch { /* no summary: the note says why */ }
  return { peakRssMb: m.peakRssMb, failed, ok, note, wallS: m.wallS };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      counts: { type: "string", default: "1000,10000" },
      baseline: { type: "string", default: "10" },
      main: { type: "string" },
    },
  });
  const main = values.main
    ? new URL(values.main, `file://${Deno.cwd()}/`).pathname
    : new URL("../../main.ts", import.meta.url).pathname;
  const baselineN = Number(values.baseline);
  const counts = values.counts!.split(",").map(Number);
  const dir = await Deno.makeTempDir({ prefix: "loadgate_streams_" });
  const started = await machineLine();
  // The stub gets the raised limit too: it holds one socket per stream.
  const stub = await startStubServer([
    "--mode",
    "concurrent",
    "--stream",
    "sse",
    "--service-ms",
    "3000:3000",
    "--token-ms",
    "50:50",
  ], withFileLimit);
  const rows: string[][] = [];
  const goals: string[] = [];
  try {
    const base = await runStreams(main, stub.url, baselineN, dir);
    console.error(`baseline ${baselineN} streams: peak RSS ${fmt(base.peakRssMb, 1)} MB`);
    rows.push([String(baselineN), fmt(base.peakRssMb, 1), String(base.ok), "-", base.note]);
    for (const n of counts) {
      const r = await runStreams(main, stub.url, n, dir);
      const perStreamKb = ((r.peakRssMb - base.peakRssMb) * 1024) / (n - baselineN);
      console.error(`${n} streams: peak RSS ${fmt(r.peakRssMb, 1)} MB, ${r.wallS.toFixed(1)} s`);
      rows.push([
        n.toLocaleString("en-US"),
        fmt(r.peakRssMb, 1),
        `${r.ok} ok, ${r.failed} failed`,
        fmt(perStreamKb, 1),
        r.note,
      ]);
      // Issue 13: under 20 KB a stream, and no error up to 10,000 streams.
      const met = perStreamKb < 20 && r.failed === 0 && r.ok === n;
      goals.push(
        `goal: ${n.toLocaleString("en-US")} streams, under 20 KB each and none failed: ` +
          `${fmt(perStreamKb, 1)} KB, ${r.failed} failed -> ${met ? "met" : "not met"}`,
      );
    }
  } finally {
    await stub.stop();
    await Deno.remove(dir, { recursive: true });
  }
  console.log(
    markdownTable(
      ["concurrent streams", "peak RSS MB", "requests", "KB per stream (vs baseline)", "note"],
      rows,
    ),
  );
  if (goals.length > 0) console.log(`\n${goals.join("\n")}`);
  console.log(`\nmachine at start: ${started}\nmachine at end:   ${await machineLine()}`);
  console.log(`command: deno run -A tests/bench/streams.ts ${Deno.args.join(" ")}`.trimEnd());
}
