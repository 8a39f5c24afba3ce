/**
 * Checks a job's analysis.json against the four cells' CSV logs: shared by the
 * job tests. Not a test file itself.
 */
import assert from "node:assert/strict";
import { readLog } from "../lib/log/csv/log.ts";
import {
  EFFECT_NAMES,
  effectsOf,
  FACTORIAL_CELLS,
  METRICS,
  statistic,
} from "../lib/evidence/factorial.ts";
import { sortedCopy } from "../lib/stats/stats.ts";

// The logs hold 3 decimals; the job computes from the unrounded times.
const close = (a: number, b: number, what: string, tol = 0.001) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** Checks analysis.json against the four cells' logs; returns it. */
export async function checkAnalysis(
  dir: string,
  run: { tls: boolean; requests: number; concurrency: number },
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const { tls, requests, concurrency } = run;
  const analysis = JSON.parse(await Deno.readTextFile(`${dir}/analysis.json`));
  assert.equal(analysis.tls, tls);
  assert.equal(analysis.manifest.tls, tls);
  const values: Record<string, Record<string, number>> = {};
  for (const plan of FACTORIAL_CELLS) {
    const log = await readLog(`${dir}/${plan.name}.csv`);
    assert.equal(log.length, requests, `${plan.name} logs every request`);
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
    if (plan.policy === "fresh") assert.equal(conns, requests, `${plan.name}: one per request`);
    else assert.ok(conns <= concurrency, `${plan.name}: ${conns} connections for ${concurrency}`);
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
