import assert from "node:assert/strict";
import { serveStub } from "../../lib/stub/server.ts";
import { openHistory } from "../../lib/history/open.ts";
import { decodeDistribution } from "../../lib/history/distribution.ts";
import { runMain } from "../_helpers.ts";
import { mainCaptured } from "../_main_captured.ts";

const PERMS = [
  "--allow-net=127.0.0.1",
  "--allow-read=.",
  "--allow-write=results",
  "--allow-env=GITHUB_SHA,GITHUB_REF_NAME",
];

Deno.test("run --history records the judged run: labels from --label and CI, figures, distribution", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "history_run_" });
  try {
    const db = `${dir}/h.db`;
    const args = ["run", "--url", stub.url, "-n", "20", "-c", "2", "--out", `${dir}/out`, "-q"];
    const env = { GITHUB_SHA: "abc123", GITHUB_REF_NAME: "main" };
    for (const label of ["x=1", "commit=mine"]) {
      const r = await runMain([...args, "--history", db, "--label", label], PERMS, env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /recorded run #\d+ in .*h\.db/);
    }
    const store = await openHistory(db);
    try {
      const runs = await store.list();
      assert.deepEqual(runs.map((r) => r.labels), [
        { commit: "abc123", branch: "main", x: "1" },
        { commit: "mine", branch: "main" },
      ]);
      assert.equal(runs[0]!.target, stub.url);
      const shown = await store.show(runs[1]!.id);
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/out/run.json`));
      assert.equal((shown!.figures as Record<string, number>).p95, summary.summary.p95);
      assert.equal(shown!.verdict, "pass");
      const dist = shown!.distribution as { data: string };
      assert.equal(decodeDistribution(dist.data).count, 20);
    } finally {
      await store.db.close();
    }
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--label without --history, or a bad label, is bad usage (exit 2, one line)", async () => {
  for (const extra of [["--label", "a=b"], ["--history", "results/.tmp/x.db", "--label", "=b"]]) {
    // In process: the usage error is the point (tests/project/bad_input_test.ts runs a sample of
    // bad input as processes).
    const r = await mainCaptured(["run", "--url", "http://127.0.0.1:9/", ...extra]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /--label/);
  }
});

Deno.test("a --history store that cannot be opened fails before any request is sent (exit 2)", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
  try {
    const r = await runMain(
      [
        "run",
        "--url",
        stub.url,
        "-n",
        "5",
        "--out",
        "results/.tmp/never",
        "--history=results/.tmp",
      ],
      PERMS,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^loadgate: Cannot open the history store results\/\.tmp: /);
    assert.equal(stub.stats().requests, 0, "no request was sent");
  } finally {
    await stub.shutdown();
  }
});
