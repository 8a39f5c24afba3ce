import assert from "node:assert/strict";
import { csvField, csvLine } from "../../lib/log/csv/line.ts";
import { logFieldsRoom, putLogFields } from "../../lib/log/csv/row_bytes.ts";
import { CsvLogWriter, extraFields, sampleToCsvLine, sampleToRow } from "../../lib/log/csv/log.ts";
import { makeSample } from "../_helpers.ts";
import { parseCsv, stringifyCsv } from "../../lib/base/deps.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { formatMs, roundMs } from "../../lib/stats/time_ms.ts";

Deno.test("csvLine() writes the same text as csv-stringify, quoting only where needed", () => {
  const rows = [
    ["plain", "", "123.456", "with space", " lead", "trail "],
    ["a,b", 'say "hi"', "line\nbreak", "crlf\r\n", '"'],
    ["ünïcødé", "tab\there", ";semi", "'single'", "#hash", "=1+2"],
    [""],
  ];
  for (const row of rows) {
    assert.equal(
      csvLine(row),
      stringifyCsv([row], { record_delimiter: "unix" }),
      JSON.stringify(row),
    );
  }
});

Deno.test("csvLine() quotes a bare CR too (RFC 4180), and the reader gets every field back", () => {
  // csv-stringify leaves a lone CR unquoted; Python's csv module would end the record there.
  const row = ["cr\rhere", "a,b", 'q"q', "n\nn", "", "plain"];
  assert.ok(csvLine(row).startsWith('"cr\rhere",'));
  assert.deepEqual(parseCsv(csvLine(row) + csvLine(row)), [row, row]);
});

Deno.test("formatMs() prints three decimals of the value roundMs() keeps", () => {
  assert.equal(formatMs(1.2), "1.200");
  assert.equal(formatMs(0), "0.000");
  assert.equal(formatMs(12.3456), "12.346");
  assert.equal(formatMs(0.0004), "0.000");
  assert.equal(formatMs(-3.5), "-3.500");
  assert.equal(formatMs(30000.05), "30000.050");
  const rand = mulberry32(9);
  for (let i = 0; i < 20_000; i++) {
    const x = Math.round(rand() * 1e11) / 1e6; // 6 decimals, as performance.now() gives
    assert.equal(Number(formatMs(x)), roundMs(x), String(x));
    assert.ok(Math.abs(Number(formatMs(x)) - x) <= 0.0005 + 1e-9, String(x));
  }
});

Deno.test("sampleToCsvLine() writes the same text as csvLine(sampleToRow()) for every column", () => {
  const rand = mulberry32(21);
  const phases = ["baseline", 'odd,"phase"', "run-1.x", "new\nline"];
  for (let i = 0; i < 500; i++) {
    const failed = rand() < 0.3;
    const s = makeSample({
      requestId: i,
      phase: phases[i % phases.length]!,
      sentMs: Math.round(rand() * 1e10) / 1e6,
      latencyMs: Math.round(rand() * 1e8) / 1e6,
      headersMs: failed ? null : Math.round(rand() * 1e7) / 1e6,
      status: failed ? null : 200,
      ok: !failed,
      error: failed ? "connect" : "",
      outputSha256: failed ? "" : i % 4 === 0 ? `"${i}",` : "ab".repeat(32),
      serverQueueMs: rand() < 0.5 ? null : rand() * 10,
      serverInferMs: rand() < 0.5 ? null : rand() * 50,
      connId: i % 7 === 0 ? 'c,"x"' : String(40000 + i),
    });
    assert.equal(sampleToCsvLine(s), csvLine(sampleToRow(s)), JSON.stringify(s));
  }
});

Deno.test("the log writer's extended and --debug rows equal csvLine() of all their fields", async () => {
  await Deno.mkdir("results", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "csv_extended_" });
  try {
    const samples = [
      makeSample({ requestId: 0 }), // nothing extra: the writer's constant tail
      makeSample({ requestId: 1, warmup: true }),
      makeSample({ requestId: 2, scheduledMs: 12.5, stage: 1 }),
      makeSample({ requestId: 3, tokens: { input: 7, output: 9, estimated: true } }),
      makeSample({ requestId: 4, stream: { ttftMs: 3.25, chunks: 3, tokens: 3, itlMs: [1, 2.5] } }),
      makeSample({
        requestId: 5,
        ok: false,
        error: "http_5xx",
        errorDetail: 'bad, "x"',
      }),
    ];
    for (const debug of [false, true]) {
      const path = `${dir}/log_${debug}.csv`;
      const w = CsvLogWriter.create(path, true, debug);
      for (const s of samples) w.write(s);
      w.close();
      const lines = (await Deno.readTextFile(path)).split("\n").slice(1, -1);
      samples.forEach((s, i) => {
        const fields = [
          ...sampleToRow(s),
          ...extraFields(s),
          ...(debug ? [s.errorDetail ?? ""] : []),
        ];
        assert.equal(`${lines[i]}\n`, csvLine(fields), `row ${i}, debug ${debug}`);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("putLogFields() writes the UTF-8 of sampleToCsvLine() byte for byte", () => {
  const rand = mulberry32(5);
  const phases = ["baseline", 'odd,"phase"', "fase-ü", "new\nline"];
  const encoder = new TextEncoder();
  const buf = new Uint8Array(4096);
  for (let i = 0; i < 2000; i++) {
    const failed = rand() < 0.3;
    const pick = rand();
    const s = makeSample({
      requestId: i % 11 === 0 ? 2 ** 40 + i : i,
      phase: phases[i % phases.length]!,
      // Repeated, changing and quoted texts (the writer keeps the last digests' bytes).
      inputSha256: i % 13 === 0
        ? "imported, ✓"
        : i % 5 === 0
        ? i.toString(16).padStart(64, "e")
        : "cd".repeat(32),
      // Negative, sub-microsecond, huge and ordinary times.
      sentMs: pick < 0.1
        ? -rand() * 5
        : pick < 0.2
        ? rand() / 1e4
        : pick < 0.25
        ? 1e17
        : rand() * 1e7,
      latencyMs: Math.round(rand() * 1e8) / 1e6,
      headersMs: failed ? null : Math.round(rand() * 1e7) / 1e6,
      status: failed ? null : [200, 404, 503][i % 3]!,
      ok: !failed,
      error: failed ? "connect" : "",
      bytesIn: Math.floor(rand() * 1e9),
      outputSha256: failed ? "" : i % 4 === 0 ? `"${i}",` : "ab".repeat(32),
      serverQueueMs: rand() < 0.5 ? null : rand() * 10,
      serverInferMs: rand() < 0.5 ? null : rand() * 50,
      connId: i % 7 === 0 ? 'c,"x"' : i % 9 === 0 ? "conn-é" : String(40000 + i),
    });
    const phase = encoder.encode(csvField(s.phase));
    assert.ok(phase.length + logFieldsRoom(s) <= buf.length);
    const end = putLogFields(s, buf, 0, phase);
    const want = encoder.encode(sampleToCsvLine(s).slice(0, -1));
    assert.deepEqual(buf.subarray(0, end), want, JSON.stringify(s));
  }
});
