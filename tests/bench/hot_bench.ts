/**
 * `deno bench` of the functions every request passes through, each beside
 * what it replaced, so a change to one shows its cost per call:
 *
 * ```sh
 * deno bench tests/bench/hot_bench.ts      # or: deno task bench
 * ```
 *
 * @module
 */

import { csvLine } from "../../lib/log/csv/line.ts";
import { sampleToCsvLine, sampleToRow } from "../../lib/log/csv/log.ts";
import { stringifyCsv } from "../../lib/base/deps.ts";
import { sha256HexSync, toHex } from "../../lib/base/hash.ts";
import { createHash } from "node:crypto";
import { ResponseParser } from "../../lib/load/h1/parser.ts";
import { SampleStore } from "../../lib/stats/sample_store.ts";
import { parseServerTiming } from "../../lib/load/server_timing.ts";
import { percentile, sortedCopy, summarize } from "../../lib/stats/stats.ts";
import { formatMs } from "../../lib/stats/time_ms.ts";
import { makeSample } from "../_helpers.ts";

const encoder = new TextEncoder();
const ROW = makeSample({ requestId: 12345, latencyMs: 31.234567, sentMs: 1234.5678 });
const ROWS = Array.from({ length: 256 }, (_, i) => makeSample({ requestId: i }));
const OUTPUT = encoder.encode(
  JSON.stringify({ output: "a1b2c3d4 ".repeat(40).trim(), tokens: 40 }),
);

Deno.bench("sha256 of a 400-byte body: loadgate (TypeScript), sync", { group: "sha256" }, () => {
  sha256HexSync(OUTPUT);
});
Deno.bench("sha256 of a 400-byte body: node:crypto createHash, sync", { group: "sha256" }, () => {
  createHash("sha256").update(OUTPUT).digest("hex");
});
Deno.bench("sha256 of a 400-byte body: crypto.subtle", { group: "sha256" }, async () => {
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", OUTPUT)));
});

Deno.bench("CSV row: sampleToCsvLine", { group: "csv" }, () => {
  sampleToCsvLine(ROW);
});
Deno.bench("CSV row: sampleToRow + csvLine", { group: "csv" }, () => {
  csvLine(sampleToRow(ROW));
});
Deno.bench("CSV row: sampleToRow + csv-stringify (before)", { group: "csv" }, () => {
  stringifyCsv([sampleToRow(ROW)], { record_delimiter: "unix" });
});
Deno.bench("CSV 256 rows: csvLine each", { group: "csv256" }, () => {
  let s = "";
  for (const r of ROWS) s += csvLine(sampleToRow(r));
});
Deno.bench("CSV 256 rows: csv-stringify batch (before)", { group: "csv256" }, () => {
  stringifyCsv(ROWS.map(sampleToRow), { record_delimiter: "unix" });
});

Deno.bench("ms field: formatMs", { group: "ms" }, () => {
  formatMs(ROW.latencyMs);
});
Deno.bench("ms field: toFixed(3) (before)", { group: "ms" }, () => {
  ROW.latencyMs.toFixed(3);
});

const RESPONSE = encoder.encode(
  "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n" +
    "server-timing: queue;dur=0.000, infer;dur=31.234\r\nx-loadgate-conn: 51234\r\n" +
    "vary: Accept-Encoding\r\ncontent-length: 40\r\ndate: Thu, 27 Nov 2025 10:00:00 GMT\r\n\r\n" +
    '{"output":"benchmark answer","tokens":2}',
);
const parser = new ResponseParser({ maxBodyBytes: 1 << 20 });
Deno.bench("HTTP/1.1 response parse (7 headers, 40-byte body)", () => {
  parser.reset(false);
  parser.feed(RESPONSE);
});
Deno.bench("Server-Timing header parse", () => {
  parseServerTiming("queue;dur=0.000, infer;dur=31.234");
});

const MANY = Array.from(
  { length: 100_000 },
  (_, i) => makeSample({ requestId: i, latencyMs: (i * 7919) % 1000 + 0.5, sentMs: i }),
);
const STORE = SampleStore.from(MANY);
Deno.bench("summary of 100k: SampleStore.summary", { group: "summary" }, () => {
  STORE.summary();
});
Deno.bench("summary of 100k: summarize(Sample[]) (before)", { group: "summary" }, () => {
  summarize(MANY);
});
Deno.bench("store.add of 100k samples", () => {
  const s = new SampleStore(100_000);
  for (const x of MANY) s.add(x);
});
const SORTED = sortedCopy(MANY.map((s) => s.latencyMs));
Deno.bench("percentile p99 of 100k sorted", () => {
  percentile(SORTED, 99);
});
const SMALL = encoder.encode('{"output":"benchmark answer","tokens":2}');
Deno.bench("sha256 of a 40-byte body: loadgate (TypeScript), sync", { group: "sha256-40" }, () => {
  sha256HexSync(SMALL);
});
Deno.bench("sha256 of a 40-byte body: node:crypto createHash, sync", { group: "sha256-40" }, () => {
  createHash("sha256").update(SMALL).digest("hex");
});
