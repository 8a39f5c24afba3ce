/**
 * The stub's KServe v2 model over gRPC: health and metadata, an infer's
 * outputs in typed contents (the same pure function as REST), refused inputs
 * (INVALID_ARGUMENT; a stream's error_message), an unknown model
 * (NOT_FOUND), and ModelStatistics counting what both transports served.
 */
import assert from "node:assert/strict";
import { serveStub } from "../../lib/stub/server.ts";
import { serveV2Grpc } from "../../lib/stub/kserve/grpc.ts";
import { grpcUnary, openGrpcClient } from "../../lib/load/grpc/client.ts";
import { jsonInferBody } from "../../lib/workload/kserve/body.ts";
import { grpcInferRequest } from "../../lib/workload/kserve/grpc_body.ts";
import { STUB_INPUTS } from "../_kserve.ts";

const INPUTS = STUB_INPUTS;

Deno.test("stub over gRPC: metadata, outputs, refusals and the statistics of both transports", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1] });
  const grpc = await serveV2Grpc(stub.v2, { port: 0 });
  const c = await openGrpcClient(grpc.url);
  try {
    assert.deepEqual(await grpcUnary(c, "ServerLive", {}, 5000), { live: true });
    const meta = await grpcUnary(c, "ModelMetadata", { name: "m" }, 5000);
    assert.deepEqual(meta.inputs, [
      { name: "INPUT0", datatype: "FP32", shape: [-1, 16] },
      { name: "INPUT1", datatype: "INT32", shape: [-1, 4] },
    ]);
    await assert.rejects(grpcUnary(c, "ModelMetadata", { name: "x" }, 5000), /grpc 5 NOT_FOUND/);
    const target = { model: "m", version: null, raw: false };
    const answer = await grpcUnary(c, "ModelInfer", grpcInferRequest(INPUTS, target), 5000);
    const outputs = answer.outputs as Array<Record<string, Record<string, unknown>>>;
    assert.deepEqual(outputs[1]!.shape, [1, 1]);
    assert.deepEqual(outputs[1]!.contents!.int_contents, [2]);
    assert.deepEqual(outputs[0]!.contents!.fp32_contents, INPUTS[0]!.data.map((v) => 2 * +v));
    const short = [{ ...INPUTS[0]!, data: [1] }, INPUTS[1]!];
    await assert.rejects(
      grpcUnary(c, "ModelInfer", grpcInferRequest(short, target), 5000),
      /grpc 3 INVALID_ARGUMENT: input INPUT0: 1 values for shape \[1,16\]/,
    );
    // The same model over REST: the counters are one model's.
    const res = await fetch(new URL("/v2/models/m/infer", stub.url), {
      method: "POST",
      body: jsonInferBody(INPUTS),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const stats = await grpcUnary(c, "ModelStatistics", { name: "m" }, 5000);
    const m =
      (stats.model_stats as Array<Record<string, Record<string, Record<string, number>>>>)[0]!;
    assert.equal(m.inference_stats!.success!.count, 2);
    assert.equal(m.inference_stats!.fail!.count, 1);
    assert.ok(m.inference_stats!.compute_infer!.ns! >= 2 * 1e6);
  } finally {
    c.close();
    await grpc.shutdown();
    await stub.shutdown();
  }
});

Deno.test("stub over gRPC: a stream answers each request, refused inputs with an error_message", async () => {
  const stub = serveStub({ mode: "serialized", serviceMs: [1, 1] });
  const grpc = await serveV2Grpc(stub.v2, { port: 0 });
  const c = await openGrpcClient(grpc.url);
  try {
    const m = c.codec.service.ModelStreamInfer!;
    const target = { model: "m", version: null, raw: true };
    const call = c.client.makeBidiStreamRequest(
      m.path,
      (v: object) => c.asBuffer(m.requestSerialize(v)),
      (b: Uint8Array) => m.responseDeserialize(b),
      new c.codec.grpc.Metadata(),
      {},
    );
    const got: Record<string, unknown>[] = [];
    const done = new Promise<number>((resolve) => {
      call.on("data", (msg: Record<string, unknown>) => got.push(msg));
      call.on("status", (s: { code: number }) => resolve(s.code));
    });
    call.write(grpcInferRequest(INPUTS, target));
    call.write(grpcInferRequest(INPUTS, { ...target, model: "x" }));
    call.end();
    assert.equal(await done, 0);
    assert.equal(got.length, 2);
    const ok = got.find((g) => g.error_message === "")!;
    const outputs = (ok.infer_response as { outputs: Array<{ name: string }> }).outputs;
    assert.deepEqual(outputs.map((o) => o.name), ["OUTPUT0", "OUTPUT1"]);
    assert.ok(got.some((g) => /unknown model "x"/.test(String(g.error_message))));
  } finally {
    c.close();
    await grpc.shutdown();
    await stub.shutdown();
  }
});
