import assert from "node:assert/strict";
import { CsvRecordParser } from "../../lib/log/csv/records.ts";
import { streamLog } from "../../lib/log/log_stream.ts";
import { CsvLogWriter, readLog } from "../../lib/log/csv/log.ts";
import { parseCsv } from "../../lib/base/deps.ts";
import { csvLine } from "../../lib/log/csv/line.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { UsageError } from "../../lib/base/errors.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { makeSample } from "../_helpers.ts";

/** Every record of `text` fed in chunks cut at `cuts`. */
function records(text: string, cuts: number[]): string[][] {
  const parser = new CsvRecordParser();
  const rows: string[][] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(at, cut), (r) => rows.push(r));
    at = cut;
  }
  parser.end((r) => rows.push(r));
  return rows;
}

Deno.test("CsvRecordParser gives csv-parse's records however the text is cut", () => {
  const rand = mulberry32(3);
  const pieces = ["a", "", "b c", 'q"uote', "com,ma", "new\nline", "cr\r\nlf", "1.5", '""'];
  const table = Array.from(
    { length: 60 },
    () => Array.from({ length: 4 }, () => pieces[Math.floor(rand() * pieces.length)]!),
  );
  for (const eol of ["\n", "\r\n"]) {
    const text = table.map((r) => csvLine(r).replace(/\r?\n$/, eol)).join("");
    const expected = parseCsv(text) as string[][];
    assert.deepEqual(expected, table);
    for (let trial = 0; trial < 20; trial++) {
      const cuts = Array.from({ length: 8 }, () => Math.floor(rand() * text.length)).sort((a, b) =>
        a - b
      );
      assert.deepEqual(records(text, cuts), expected, `cuts ${cuts}`);
    }
  }
  assert.deepEqual(records("x,y", []), [["x", "y"]], "a last record without a newline");
});

Deno.test("CsvRecordParser rejects a stray or unterminated quote", () => {
  assert.throws(() => records('a,b"c\n', []), SyntaxError);
  assert.throws(() => records('"a"b,c\n', []), SyntaxError);
  assert.throws(() => records('"abc,d\n', []), /not terminated/);
});

Deno.test("streamLog() reads the same samples as readLog(), extended columns too", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/run.csv`;
    const w = CsvLogWriter.create(path, true);
    const written: Sample[] = [];
    for (let i = 0; i < 3000; i++) {
      const s = makeSample({
        requestId: i,
        phase: i === 7 ? 'odd,"phase"' : "run",
        ok: i % 11 !== 0,
        error: i % 11 === 0 ? "timeout" : "",
        latencyMs: (i * 7919) % 1000 / 3,
        scheduledMs: i * 2,
      });
      written.push(s);
      w.write(s);
    }
    w.close();
    const streamed: Sample[] = [];
    const info = await streamLog(path, (s) => streamed.push(s));
    assert.equal(info.rows, 3000);
    assert.deepEqual(streamed, await readLog(path));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("streamLog() names the file and line of a bad row, and refuses a missing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/bad.csv`;
    const w = CsvLogWriter.create(path);
    w.write(makeSample({ requestId: 0 }));
    w.close();
    await Deno.writeTextFile(path, "1,2,3\n", { append: true });
    await assert.rejects(() => streamLog(path, () => {}), /bad\.csv:3/);
    await Deno.writeTextFile(path, "");
    await assert.rejects(() => streamLog(path, () => {}), /empty/);
    await assert.rejects(() => streamLog(`${dir}/none.csv`, () => {}), UsageError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
