/**
 * Test helpers of the history store: the two backends (SQLite in a temporary
 * file; PostgreSQL when LOADGATE_TEST_POSTGRES_URL names a server, a fresh
 * database each time) and a seeded sequence of recorded runs with a known
 * regression.
 */
import { openHistory } from "../lib/history/open.ts";
import type { HistoryRecord } from "../lib/history/record.ts";
import type { HistoryStore } from "../lib/history/store.ts";
import { mulberry32 } from "../lib/stats/random.ts";
import { normalVariate } from "../lib/stats/variates.ts";
import { percentile } from "../lib/stats/stats.ts";

/** The PostgreSQL server of the tests, from the environment; null when not set or not allowed. */
export function postgresUrl(): string | null {
  try {
    return Deno.env.get("LOADGATE_TEST_POSTGRES_URL") || null;
  } catch {
    return null;
  }
}

/** Why the PostgreSQL tests are ignored, printed once; null when they run. */
export const POSTGRES_SKIP = postgresUrl() === null
  ? "LOADGATE_TEST_POSTGRES_URL is not set (tests/tools/postgres.sh start sets it; .ci/run does)"
  : null;
if (POSTGRES_SKIP) console.error(`ignored: the PostgreSQL history tests: ${POSTGRES_SKIP}`);

/** A database name no other part of the suite uses (see freshPostgres). */
export function testDatabaseName(): string {
  return `loadgate_test_${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * A new, empty database on the test server; returns its URL. The name is random:
 * `deno test --parallel` runs the parts as workers of one process, each with its
 * own copy of this module, so a pid and a counter named the same database twice
 * and one part's DROP removed another's database mid-test.
 */
export async function freshPostgres(): Promise<string> {
  const url = postgresUrl()!;
  const name = testDatabaseName();
  const { openPostgres } = await import("../lib/history/postgres.ts");
  const admin = await openPostgres(url);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}

/** A new SQLite file under results/.tmp; returns its path. */
export async function freshSqlite(): Promise<string> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "history_" });
  return `${dir}/history.db`;
}

/** Each backend: its name, a new empty store's location, the reason it is ignored (or null). */
export const BACKENDS: {
  name: string;
  skip: string | null;
  location: () => Promise<string>;
  open: () => Promise<HistoryStore>;
}[] = [
  { name: "SQLite", skip: null, location: freshSqlite },
  { name: "PostgreSQL", skip: POSTGRES_SKIP, location: freshPostgres },
].map((b) => ({ ...b, open: async () => openHistory(await b.location()) }));

/** The target, digest and load the synthetic runs share. */
export const SYNTHETIC_LOAD = {
  requests: 2000,
  concurrency: 8,
  timeout_ms: 30000,
  method: "POST",
  path: "/v1/infer",
  headers_sha256: "h",
  workload_digest: "w",
};

/**
 * `count` runs of 2000 lognormal latencies (median 100 ms, σ 0.3), the latencies
 * times `1 + shift` from run `from` (1-based) on: run k's p95, p50, p99,
 * throughput, each run's record. Seeded: the same seed gives the same runs.
 */
export function syntheticRuns(
  opts: { count?: number; from?: number; shift?: number; seed?: number; sigma?: number } = {},
): HistoryRecord[] {
  const { count = 30, from = 21, shift = 0.1, seed = 7, sigma = 0.3 } = opts;
  const rng = mulberry32(seed);
  const runs: HistoryRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const scale = k >= from ? 1 + shift : 1;
    const ms = Array.from(
      { length: 2000 },
      () => 100 * scale * Math.exp(sigma * normalVariate(rng)),
    ).sort((a, b) => a - b);
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    runs.push({
      recordedAt: new Date(Date.UTC(2026, 10, 1, 0, k)).toISOString(),
      startedAt: new Date(Date.UTC(2026, 10, 1, 0, k)).toISOString(),
      command: "run",
      target: "http://127.0.0.1:8000/v1/infer",
      workloadDigest: "w",
      load: SYNTHETIC_LOAD,
      engine: "h1",
      toolVersion: "0.1.0",
      denoVersion: "2.9.6",
      verdict: "pass",
      labels: { commit: `c${String(k).padStart(3, "0")}`, branch: "main" },
      figures: {
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        p99: percentile(ms, 99),
        mean,
        throughput: 8000 / mean,
        error_rate: 0,
      },
      thresholds: [{
        expr: "p95<=200",
        metric: "p95",
        op: "<=",
        value: 200,
        actual: null,
        pass: true,
      }],
      distribution: null,
      source: null,
    });
  }
  return runs;
}
