/**
 * `run --api kserve-v2` end to end against the stub's v2 model: no body
 * flags, every request logged, the statistics extension's split against the
 * stub's known service times (the compute-infer time of each body is
 * `serviceTimeMs(sha256(body))`, its digest the log's input_sha256), the
 * binary tensor data extension, answers checked for shape and datatype, and
 * bad usage.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { runInProcess } from "../../_in_process.ts";
import { assertConcurrentSplit, assertSerializedSplit, runOn, withStub } from "../../_kserve.ts";

Deno.test("run --api kserve-v2: every request logged; the split matches the stub's service times (concurrent)", async () => {
  await withStub("concurrent", async ({ base, dir }) => {
    const { r, split, log, slack } = await runOn(base, dir, ["--html"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(log.length, 40);
    const html = await Deno.readTextFile(`${dir}/report.html`);
    assert.match(html, /Server-side split \(KServe v2 statistics extension\)/);
    assert.ok(log.every((s) => s.ok && s.status === 200));
    assert.equal(split.requests, 40);
    assertConcurrentSplit(split, log, slack);
    assert.match(r.stdout, /server split \(stats extension, 40 requests/);
  });
});

Deno.test("run --api kserve-v2: serialized requests wait for each other in the queue", async () => {
  await withStub("serialized", async ({ base, dir }) => {
    const { r, split, log, slack } = await runOn(base, dir);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assertSerializedSplit(split, log, slack);
  });
});

Deno.test("run --api kserve-v2: batched mode runs several requests an execution", async () => {
  await withStub("batched", async ({ base, dir }) => {
    const { r, split } = await runOn(base, dir, ["-c", "8"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(split.mean_batch > 1, `mean batch ${split.mean_batch}`);
  });
});

Deno.test("run --api kserve-v2 --binary-data --shape --input-data zero: the extension's bodies are served", async () => {
  await withStub("concurrent", async ({ base, dir }) => {
    const { r, doc, log } = await runOn(base, dir, [
      ...["--binary-data", "--shape", "INPUT0:2,16", "--shape", "INPUT1:2,4", "-n", "10"],
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(log.length, 10);
    assert.ok(log.every((s) => s.ok));
    assert.equal(doc.manifest.binary_data, true);
    assert.deepEqual(doc.manifest.inputs[0].shape, [2, 16]);
    assert.equal(doc.server_split.requests, 10);
    const zero = await runOn(base, `${dir}`, ["--input-data", "zero", "-n", "5"]);
    assert.equal(zero.doc.manifest.distinct_bodies, 1);
    assert.equal(new Set(zero.log.map((s) => s.inputSha256)).size, 1);
  });
});

Deno.test("run --api kserve-v2 --input-data FILE: perf_analyzer's JSON tensors are sent", async () => {
  await withStub("concurrent", async ({ base, dir }) => {
    const file = `${dir}/input.json`;
    const row = Array.from({ length: 16 }, (_, i) => i / 2);
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        data: [
          { INPUT0: row, INPUT1: [1, 2, 3, 4] },
          {
            INPUT0: { content: [...row, ...row], shape: [2, 16] },
            INPUT1: { content: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 4] },
          },
        ],
      }),
    );
    const { r, log } = await runOn(base, dir, ["--input-data", file, "-n", "4", "-c", "1"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(new Set(log.map((s) => s.inputSha256)).size, 2);
  });
});

Deno.test("run --api kserve-v2: an answer whose outputs do not fit the metadata is a failed request", async () => {
  const meta = {
    name: "m",
    platform: "x",
    inputs: [{ name: "X", datatype: "FP32", shape: [1, 2] }],
    outputs: [{ name: "Y", datatype: "FP32", shape: [1, 2] }],
  };
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      if (req.method === "GET") return Response.json(meta);
      await req.body?.cancel();
      // Three values for a [1, 2] output.
      return Response.json({
        outputs: [{ name: "Y", datatype: "FP32", shape: [1, 2], data: [1, 2, 3] }],
      });
    },
  );
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "kserve_run_" });
  try {
    for (const engine of ["h1", "fetch"]) {
      const r = await runInProcess([
        ...["--url", `http://127.0.0.1:${server.addr.port}`, "--api", "kserve-v2", "--model", "m"],
        ...["-n", "3", "-c", "1", "--engine", engine, "--out", dir, "--quiet"],
      ]);
      assert.equal(r.code, 1, r.stderr + r.stdout);
      const log = await readLog(`${dir}/run.csv`);
      assert.equal(log.length, 3);
      assert.ok(log.every((s) => !s.ok && s.error === "body"), engine);
      assert.match(r.stderr, /no server split/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run --api kserve-v2: bad usage is one line and exit 2", async () => {
  await withStub("concurrent", async ({ base, dir }) => {
    const cases: [string[], RegExp][] = [
      [[], /without --model/],
      [["--model", "nope"], /Cannot read the model metadata .*HTTP 404/],
      [["--model", "m", "--shape", "INPUT0:2,8"], /model's shape is \[-1,16\]/],
      [["--model", "m", "--shape", "INPUT0"], /Cannot parse --shape/],
      [["--model", "m", "--body", "{}"], /Cannot use --body with --api kserve-v2/],
    ];
    for (const [flags, message] of cases) {
      const r = await runInProcess(["--url", base, "--api", "kserve-v2", ...flags, "--out", dir]);
      assert.equal(r.code, 2, flags.join(" "));
      assert.match(r.stderr, message);
    }
    const r = await runInProcess(["--url", base, "--shape", "X:1", "--out", dir]);
    assert.match(r.stderr, /Cannot use --shape without --api kserve-v2/);
  });
});
