import assert from "node:assert/strict";
import { analyzeRun, type CellRun } from "../../lib/evidence/analysis.ts";
import { formatAnalysis, formatAnalysisBrief } from "../../lib/commands/job/analysis_text.ts";
import type { LoadParams } from "../../lib/verdict/compare.ts";
import { FACTORIAL_CELLS } from "../../lib/evidence/factorial.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { makeSample } from "../_helpers.ts";

const LOAD: LoadParams = {
  requests: 40,
  concurrency: 4,
  timeout_ms: 1000,
  method: "POST",
  path: "/v1/infer",
  headers_sha256: "h",
  workload_digest: "w",
};

/**
 * A cell's log: serialized cells wait `queue` ms in the server's queue, every request is
 * served in 20 + (i % 5) ms, fresh connections add `setup` ms before the headers.
 */
function cellLog(name: string, over: (s: Sample) => Partial<Sample> = () => ({})): CellRun {
  const plan = FACTORIAL_CELLS.find((c) => c.name === name)!;
  const samples = Array.from({ length: 40 }, (_, i) => {
    const queue = plan.mode === "serialized" ? 900 + 5 * i : 0;
    const service = 20 + (i % 5);
    const setup = plan.policy === "fresh" ? 3 : 1;
    const headers = queue + service + setup;
    const s = makeSample({
      phase: name,
      requestId: i,
      sentMs: i * 10,
      headersMs: headers,
      latencyMs: headers + 0.5,
      serverQueueMs: queue,
      serverInferMs: service,
      connId: plan.policy === "fresh" ? String(40000 + i) : String(50000 + (i % 4)),
    });
    return { ...s, ...over(s) };
  });
  const conns = new Set(samples.map((s) => s.connId)).size;
  return { plan, samples, load: LOAD, server: { requests: 40, connections: conns } };
}

const allCells = () => FACTORIAL_CELLS.map((c) => cellLog(c.name));

Deno.test("analyzeRun() holds the 2 x 2 table, decomposition, connections and queueing of every cell", () => {
  const a = analyzeRun(allCells(), { concurrency: 4, tls: false, resamples: 100 });
  assert.deepEqual(Object.keys(a.cells), FACTORIAL_CELLS.map((c) => c.name));
  assert.equal(a.factorial!.cells.length, 4);
  assert.equal(a.connections.baseline!.connections, 40);
  assert.equal(a.connections.optimized!.connections, 4);
  assert.equal(a.decomposition.concurrent_fresh!.mean.remainder_ms, 3);
  assert.equal(a.decomposition.optimized!.mean.remainder_ms, 1);
  assert.ok(a.queueing.baseline!.little !== undefined);
  assert.equal(a.checks.connections_match.ok, true, a.checks.connections_match.detail);
  assert.equal(a.checks.cells_identical.ok, true, a.checks.cells_identical.detail);
  assert.equal(a.decomposition_sources.queue_ms, "server_queue_ms");
});

Deno.test("findings rank the contributors by their figure, each naming its source", () => {
  const a = analyzeRun(allCells(), { concurrency: 4, tls: false, resamples: 100 });
  const f = a.findings;
  assert.ok(f.length >= 3);
  assert.deepEqual(f.map((x) => x.rank), f.map((_, i) => i + 1));
  for (let i = 1; i < f.length; i++) {
    assert.ok(Math.abs(f[i - 1]!.figure_ms) >= Math.abs(f[i]!.figure_ms), "sorted by size");
  }
  const top = f[0]!;
  assert.match(top.contributor, /serialized handler/);
  assert.equal(top.figure_ms, -a.factorial!.effects.p95.handler_main);
  assert.match(top.source, /latency_ms/);
  assert.ok(top.evidence.some((e) => /server_queue_ms/.test(e)));
  assert.match(top.text, new RegExp(`adds ${top.figure_ms.toFixed(1)} ms to P95`));
  const conn = f.find((x) => /fresh connections/.test(x.contributor))!;
  // Every fresh request pays 2 ms more before its headers, in both handlers.
  assert.ok(Math.abs(conn.figure_ms - 2) < 1e-9, String(conn.figure_ms));
  assert.ok(
    conn.evidence.some((e) => /3\.0 ms per request with fresh connections vs 1\.0 ms/.test(e)),
  );
  assert.ok(conn.evidence.some((e) => /^on the mean, .* adds 2\.0 ms to latency/.test(e)));
  const service = f.find((x) => x.source === "server_infer_ms")!;
  assert.equal(service.interval_ms, null);
});

Deno.test("findings under TLS name the handshake", () => {
  const a = analyzeRun(allCells(), { concurrency: 4, tls: true, resamples: 50 });
  assert.ok(a.findings.some((x) => /TLS handshake/.test(x.contributor)));
  assert.match(formatAnalysis(a), /evidence over HTTPS/);
});

Deno.test("an extra cell with a different output fails cells_identical and names cell and request", () => {
  const cells = allCells();
  cells[2] = cellLog(
    "concurrent_fresh",
    (s) => s.requestId === 3 ? { outputSha256: "f".repeat(64) } : {},
  );
  const a = analyzeRun(cells, { concurrency: 4, tls: false, resamples: 50 });
  assert.equal(a.checks.cells_identical.ok, false);
  assert.match(
    a.checks.cells_identical.detail,
    /concurrent_fresh: 1 of 40 outputs differ in response bytes \(request 3\)/,
  );
});

Deno.test("cells_identical uses the job's output check: text compares generated text, not bytes", () => {
  const text = (s: Sample) => ({ textSha256: String(s.requestId % 10).repeat(64) });
  const cells: CellRun[] = FACTORIAL_CELLS.map((c) => cellLog(c.name, text));
  // Framing differs (bytes), the generated text does not.
  cells[2] = cellLog("concurrent_fresh", (s) => ({ ...text(s), outputSha256: "f".repeat(64) }));
  const exact = analyzeRun(cells, { concurrency: 4, tls: false, resamples: 50 });
  assert.equal(exact.checks.cells_identical.ok, false);
  const byText = analyzeRun(cells, {
    concurrency: 4,
    tls: false,
    resamples: 50,
    outputCheck: "text",
  });
  assert.equal(byText.checks.cells_identical.ok, true, byText.checks.cells_identical.detail);
  assert.match(byText.checks.cells_identical.detail, /text outputs as baseline/);
  cells[3] = cellLog(
    "serialized_pooled",
    (s) => s.requestId === 7 ? { textSha256: "e".repeat(64) } : text(s),
  );
  const changed = analyzeRun(cells, { concurrency: 4, tls: false, outputCheck: "text" });
  assert.match(
    changed.checks.cells_identical.detail,
    /serialized_pooled: 1 of 40 outputs differ in generated text \(request 7\)/,
  );
});

Deno.test("a fresh cell whose requests shared connections fails connections_match", () => {
  const cells = allCells();
  cells[0] = cellLog("baseline", (s) => ({ connId: String(40000 + (s.requestId % 20)) }));
  cells[0]!.server = { requests: 40, connections: 20 };
  const a = analyzeRun(cells, { concurrency: 4, tls: false, resamples: 50 });
  assert.equal(a.checks.connections_match.ok, false);
  assert.match(a.checks.connections_match.detail, /fresh: 40 requests shared 20 connections/);
});

Deno.test("without all four cells there is no factorial and no ranking", () => {
  const a = analyzeRun([cellLog("baseline"), cellLog("optimized")], {
    concurrency: 4,
    tls: false,
  });
  assert.equal(a.factorial, null);
  assert.deepEqual(a.findings, []);
  assert.equal(a.checks.cells_identical.ok, true);
  assert.doesNotMatch(formatAnalysis(a), /2 x 2 run/);
});

Deno.test("formatAnalysis() prints the table, the decomposition, connections and ranked findings", () => {
  const a = analyzeRun(allCells(), { concurrency: 4, tls: false, resamples: 50 });
  const text = formatAnalysis(a);
  assert.match(
    text,
    /2 x 2 run: latency \(ms\) by handler x connections, 40 requests and 4 workers/,
  );
  for (const c of FACTORIAL_CELLS) assert.match(text, new RegExp(`\\(${c.name}\\)`));
  assert.match(
    text,
    new RegExp(
      `handler serialized -> concurrent \\(main\\)\\s+${
        a.factorial!.effects.p50.handler_main.toFixed(1)
      }`,
    ),
  );
  assert.match(text, /where the time goes/);
  assert.match(text, /baseline\s+fresh\s+40\s+40\s+40\s+one per request \(40\)\s+ok/);
  assert.match(
    text,
    /findings, ranked by measured effect at P95\n 1\. The serialized handler adds/,
  );
});

Deno.test("formatAnalysis() names each cell's tail outside the server and the client's wave", () => {
  const client = {
    interval_ms: 5,
    lag_samples: 100,
    lag_p50_ms: 0.2,
    lag_p99_ms: 6.3,
    lag_max_ms: 9,
    cpu_ms: 500,
    wall_ms: 1000,
    cpu_share: 0.5,
  };
  const cells = allCells().map((c) => (c.plan.name === "optimized" ? { ...c, client } : c));
  const a = analyzeRun(cells, { concurrency: 4, tls: false, resamples: 50 });
  const tail = a.decomposition.optimized!.tail!;
  const outside = tail.mean.remainder_ms + tail.mean.body_ms;
  const perRequest = 500 / a.decomposition.optimized!.requests;
  const text = formatAnalysis(a);
  assert.match(
    text,
    new RegExp(
      `optimized: its slowest 5 % \\(${tail.requests} requests, mean [0-9.]+ ms\\) spent ${
        outside.toFixed(1)
      } ms \\([0-9.]+%\\) outside the server`,
    ),
  );
  assert.match(
    text,
    new RegExp(
      `the client's CPU: ${perRequest.toFixed(3)} ms a request x 4 in flight = ${
        (perRequest * 4).toFixed(1)
      } ms of its one thread for each wave of answers \\(event-loop lag P99 6\\.3 ms\\)`,
    ),
  );
  assert.doesNotMatch(text, /baseline: its slowest 5 %/);
  assert.match(
    formatAnalysisBrief(a),
    /\nthe client: optimized: its slowest 5 % .* outside the server .*\n {4}the client's CPU: /,
  );
});
