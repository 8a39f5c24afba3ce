import assert from "node:assert/strict";
import { BACKENDS, SYNTHETIC_LOAD, syntheticRuns, testDatabaseName } from "../_history.ts";
import { keyOf, loadKeyOf, recordOf } from "../../lib/history/record.ts";
import { migrate, SCHEMA_VERSION } from "../../lib/history/schema.ts";
import { openHistory } from "../../lib/history/open.ts";
import { UsageError } from "../../lib/base/errors.ts";

for (const backend of BACKENDS) {
  Deno.test({
    name: `${backend.name}: a recorded run reads back whole (labels, figures, thresholds, load)`,
    ignore: backend.skip !== null,
    fn: async () => {
      const store = await backend.open();
      try {
        const [run] = syntheticRuns({ count: 1 });
        const id = await store.record({ ...run!, distribution: "HISTw==" });
        const shown = await store.show(id);
        assert.equal(shown?.id, id);
        assert.deepEqual(shown?.labels, run!.labels);
        assert.deepEqual(shown?.figures, run!.figures);
        assert.deepEqual(shown?.load, SYNTHETIC_LOAD);
        assert.equal(shown?.load_key, loadKeyOf(SYNTHETIC_LOAD));
        assert.deepEqual(shown?.thresholds, run!.thresholds);
        assert.deepEqual(shown?.distribution, {
          name: "latency_ms",
          encoding: "hdr-v2-compressed-base64",
          data: "HISTw==",
        });
        assert.equal(await store.show(id + 1), null);
      } finally {
        await store.db.close();
      }
    },
  });

  Deno.test({
    name: `${backend.name}: series keep to comparable runs, oldest first; prune keeps the newest`,
    ignore: backend.skip !== null,
    fn: async () => {
      const store = await backend.open();
      try {
        const runs = syntheticRuns({ count: 6 });
        for (const r of runs) await store.record(r);
        const other = {
          ...runs[0]!,
          recordedAt: "2026-11-01T00:07:00.000Z",
          load: { ...SYNTHETIC_LOAD, concurrency: 16 },
        };
        await store.record(other);
        const key = keyOf(runs[0]!);
        const series = await store.series("p95", key, 4);
        assert.deepEqual(series.map((p) => p.id), [3, 4, 5, 6]);
        assert.deepEqual(series.map((p) => p.value), runs.slice(2).map((r) => r.figures.p95));
        assert.equal(series[0]!.labels.commit, "c003");
        assert.deepEqual(await store.keyOfRun(), keyOf(other));
        assert.deepEqual(await store.keyOfRun(2), key);
        assert.equal((await store.list({ key })).length, 6);
        assert.equal(await store.prune({ keep: 3 }), 4);
        assert.deepEqual((await store.list()).map((r) => r.id), [5, 6, 7]);
        assert.equal(await store.prune({ before: "2026-11-01T00:06:00.000Z" }), 1);
        assert.deepEqual((await store.list()).map((r) => r.id), [6, 7]);
      } finally {
        await store.db.close();
      }
    },
  });

  Deno.test({
    name: `${backend.name}: migrating twice is a no-op; a newer schema is refused`,
    ignore: backend.skip !== null,
    fn: async () => {
      const store = await backend.open();
      try {
        assert.equal(await migrate(store.db), SCHEMA_VERSION);
        const rows = await store.db.query("SELECT version FROM loadgate_schema");
        assert.deepEqual(rows.map((r) => Number(r.version)), [SCHEMA_VERSION]);
        await store.db.query("INSERT INTO loadgate_schema (version, applied_at) VALUES (?, ?)", [
          SCHEMA_VERSION + 1,
          "later",
        ]);
        await assert.rejects(() => migrate(store.db), UsageError);
      } finally {
        await store.db.close();
      }
    },
  });
}

Deno.test("recordOf() reads a phase summary: target, digest, load, figures, thresholds", () => {
  const doc = {
    url: "http://x/v1",
    engine: "h1",
    verdict: "fail",
    load: { requests: 10, workload_digest: "abc" },
    summary: { p95: 12, throughput: 3, errors: { timeout: 1 } },
    sla: {
      thresholds: [{
        expr: "p95<=10",
        metric: "p95",
        op: "<=",
        value: 10,
        actual: 12,
        pass: false,
      }],
    },
    manifest: { tool_version: "0.1.0", deno_version: "2.9.6", started_at: "2026-01-01T00:00:00Z" },
  };
  const rec = recordOf(doc, { command: "run", labels: { a: "b" }, recordedAt: "t" });
  assert.equal(rec.target, "http://x/v1");
  assert.equal(rec.workloadDigest, "abc");
  assert.deepEqual(rec.figures, { p95: 12, throughput: 3, "errors.timeout": 1 });
  assert.equal(rec.thresholds[0]!.actual, 12);
  assert.equal(rec.verdict, "fail");
  assert.equal(rec.startedAt, "2026-01-01T00:00:00Z");
});

Deno.test("recordOf() reads a comparison: the optimized phase's figures and the deltas", () => {
  const doc = {
    baseline: { p95: 20 },
    optimized: { p95: 12 },
    delta: { p95: -8 },
    verdict: "pass",
    phases: { optimized: { log: "after.csv" } },
    manifest: { workload_digest: "d" },
  };
  const rec = recordOf(doc, { command: "compare", labels: {}, recordedAt: "t" });
  assert.deepEqual(rec.figures, { p95: 12, "delta.p95": -8 });
  assert.equal(rec.target, "after.csv");
  assert.equal(rec.workloadDigest, "d");
});

Deno.test("a store that cannot be opened is a usage error naming it", async () => {
  await assert.rejects(
    () => openHistory("results/.tmp"), // a folder, not a database file
    (err: Error) => err instanceof UsageError && /history store results\/\.tmp:/.test(err.message),
  );
});

Deno.test("two copies of the history test helpers (two parallel parts) name different databases", async () => {
  // deno test --parallel runs parts as workers of one process: each has its own copy of
  // tests/_history.ts. A second import under another specifier is such a copy.
  const copy = await import("../_history.ts?second_part") as typeof import("../_history.ts");
  const names = [testDatabaseName(), testDatabaseName(), copy.testDatabaseName()];
  assert.equal(new Set(names).size, 3, names.join(", "));
  for (const n of names) assert.match(n, /^loadgate_test_[0-9a-f]{32}$/);
});
