/**
 * `run --api kserve-v2-grpc` end to end against the stub's v2 model served
 * over gRPC (the same model, scheduler and counters as its REST routes): no
 * body flags, every request logged, the ModelStatistics split against the
 * stub's known service times (each request's compute-infer time is
 * `serviceTimeMs(sha256(ModelInferRequest bytes))`, the log's input_sha256),
 * raw_input_contents, ModelStreamInfer, and the same tensors as REST.
 */
import assert from "node:assert/strict";
import { serveStub } from "../../../lib/stub/server.ts";
import { readGrpcInputs, serveV2Grpc } from "../../../lib/stub/kserve/grpc.ts";
import { readGrpcMetadata } from "../../../lib/load/grpc/client.ts";
import { inferenceCodec } from "../../../lib/workload/kserve/grpc_body.ts";
import { kserveWorkload } from "../../../lib/workload/kserve/workload.ts";
import { assertConcurrentSplit, assertSerializedSplit, runOn, withStub } from "../../_kserve.ts";

const GRPC = "kserve-v2-grpc";

Deno.test("run --api kserve-v2-grpc: every request logged; the split matches the stub's service times (concurrent)", async () => {
  await withStub("concurrent", async ({ base, dir }) => {
    const { r, split, log, slack, doc } = await runOn(base, dir, [], GRPC);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(log.length, 40);
    assert.ok(log.every((s) => s.ok && s.status === 200 && s.bytesIn > 0), JSON.stringify(log[0]));
    assert.ok(log.every((s) => s.headersMs !== null && s.headersMs <= s.latencyMs));
    // The stub's server-timing, sent in the initial metadata, fills the server columns.
    assert.ok(log.every((s) => s.serverInferMs !== null && s.serverQueueMs !== null));
    // One channel carries every worker's calls: one connection in the log.
    assert.equal(new Set(log.map((s) => s.connId)).size, 1, JSON.stringify(log[0]));
    assert.notEqual(log[0]!.connId, "");
    assert.equal(doc.engine, "grpc");
    assert.equal(doc.url, base);
    assert.equal(split.requests, 40);
    assertConcurrentSplit(split, log, slack);
    assert.match(r.stdout, /server split \(stats extension, 40 requests/);
  }, { grpc: true });
});

Deno.test("run --api kserve-v2-grpc: serialized requests wait in the queue; raw_input_contents served", async () => {
  await withStub("serialized", async ({ base, dir }) => {
    const { r, split, log, slack, doc } = await runOn(base, dir, ["--binary-data"], GRPC);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(doc.manifest.raw_input_contents, true);
    assertSerializedSplit(split, log, slack);
  }, { grpc: true });
});

Deno.test("run --api kserve-v2-grpc --stream --no-reuse: ModelStreamInfer, one message a request, a connection each", async () => {
  await withStub("concurrent", async ({ base, dir }) => {
    const extra = ["--stream", "--no-reuse", "-n", "12", "-c", "3"];
    const { r, split, log } = await runOn(base, dir, extra, GRPC);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(log.length, 12);
    assert.ok(log.every((s) => s.ok && s.stream?.chunks === 1), JSON.stringify(log[0]));
    assert.ok(log.every((s) => s.stream!.ttftMs !== null && s.stream!.ttftMs! <= s.latencyMs));
    assert.equal(split.requests, 12);
    // --no-reuse: a channel of its own, so a connection of its own, for each request.
    assert.equal(new Set(log.map((s) => s.connId)).size, 12);
  }, { grpc: true });
});

Deno.test("kserve-v2-grpc sends the same seeded tensors as kserve-v2 (contents and raw)", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1] });
  const grpc = await serveV2Grpc(stub.v2, { port: 0 });
  try {
    const options = {
      model: "m",
      version: null,
      shapes: new Map<string, number[]>(),
      inputData: null,
      zero: false,
    };
    const input = { seed: 7, requests: 3, fetch };
    const rest = await kserveWorkload({ ...options, binary: false, grpc: false }, {
      ...input,
      url: new URL(stub.url).origin,
    });
    const { service } = await inferenceCodec();
    const readSets = (bodies: Uint8Array[]) =>
      bodies.map((b) => {
        const req = service.ModelInfer!.requestDeserialize(b);
        const read = readGrpcInputs(req);
        assert.ok(!("error" in read), JSON.stringify(read));
        assert.equal(req.model_name, "m");
        return [...read.inputs.values()].map((t) => t.data);
      });
    const jsonSets = rest.workload.bodies.map((b) =>
      JSON.parse(new TextDecoder().decode(b)).inputs.map((t: { data: number[] }) => t.data)
    );
    assert.equal(jsonSets.length, 3);
    for (const raw of [false, true]) {
      const g = await kserveWorkload({ ...options, binary: raw, grpc: true }, {
        ...input,
        url: grpc.url,
        grpcMetadata: () => readGrpcMetadata(grpc.url, { name: "m", version: null }, 5000),
      });
      assert.deepEqual(readSets(g.workload.bodies), jsonSets, raw ? "raw" : "contents");
    }
  } finally {
    await grpc.shutdown();
    await stub.shutdown();
  }
});
