/**
 * `job --api kserve-v2`: the main job's proof against the stub's KServe v2
 * model (serialized vs concurrent handler), the same input tensors in both
 * phases, answers checked for shape and datatype, and each phase's
 * server-side split from the statistics extension.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv_log.ts";
import { runMain } from "../../_helpers.ts";

Deno.test("job --api kserve-v2: before/after on identical input tensors, with the stats extension's split", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_job_kserve_" });
  try {
    const { code, stdout, stderr } = await runMain([
      ...["job", "--api", "kserve-v2", "--skip-tests", "--requests", "40", "--concurrency", "8"],
      // A wide SLA: the proof's direction is asserted below, not a latency a busy machine may miss.
      ...["--no-factorial", "--sla", "p95<=10000", "--out", dir],
    ]);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /check inputs_identical +ok/);
    assert.match(stdout, /check outputs_identical +ok/);
    assert.match(stderr, /server split \(stats extension, 40 requests/);
    const splits: Record<string, { queue_ms: number; compute_infer_ms: number }> = {};
    for (const phase of ["baseline", "optimized"]) {
      const doc = JSON.parse(await Deno.readTextFile(`${dir}/${phase}.json`));
      assert.equal(doc.manifest.api, "kserve-v2");
      assert.equal(doc.server_split.requests, 40);
      splits[phase] = doc.server_split;
      const log = await readLog(`${dir}/${phase}.csv`);
      assert.equal(log.length, 40);
      assert.ok(log.every((s) => s.ok));
    }
    // The analysis (stdout's evidence, analysis.json, report.html) holds each cell's split too.
    assert.match(stdout, /^baseline: server split \(stats extension, 40 requests/m);
    assert.match(stdout, /^optimized: server split \(stats extension, 40 requests/m);
    const analysis = JSON.parse(await Deno.readTextFile(`${dir}/analysis.json`));
    assert.deepEqual(analysis.server_split.baseline, splits.baseline);
    assert.deepEqual(analysis.server_split.optimized, splits.optimized);
    const html = await Deno.readTextFile(`${dir}/report.html`);
    assert.match(html, /Server-side split \(KServe v2 statistics extension\)/);
    // Serialized: 8 clients wait behind each other; concurrent: no queue.
    assert.ok(splits.baseline!.queue_ms > 4 * splits.optimized!.queue_ms, JSON.stringify(splits));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
