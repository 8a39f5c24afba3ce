import assert from "node:assert/strict";
import { serveStub } from "../../../lib/stub/server.ts";
import { openHistory } from "../../../lib/history/open.ts";
import { decodeDistribution } from "../../../lib/history/distribution.ts";
import { runMain } from "../../_helpers.ts";
import { freshSqlite } from "../../_history.ts";

const PERMS = ["--allow-net=127.0.0.1", "--allow-read=.", "--allow-write=results"];

Deno.test("history import records results folders written before: a run's summary and a comparison", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
  const db = await freshSqlite();
  const dir = db.replace(/\/history\.db$/, "");
  try {
    for (const phase of ["before", "after"]) {
      const r = await runMain(
        [
          "run",
          "--url",
          stub.url,
          "-n",
          "15",
          "-c",
          "2",
          "--phase",
          phase,
          "--out",
          `${dir}/runs`,
          "-q",
        ],
        PERMS,
      );
      assert.equal(r.code, 0, r.stderr);
    }
    const cmp = await runMain(
      ["compare", `${dir}/runs/before.csv`, `${dir}/runs/after.csv`, "--out", `${dir}/cmp`],
      PERMS,
    );
    assert.equal(cmp.code, 0, cmp.stderr);
    const r = await runMain(
      ["history", "import", `${dir}/runs`, `${dir}/cmp`, "--history", db, "--label", "branch=old"],
      PERMS,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 3 run\(s\)/);
    const store = await openHistory(db);
    try {
      const runs = await store.list();
      assert.deepEqual(runs.map((x) => x.command).sort(), ["compare", "run", "run"]);
      assert.ok(runs.every((x) => x.labels.branch === "old"));
      const run = runs.find((x) => x.command === "run")!;
      const shown = await store.show(run.id);
      assert.equal(decodeDistribution((shown!.distribution as { data: string }).data).count, 15);
      assert.match(String(shown!.source), /runs\/(before|after)\.json$/);
    } finally {
      await store.db.close();
    }
    const bad = await runMain(["history", "import", `${dir}/nope`, "--history", db], PERMS);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Cannot import .*nope: not a readable folder/);
  } finally {
    await stub.shutdown();
  }
});
