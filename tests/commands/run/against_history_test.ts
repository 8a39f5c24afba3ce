import assert from "node:assert/strict";
import { serveStub } from "../../../lib/stub/server.ts";
import { openHistory } from "../../../lib/history/open.ts";
import { runMain } from "../../_helpers.ts";
import { freshSqlite } from "../../_history.ts";
import { mainCaptured } from "../../_main_captured.ts";

const PERMS = ["--allow-net=127.0.0.1", "--allow-read=.", "--allow-write=results"];

Deno.test("run --against-history: inconclusive (exit 4) on a short history, fails a run far above its band", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [20, 20] });
  const db = await freshSqlite();
  const out = db.replace(/history\.db$/, "out");
  try {
    const args = [
      "run",
      "--url",
      stub.url,
      "-n",
      "20",
      "-c",
      "2",
      "--out",
      out,
      "-q",
      "--history",
      db,
    ];
    const first = await runMain([...args, "--against-history"], PERMS);
    assert.equal(first.code, 4, first.stderr);
    assert.match(first.stdout, /history p95: 0 comparable run\(s\), at least 5 needed/);
    assert.match(first.stdout, /verdict against history: INCONCLUSIVE/);
    // Five earlier runs of the same target, workload and load, ten times faster than the stub.
    const store = await openHistory(db);
    try {
      for (const p95 of [2, 2.1, 1.9, 2.05, 1.95]) {
        const [r] = await store.db.query(
          `INSERT INTO runs (recorded_at, started_at, command, target, workload_digest, load_key,
            load_json, engine, tool_version, deno_version, verdict, source)
            SELECT recorded_at, started_at, command, target, workload_digest, load_key, load_json,
            engine, tool_version, deno_version, verdict, source FROM runs WHERE id = 1 RETURNING id`,
        );
        await store.db.query("INSERT INTO figures (run_id, name, value) VALUES (?, 'p95', ?)", [
          r!.id as number,
          p95,
        ]);
      }
    } finally {
      await store.db.close();
    }
    const judged = await runMain([...args, "--against-history", "5", "--min-change", "10%"], PERMS);
    assert.equal(judged.code, 1, judged.stdout + judged.stderr);
    assert.match(
      judged.stdout,
      /history p95: [\d.]+ is above the 95% prediction interval \[[\d.]+, [\d.]+\] of 5 runs \(mean 2\) .*: FAIL/,
    );
    assert.match(judged.stderr, /recorded run #7/);
  } finally {
    await stub.shutdown();
  }
});

Deno.test("--against-history without --history, or a bad --min-change, is bad usage", async () => {
  for (
    const extra of [["--against-history"], [
      "--history",
      "x.db",
      "--against-history",
      "--min-change",
      "lots",
    ], ["--min-change", "5%"]]
  ) {
    // In process: the usage error is the point (tests/project/bad_input_test.ts runs a sample of
    // bad input as processes).
    const r = await mainCaptured(["run", "--url", "http://127.0.0.1:9/", ...extra]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});
