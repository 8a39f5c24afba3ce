import assert from "node:assert/strict";
import { detectFormat, parseFormat, readForeign } from "../../lib/log/foreign/read_foreign.ts";
import { errorKindOf } from "../../lib/log/foreign/foreign_log.ts";
import { epochMs, rfc3339Ms } from "../../lib/log/foreign/time_stamp.ts";
import { UsageError } from "../../lib/base/errors.ts";

const FIXTURES = new URL("../fixtures/foreign/", import.meta.url);
const fixture = (name: string): string => Deno.readTextFileSync(new URL(name, FIXTURES));
const read = (name: string, format?: string) =>
  readForeign(fixture(name), {
    name,
    phase: "baseline",
    ...(format === undefined ? {} : { format }),
  });
const BASE = ["inputs_identical", "outputs_identical", "conditions_match"];

Deno.test("python baseline CSV: any column order, extra columns, epoch-second start times", () => {
  const log = read("python_baseline.csv");
  assert.equal(log.format, "python-csv");
  assert.deepEqual(log.unsupported, BASE);
  assert.deepEqual(log.samples.map((s) => s.requestId), [0, 1, 2, 3]);
  assert.deepEqual(log.samples.map((s) => s.sentMs), [0, 50, 100, 200]);
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [120.5, 80.25, 30000, 15]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "", "timeout", "http_5xx"]);
  assert.deepEqual(log.samples.map((s) => s.status), [200, 200, null, 500]);
  assert.equal(log.samples[0]!.phase, "baseline");
  assert.equal(log.samples[0]!.inputSha256, "");
  // Reordered columns read the same.
  const reordered =
    "success,latency_ms,error,status_code,start_time,request_id\nTrue,5,,200,10.5,7\n";
  const r = readForeign(reordered, { name: "r.csv", phase: "p" });
  assert.deepEqual([r.samples[0]!.requestId, r.samples[0]!.latencyMs, r.samples[0]!.ok], [
    7,
    5,
    true,
  ]);
});

Deno.test("hey CSV: seconds to ms, offset as the send, status, failed responses kept", () => {
  const log = read("hey.csv");
  assert.equal(log.format, "hey-csv");
  assert.deepEqual(log.unsupported, [...BASE, "error_rate"]);
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [8.7, 12, 5]);
  assert.deepEqual(log.samples.map((s) => s.sentMs), [0, 8.8, 19.4]);
  assert.deepEqual(log.samples.map((s) => s.headersMs), [8.6, 11.1, 4.6]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "", "http_5xx"]);
});

Deno.test("oha CSV: per-request rows with first byte and bytes", () => {
  const log = read("oha.csv");
  assert.equal(log.format, "oha-csv");
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [9.5, 11, 4.2]);
  assert.deepEqual(log.samples.map((s) => s.headersMs), [8.1, 10.2, 4]);
  assert.deepEqual(log.samples.map((s) => s.bytesIn), [612, 612, 19]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "", "http_4xx"]);
  assert.ok(log.unsupported.includes("error_rate"));
});

Deno.test("oha JSON is detected and refused: it holds aggregates, not requests", () => {
  assert.equal(detectFormat(fixture("oha.json")), "oha-json");
  assert.throws(() => read("oha.json"), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /only aggregates.*--output-format csv/);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
});

Deno.test("k6 CSV: only http_req_duration rows, send = time - duration, expected_response", () => {
  const log = read("k6.csv");
  assert.equal(log.format, "k6-csv");
  assert.equal(log.samples.length, 3);
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [221.899, 95.1, 12.5]);
  assert.deepEqual(log.samples.map((s) => s.sentMs), [0, 1126.799, 1209.399]);
  assert.deepEqual(log.samples.map((s) => s.ok), [true, true, false]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "", "http_5xx"]);
});

Deno.test("k6 JSON: Point lines of http_req_duration with nanosecond times", () => {
  const log = read("k6.ndjson");
  assert.equal(log.format, "k6-json");
  assert.equal(log.samples.length, 3);
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [459.865729, 12.5, 60000.1]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "", "timeout"]);
  assert.deepEqual(log.samples.map((s) => s.status), [200, 200, null]);
});

Deno.test("k6 JSON without http_req_duration points is bad input naming what was expected", () => {
  assert.throws(
    () => read("k6_no_duration.ndjson"),
    /expected http_req_duration points, found none/,
  );
});

Deno.test("vegeta CSV: ns timestamps and latencies, code 0 and an error is a connect failure", () => {
  const log = read("vegeta.csv");
  assert.equal(log.format, "vegeta-csv");
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [12.345678, 8, 30000]);
  assert.deepEqual(log.samples.map((s) => s.sentMs), [0, 20, 40]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "", "connect"]);
  assert.deepEqual(log.samples.map((s) => s.bytesIn), [512, 512, 0]);
});

Deno.test("vegeta JSON: one result a line", () => {
  const log = read("vegeta.ndjson");
  assert.equal(log.format, "vegeta-json");
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [12.345678, 4]);
  assert.deepEqual(log.samples.map((s) => s.sentMs), [0, 20]);
  assert.deepEqual(log.samples.map((s) => s.error), ["", "http_5xx"]);
});

Deno.test("a vegeta file with no results is bad input naming what was expected", () => {
  assert.throws(
    () => read("vegeta_empty.csv", "vegeta-csv"),
    /expected results \(vegeta encode\), found none/,
  );
});

Deno.test("vLLM bench serve JSON: latency rebuilt from TTFT and ITLs, stream stats, errors", () => {
  const log = read("vllm.json");
  assert.equal(log.format, "vllm-json");
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [130, 230, 0]);
  assert.deepEqual(log.samples.map((s) => s.sentMs), [0, 250, 500]);
  assert.deepEqual(log.samples.map((s) => s.ok), [true, true, false]);
  assert.deepEqual(log.samples[0]!.stream, { ttftMs: 100, chunks: 3, tokens: 3, itlMs: [10, 20] });
  assert.equal(log.samples[2]!.stream, undefined);
  assert.match(log.notes.join(" "), /TTFT \+ sum of ITLs/);
  const withLatencies = JSON.stringify({
    ttfts: [0.1],
    itls: [[0.01]],
    latencies: [0.5],
    errors: [""],
  });
  assert.equal(readForeign(withLatencies, { name: "x", phase: "p" }).samples[0]!.latencyMs, 500);
});

Deno.test("a file that matches no format, and an unknown --format, are one-line usage errors", () => {
  assert.equal(detectFormat(fixture("unknown.csv")), null);
  assert.throws(() => read("unknown.csv"), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /matches no known log format \(expected one of python-csv, hey-csv/);
    return true;
  });
  assert.throws(() => parseFormat("jmeter"), /"jmeter" is not a known format \(expected one of/);
  assert.throws(() => read("hey.csv", "python-csv"), /missing column request_id, start_time/);
});

Deno.test("a forced format reads a file whatever its detection says", () => {
  assert.equal(read("hey.csv", "hey-csv").samples.length, 3);
});

Deno.test("errorKindOf() maps statuses and error texts onto loadgate's kinds", () => {
  assert.equal(errorKindOf(200, ""), "");
  assert.equal(errorKindOf(404, ""), "http_4xx");
  assert.equal(errorKindOf(502, "bad gateway"), "http_5xx");
  assert.equal(errorKindOf(null, "context deadline exceeded"), "timeout");
  assert.equal(errorKindOf(null, "connection refused"), "connect");
  assert.equal(errorKindOf(200, "unexpected EOF"), "body");
});

Deno.test("timestamps: RFC 3339 keeps sub-millisecond digits; epoch numbers by magnitude", () => {
  assert.equal(rfc3339Ms("1970-01-01T00:00:01.000500000Z"), 1000.5);
  assert.equal(rfc3339Ms("1970-01-01T02:00:00+02:00"), 0);
  assert.ok(Number.isNaN(rfc3339Ms("yesterday")));
  assert.equal(epochMs("1764600000"), 1764600000000);
  assert.equal(epochMs("1764600000123"), 1764600000123);
  assert.equal(epochMs("1764600000123456"), 1764600000123.456);
  assert.equal(epochMs("1764600000123456789"), 1764600000123.4568);
});
