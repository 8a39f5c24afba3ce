import assert from "node:assert/strict";
import { readLog } from "../lib/csv_log.ts";
import { EFFECT_NAMES, effectsOf, FACTORIAL_CELLS, METRICS, statistic } from "../lib/factorial.ts";
import { sortedCopy } from "../lib/stats.ts";
import { runMain } from "./_helpers.ts";

const FAST = ["--skip-tests", "--requests", "24", "--concurrency", "4", "--service-ms", "1:4"];
// The logs hold 3 decimals; the job computes from the unrounded times.
const close = (a: number, b: number, what: string, tol = 0.001) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_evidence_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Checks analysis.json against the four cells' logs; returns it. */
// deno-lint-ignore no-explicit-any
async function checkAnalysis(dir: string, tls: boolean): Promise<any> {
  const analysis = JSON.parse(await Deno.readTextFile(`${dir}/analysis.json`));
  assert.equal(analysis.tls, tls);
  assert.equal(analysis.manifest.tls, tls);
  const values: Record<string, Record<string, number>> = {};
  for (const plan of FACTORIAL_CELLS) {
    const log = await readLog(`${dir}/${plan.name}.csv`);
    assert.equal(log.length, 24, `${plan.name} logs every request`);
    assert.ok(log.every((s) => s.ok && s.phase === plan.name), plan.name);
    const sorted = sortedCopy(log.map((s) => s.latencyMs));
    const cell = analysis.factorial.cells.find((c: { name: string }) => c.name === plan.name);
    assert.equal(cell.handler, plan.mode);
    assert.equal(cell.connections, plan.policy);
    for (const m of METRICS) {
      close(cell[m], statistic(sorted, m), `${plan.name} ${m} equals the log's`);
      (values[m] ??= {})[`${plan.mode}_${plan.policy}`] = statistic(sorted, m);
    }
    // Connection evidence, server side: the log's conn_id and the stub's own count.
    const conns = new Set(log.map((s) => s.connId)).size;
    const evidence = analysis.connections[plan.name];
    assert.equal(evidence.connections, conns);
    assert.equal(evidence.server.connections, conns, `${plan.name}: the stub counted the same`);
    if (plan.policy === "fresh") assert.equal(conns, 24, `${plan.name}: one per request`);
    else assert.ok(conns <= 4, `${plan.name}: ${conns} connections for 4 workers`);
    const phaseJson = JSON.parse(await Deno.readTextFile(`${dir}/${plan.name}.json`));
    assert.equal(phaseJson.server.connections, conns);
    // Decomposition: the P95 request's parts add up to its latency.
    const p95 = analysis.decomposition[plan.name].p95_request;
    const sum = Object.values(p95.parts as Record<string, number>).reduce((a, b) => a + b, 0);
    close(sum, p95.latency_ms, `${plan.name} P95 parts add up`, 1e-6);
    assert.equal(typeof analysis.queueing[plan.name].little.note, "string");
  }
  for (const m of METRICS) {
    // deno-lint-ignore no-explicit-any
    const expected = effectsOf(values[m] as any);
    for (const e of EFFECT_NAMES) {
      close(
        analysis.factorial.effects[m][e],
        expected[e],
        `${m} ${e} recomputed from the logs`,
        0.002,
      );
    }
  }
  assert.ok(analysis.findings.length >= 3);
  analysis.findings.forEach((f: { rank: number; source: string }, i: number) => {
    assert.equal(f.rank, i + 1);
    assert.ok(f.source.length > 0);
  });
  const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
  assert.equal(comparison.checks.connections_match.ok, true);
  assert.equal(comparison.checks.cells_identical.ok, true);
  assert.equal(comparison.analysis, "analysis.json");
  return analysis;
}

Deno.test("job runs the 2 x 2 cells and writes analysis.json that agrees with their logs", async () => {
  await withTempDir(async (dir) => {
    const { code, stdout, stderr } = await runMain(["job", ...FAST, "--out", dir]);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /2 x 2 run: latency \(ms\) by handler x connections/);
    assert.match(stdout, /findings, ranked by measured effect at P95\n 1\. /);
    assert.match(stdout, /check connections_match\s+ok/);
    await checkAnalysis(dir, false);
  });
});

Deno.test("job --tls serves and requests HTTPS and measures what connection reuse buys", async () => {
  const probe = await new Deno.Command("openssl", { args: ["version"], stdout: "null" }).output()
    .catch(() => null);
  if (!probe?.success) {
    console.log("  skipped: openssl is not installed");
    return;
  }
  await withTempDir(async (dir) => {
    const { code, stdout, stderr } = await runMain(["job", ...FAST, "--tls", "--out", dir]);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stderr, /baseline: .* \(https\)/);
    assert.match(stdout, /evidence over HTTPS/);
    const analysis = await checkAnalysis(dir, true);
    const reuse = analysis.findings.find((f: { contributor: string }) =>
      /TLS handshake/.test(f.contributor)
    );
    assert.ok(Number.isFinite(reuse.figure_ms), "the fresh-vs-pooled effect is a number");
    assert.ok(Number.isFinite(analysis.factorial.effects.p95.connections_with_concurrent));
    assert.equal(reuse.interval_ms.length, 2);
  });
});

Deno.test("job --no-factorial runs only baseline and optimized, and says so in analysis.json", async () => {
  await withTempDir(async (dir) => {
    const { code, stdout, stderr } = await runMain([
      "job",
      ...FAST,
      "--no-factorial",
      "--out",
      dir,
    ]);
    assert.equal(code, 0, stderr + stdout);
    const analysis = JSON.parse(await Deno.readTextFile(`${dir}/analysis.json`));
    assert.equal(analysis.factorial, null);
    assert.deepEqual(Object.keys(analysis.connections), ["baseline", "optimized"]);
    assert.equal(analysis.connections.baseline.connections, 24);
    await assert.rejects(Deno.stat(`${dir}/serialized_pooled.csv`), Deno.errors.NotFound);
  });
});
