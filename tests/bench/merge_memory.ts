/**
 * `loadgate merge`'s peak resident memory on large shards: writes N shard
 * folders (logs with the appended columns and summaries, as `run --shard`
 * will) holding ROWS requests in all, then measures `loadgate merge` over
 * them (the kernel's high-water mark of its process) and checks the merged
 * request count. Disk: about 230 bytes a row, twice (shards and merged log).
 *
 * ```sh
 * deno run -A tests/bench/merge_memory.ts --rows 10000000 --shards 4
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fmt, machineLine, measure } from "./_measure.ts";
import { CsvLogWriter } from "../../lib/log/csv/log.ts";
import { closedLoopShare } from "../../lib/load/shard.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { writeShard } from "../_shards.ts";
import { makeSample } from "../_helpers.ts";

/** Writes shard `index`'s log row by row (the helper's summary is then rewritten small). */
async function writeBigShard(dir: string, index: number, count: number, rows: number) {
  const load = {
    requests: rows,
    concurrency: count,
    timeout_ms: 30000,
    method: "POST",
    path: "/",
    headers_sha256: "a".repeat(64),
    workload_digest: "d".repeat(64),
  };
  await writeShard(dir, { index, count, samples: [], load, offsetMs: index });
  const share = closedLoopShare(load, { index, count });
  const rand = mulberry32(index + 1);
  const w = CsvLogWriter.create(`${dir}/run.csv`, true);
  const s = makeSample({ phase: "run" });
  for (let j = 0; j < share.requests; j++) {
    s.requestId = share.firstId + j;
    s.latencyMs = rand() * 500;
    s.sentMs = j * 0.01;
    w.write(s);
  }
  w.close();
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rows: { type: "string", default: "1000000" },
      shards: { type: "string", default: "4" },
    },
  });
  const rows = Number(values.rows);
  const count = Number(values.shards);
  const root = await Deno.makeTempDir({ prefix: "loadgate_merge_memory_" });
  try {
    const dirs: string[] = [];
    for (let i = 0; i < count; i++) {
      dirs.push(`${root}/shard-${i}`);
      await writeBigShard(dirs[i]!, i, count, rows);
    }
    const main = new URL("../../main.ts", import.meta.url).pathname;
    const m = await measure(Deno.execPath(), [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      main,
      "merge",
      ...dirs,
      "--out",
      `${root}/merged`,
      "--sla",
      "p95<=1e9",
    ]);
    const summary = JSON.parse(await Deno.readTextFile(`${root}/merged/merged.json`)).summary;
    console.log(
      `merge of ${count} shards, ${rows.toLocaleString("en-US")} rows: peak RSS ${
        fmt(m.peakRssMb, 1)
      } MB, ` +
        `${fmt(m.wallS, 1)} s, exit ${m.code}, merged requests ${summary.requests}`,
    );
    console.log(`machine: ${await machineLine()}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
