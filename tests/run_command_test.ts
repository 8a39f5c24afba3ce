import assert from "node:assert/strict";
import { readLog } from "../lib/csv_log.ts";
import { runMain } from "./_helpers.ts";

/** A plain HTTP server that is not loadgate's stub: echoes the body length. */
function plainServer(): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.arrayBuffer();
    return Response.json({ length: body.byteLength });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/echo`, close: () => server.shutdown() };
}

Deno.test("run against a plain server writes a valid log and summary, and compare gates two runs", async () => {
  const server = plainServer();
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    for (const [phase, reuse] of [["before", "--no-reuse"], ["after", "--reuse"]]) {
      const r = await runMain([
        "run",
        "--url",
        server.url,
        "-n",
        "20",
        "-c",
        "3",
        "--phase",
        phase!,
        reuse!,
        "--out",
        dir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const log = await readLog(`${dir}/${phase}.csv`);
      assert.equal(log.length, 20);
      assert.ok(log.every((s) => s.ok && s.phase === phase && s.serverQueueMs === null));
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/${phase}.json`));
      assert.equal(summary.summary.requests, 20);
      assert.equal(summary.load.concurrency, 3);
    }
    const cmp = await runMain([
      "compare",
      `${dir}/before.csv`,
      `${dir}/after.csv`,
      "--out",
      `${dir}/cmp`,
    ]);
    assert.equal(cmp.code, 0, cmp.stderr + cmp.stdout);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/cmp/comparison.json`));
    assert.equal(json.checks.outputs_identical.compared, 20);

    const strict = await runMain([
      "compare",
      `${dir}/before.csv`,
      `${dir}/after.csv`,
      "--out",
      `${dir}/cmp`,
      "--sla",
      "p50<0",
    ]);
    assert.equal(strict.code, 1);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compare refuses logs run under different load, unless forced", async () => {
  const server = plainServer();
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    await runMain(["run", "--url", server.url, "-n", "6", "-c", "2", "--phase", "a", "--out", dir]);
    await runMain(["run", "--url", server.url, "-n", "6", "-c", "3", "--phase", "b", "--out", dir]);
    const refused = await runMain([
      "compare",
      `${dir}/a.csv`,
      `${dir}/b.csv`,
      "--out",
      `${dir}/cmp`,
    ]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Refusing to compare .*concurrency: 2 vs 3.*--force/);
    const forced = await runMain([
      "compare",
      `${dir}/a.csv`,
      `${dir}/b.csv`,
      "--out",
      `${dir}/cmp`,
      "--force",
    ]);
    assert.equal(forced.code, 1, "forced, the conditions check still fails the verdict");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run rejects a malformed URL or unsupported scheme with exit 2", async () => {
  for (const url of ["not a url", "ftp://127.0.0.1/x", ""]) {
    const r = await runMain(["run", "--url", url]);
    assert.equal(r.code, 2, url);
    assert.match(r.stderr, /^loadgate: (Cannot parse --url|Missing --url)/);
  }
});
