/**
 * `job --api kserve-v2`: the main job's proof against the stub's KServe v2
 * model (serialized vs concurrent handler), the same input tensors in both
 * phases, answers checked for shape and datatype, and each phase's
 * server-side split from the statistics extension.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { runMain } from "../../_helpers.ts";
import { mainCaptured } from "../../_main_captured.ts";

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

Deno.test("job --api kserve-v2-grpc: the same proof over gRPC, the connections counted by the stub", async () => {
  // Requests a cell: the fresh cell's channels each end with a GOAWAY (see below), so few.
  const N = 16;
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "job_kserve_grpc_" });
  try {
    // In process (the stub is still a child of its own, serving gRPC on --grpc-port 0).
    const job = () =>
      mainCaptured([
        ...["job", "--api", "kserve-v2-grpc", "--skip-tests", "--requests", String(N)],
        ...["--concurrency", "8", "--no-factorial", "--sla", "p95<=10000", "--out", dir],
      ]);
    let { code, stdout, stderr } = await job();
    // Deno 2.9.6's node:http2 can abort a process inside nghttp2 as a GOAWAY arrives
    // (denoland/deno#36788): the stub's gRPC server, met by the fresh cell's GOAWAY a request,
    // died so in about one suite run of five with 40 requests, twice in a row once (2026-12-05),
    // and once with SIGSEGV at the same moment (2026-12-06). The job says so; that one cause, and
    // no other, gets up to two more runs, each named here.
    for (
      let again = 1;
      again <= 2 && /stub ended during its cell \(killed by SIG(ABRT|SEGV)\)/.test(stderr);
      again++
    ) {
      console.log(
        `job_kserve_test: the stub crashed (denoland/deno#36788); run ${again + 1} of the job`,
      );
      ({ code, stdout, stderr } = await job());
    }
    assert.equal(code, 0, stderr + stdout);
    for (const phase of ["baseline", "optimized"]) {
      const failed = (await readLog(`${dir}/${phase}.csv`)).filter((s) => !s.ok);
      const why = failed.slice(0, 3).map((s) => `${s.error}: ${s.errorDetail ?? ""}`);
      assert.equal(
        failed.length,
        0,
        `${phase}: ${failed.length} failed, ${why.join("; ")}; the job said:\n${stderr}`,
      );
    }
    assert.match(stdout, /check inputs_identical +ok/);
    assert.match(stdout, /check outputs_identical +ok/);
    // Fresh cells open a channel (a connection) a request; pooled cells share one channel.
    assert.match(
      stdout,
      new RegExp(`check connections_match +ok +baseline ${N}, optimized 1 connections`),
    );
    assert.match(stdout, /^evidence over gRPC/m);
    const splits: Record<string, { queue_ms: number; requests: number }> = {};
    for (const phase of ["baseline", "optimized"]) {
      const doc = JSON.parse(await Deno.readTextFile(`${dir}/${phase}.json`));
      assert.equal(doc.manifest.api, "kserve-v2-grpc");
      assert.equal(doc.engine, "grpc");
      assert.equal(doc.server.requests, N);
      splits[phase] = doc.server_split;
      assert.equal(splits[phase]!.requests, N);
      const log = await readLog(`${dir}/${phase}.csv`);
      assert.ok(log.length === N && log.every((s) => s.ok));
    }
    assert.ok(splits.baseline!.queue_ms > 4 * splits.optimized!.queue_ms, JSON.stringify(splits));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
