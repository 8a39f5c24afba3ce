import assert from "node:assert/strict";
import {
  CsvLogWriter,
  extraFields,
  parseLog,
  readLog,
  sampleToRow,
} from "../../lib/log/csv/log.ts";
import { csvLine } from "../../lib/log/csv/line.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { EXTRA_LOG_COLUMNS, LOG_COLUMNS } from "../../lib/stats/sample.ts";
import { makeSample } from "../_helpers.ts";

Deno.test("CsvLogWriter writes a header and one row a sample, read back unchanged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/log.csv`;
    const w = CsvLogWriter.create(path);
    const samples = [
      makeSample({ requestId: 0, latencyMs: 12.3456 }),
      makeSample({
        requestId: 1,
        ok: false,
        error: "connect",
        status: null,
        headersMs: null,
        outputSha256: "",
      }),
      makeSample({ requestId: 2, phase: 'odd,"phase"', serverQueueMs: null, serverInferMs: null }),
    ];
    samples.forEach((s) => w.write(s));
    w.close();
    const text = await Deno.readTextFile(path);
    assert.equal(text.split("\n")[0], LOG_COLUMNS.join(","));
    assert.equal(text.trimEnd().split("\n").length, 4);
    const back = await readLog(path);
    assert.equal(back.length, 3);
    assert.equal(back[0]!.latencyMs, 12.346, "three decimals");
    assert.deepEqual(back[1], { ...samples[1], latencyMs: 5 });
    assert.equal(back[2]!.phase, 'odd,"phase"');
    assert.equal(back[2]!.serverQueueMs, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CsvLogWriter flushes batches while the run goes on", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/log.csv`;
    const w = CsvLogWriter.create(path);
    // 256 rows fill a batch, which is written before close(); a batch older than 100 ms is
    // written early, so at most 255 rows wait in memory however the machine stalls. 600 rows: with
    // 300, a stall mid-run failed it once (2026-12-06): the batch written early left the next one
    // not due by row 300.
    for (let i = 0; i < 600; i++) w.write(makeSample({ requestId: i }));
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").length;
    assert.ok(lines >= 257, `only ${lines} lines on disk before close`);
    assert.ok(lines - 1 >= 600 - 255, `${600 - (lines - 1)} rows held back before close`);
    w.close();
    assert.equal((await readLog(path)).length, 600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sampleToRow() has a field for every column", () => {
  assert.equal(sampleToRow(makeSample()).length, LOG_COLUMNS.length);
});

Deno.test("parseLog() rejects empty, foreign, truncated and malformed logs with the line", () => {
  const header = LOG_COLUMNS.join(",");
  const good = sampleToRow(makeSample()).join(",");
  const cases: Array<[string, RegExp]> = [
    ["", /empty/],
    ["a,b,c\n1,2,3\n", /header/],
    [`${header}\n${good.split(",").slice(0, 5).join(",")}\n`, /Cannot parse log/],
    [`${header}\n${good.replace(",true,", ",yes,")}\n`, /x\.csv:2: column ok has "yes"/],
    [`${header}\n${good.replace("baseline,0,", "baseline,-1,")}\n`, /column request_id/],
    [`${header}\n${good.replace(",5.000,", ",abc,")}\n`, /column latency_ms has "abc"/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(
      () => parseLog(text, "x.csv"),
      (e) => e instanceof UsageError && pattern.test(e.message),
    );
  }
});

Deno.test("readLog() of a missing file is a usage error naming it", async () => {
  await assert.rejects(
    readLog("/nonexistent/log.csv"),
    (e) => e instanceof UsageError && /nonexistent/.test(e.message),
  );
});

Deno.test("an extended log appends the run columns and reads them back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/log.csv`;
    const w = CsvLogWriter.create(path, true);
    const samples = [
      makeSample({ requestId: 0, warmup: true }),
      makeSample({ requestId: 0, scheduledMs: 12.5, sentMs: 14 }),
      makeSample({
        requestId: 1,
        stream: { ttftMs: 101.25, chunks: 3, tokens: 5, itlMs: [40, 39.5] },
      }),
      makeSample({ requestId: 2, stream: { ttftMs: null, chunks: 0, tokens: 0, itlMs: [] } }),
    ];
    samples.forEach((s) => w.write(s));
    w.close();
    const header = (await Deno.readTextFile(path)).split("\n")[0]!;
    assert.equal(header, [...LOG_COLUMNS, ...EXTRA_LOG_COLUMNS].join(","));
    assert.ok(header.startsWith(LOG_COLUMNS.join(",") + ","), "appended after the base columns");
    const back = await readLog(path);
    assert.deepEqual(back, samples);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLog() still reads a log without the appended columns, and checks them when present", () => {
  const base = `${LOG_COLUMNS.join(",")}\n${sampleToRow(makeSample()).join(",")}\n`;
  const [old] = parseLog(base, "old.csv");
  assert.equal(old!.warmup, undefined);
  assert.equal(old!.scheduledMs, undefined);
  assert.equal(old!.stream, undefined);
  const header = [...LOG_COLUMNS, ...EXTRA_LOG_COLUMNS].join(",");
  const row = [...sampleToRow(makeSample()), ...extraFields(makeSample())];
  const withExtra = (i: number, v: string) => {
    const r = [...row];
    r[LOG_COLUMNS.length + i] = v;
    return `${header}\n${r.join(",")}\n`;
  };
  assert.throws(() => parseLog(withExtra(0, "maybe"), "x.csv"), /column warmup has "maybe"/);
  assert.throws(() => parseLog(withExtra(1, "-3"), "x.csv"), /column scheduled_ms has "-3"/);
  assert.throws(() => parseLog(withExtra(3, "two"), "x.csv"), /column chunks has "two"/);
});

Deno.test("an extended log's rows, plain or not, with and without --debug, are the fields' CSV", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const samples = [
      makeSample({ requestId: 0 }), // nothing extra: the fixed extra fields
      makeSample({ requestId: 1, warmup: true }),
      makeSample({ requestId: 2, ok: false, error: "http_5xx", status: 503, errorDetail: "a, b" }),
      makeSample({ requestId: 3, scheduledMs: 2.5 }),
      makeSample({ requestId: 4, phase: "other phase, quoted" }),
    ];
    for (const debug of [false, true]) {
      const path = `${dir}/log_${debug}.csv`;
      const w = CsvLogWriter.create(path, true, debug);
      samples.forEach((s) => w.write(s));
      w.close();
      const rows = (await Deno.readTextFile(path)).split("\n").slice(1, -1);
      const want = samples.map((s) =>
        csvLine([...sampleToRow(s), ...extraFields(s), ...(debug ? [s.errorDetail ?? ""] : [])])
          .trimEnd()
      );
      assert.deepEqual(rows, want);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
