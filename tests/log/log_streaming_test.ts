/**
 * Issue 12, item 7: `compare` (readLog) checks a log's header from the first
 * bytes and parses the rest as it reads it, so a large file that is no log
 * fails at once, and a large log never sits in memory as one string.
 */
import assert from "node:assert/strict";
import { CsvLogWriter, parseLog, readLog } from "../../lib/log/csv/log.ts";
import { makeSample } from "../_helpers.ts";

Deno.test("a 1 GiB file that is not a log fails on its header, from the first bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_biglog_" });
  try {
    const path = `${dir}/big.csv`;
    await Deno.writeTextFile(path, "id;latency\n1;20\n");
    await Deno.truncate(path, 1 << 30); // sparse: no disk, no time
    await assert.rejects(
      () => readLog(path),
      /Cannot read log ".*big.csv": the header does not start with the loadgate columns/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a log read in many pieces gives the same samples as the whole text, with line numbers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_pieces_" });
  try {
    const path = `${dir}/run.csv`;
    const w = CsvLogWriter.create(path);
    for (let i = 0; i < 3000; i++) {
      w.write(makeSample({ requestId: i, latencyMs: i / 7, connId: i % 3 ? "a,b" : 'c"d' }));
    }
    w.close();
    const text = await Deno.readTextFile(path);
    assert.ok(text.length > 4 * 64 * 1024, "several pieces");
    assert.deepEqual(await readLog(path), parseLog(text, path));
    const lines = text.split("\n");
    lines[2500] = lines[2500]!.replace(",true,", ",yes,");
    await Deno.writeTextFile(path, lines.join("\n"));
    await assert.rejects(() => readLog(path), /run.csv:2501: column ok has "yes"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
