/**
 * The gRPC engine against a test server on port 0 whose answer each request
 * picks (by its model name): an answer, INVALID_ARGUMENT, UNAVAILABLE, one
 * slower than the deadline, outputs that do not fit, and a stream whose
 * message carries an error. Every failure is a failed row of the right
 * kind with the code in its detail, never ok; and the status mapping itself.
 */
import assert from "node:assert/strict";
import { openGrpcEngine } from "../../../lib/load/grpc/engine.ts";
import { grpcOutcome } from "../../../lib/load/grpc/status.ts";
import { DEFAULT_MAX_RESPONSE, type RequestSpec } from "../../../lib/load/measure.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import { inferenceCodec } from "../../../lib/workload/kserve/grpc_body.ts";
import { checkOutputs } from "../../../lib/workload/kserve/body.ts";
import { grpcAnswerTensors } from "../../../lib/workload/kserve/grpc_body.ts";
import { workloadFromBodies } from "../../../lib/workload/workload.ts";

const KINDS = ["ok", "invalid", "unavailable", "slow", "badout", "streamerr"] as const;
const OUTPUTS = [{ name: "OUT", datatype: "FP32", shape: [-1, 2] }];

/** A server whose answer to each request is named by the request's model_name. */
async function testServer() {
  const { grpc, service } = await inferenceCodec();
  type Msg = Record<string, unknown>;
  type Cb = (err: { code: number; details: string } | null, value?: Msg) => void;
  const good = (shape: number[]) => ({
    model_name: "m",
    outputs: [{ name: "OUT", datatype: "FP32", shape, contents: { fp32_contents: [1, 2] } }],
  });
  const server = new grpc.Server();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  server.addService(
    service as unknown as Parameters<typeof server.addService>[0],
    {
      ModelInfer: (call: { request: Msg }, cb: Cb) => {
        const kind = call.request.model_name;
        if (kind === "invalid") return cb({ code: grpc.status.INVALID_ARGUMENT, details: "bad" });
        if (kind === "unavailable") return cb({ code: grpc.status.UNAVAILABLE, details: "busy" });
        if (kind === "slow") {
          const t = setTimeout(() => {
            timers.delete(t);
            cb(null, good([1, 2]));
          }, 3000);
          return timers.add(t);
        }
        cb(null, good(kind === "badout" ? [1, 3] : [1, 2]));
      },
      ModelStreamInfer: (call: {
        on: (e: string, f: (m?: Msg) => void) => void;
        write: (m: Msg) => void;
        end: () => void;
      }) => {
        call.on("data", (m) => {
          if (m!.model_name === "streamerr") call.write({ error_message: "model failed" });
          else {
            call.write({ infer_response: good([1, 2]) });
            call.write({ infer_response: good([1, 2]) });
          }
        });
        call.on("end", () => call.end());
      },
    } as unknown as Parameters<typeof server.addService>[1],
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      "127.0.0.1:0",
      grpc.ServerCredentials.createInsecure(),
      (e, p) => (e ? reject(e) : resolve(p)),
    )
  );
  return {
    url: `grpc://127.0.0.1:${port}`,
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.forceShutdown();
    },
  };
}

async function sendAll(stream: boolean): Promise<Map<string, Sample>> {
  const { service } = await inferenceCodec();
  const server = await testServer();
  const bodies = KINDS.map((k) =>
    new Uint8Array(service.ModelInfer!.requestSerialize({ model_name: k }))
  );
  const request: RequestSpec = {
    phase: "run",
    url: server.url,
    method: "POST",
    headers: {},
    workload: await workloadFromBodies(bodies),
    // Wide enough for a first call's channel set-up on a busy machine (an ok call timed out at
    // 150 ms with eight test parts side by side); the slow answer comes well after it.
    timeoutMs: 1000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE,
    stream,
    onBody: (sample, body) => {
      const wrong = checkOutputs(
        OUTPUTS,
        grpcAnswerTensors(service.ModelInfer!.responseDeserialize(body)),
      );
      if (wrong !== null) {
        sample.ok = false;
        sample.error = "body";
        sample.errorDetail = wrong;
      }
    },
  };
  const engine = openGrpcEngine({ request, policy: "pooled", now: () => performance.now() });
  try {
    const t0 = performance.now();
    const samples = await Promise.all(KINDS.map((_, i) => engine.send(i, t0)));
    return new Map(samples.map((s, i) => [KINDS[i]!, s]));
  } finally {
    engine.close();
    server.close();
  }
}

Deno.test("grpc engine: each status is a failed row of its kind, with the code in its detail", async () => {
  const got = await sendAll(false);
  const ok = got.get("ok")!;
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(ok.status, 200);
  assert.ok(ok.headersMs !== null && ok.headersMs <= ok.latencyMs);
  assert.ok(ok.bytesIn > 0 && /^[0-9a-f]{64}$/.test(ok.outputSha256));
  const expect: Record<string, [string, number | null, RegExp]> = {
    invalid: ["http_4xx", 400, /^grpc 3 INVALID_ARGUMENT: bad$/],
    unavailable: ["connect", null, /^grpc 14 UNAVAILABLE: busy$/],
    slow: ["timeout", null, /^grpc 4 DEADLINE_EXCEEDED/],
    badout: ["body", 200, /output OUT: shape \[1,3\]/],
  };
  for (const [kind, [error, status, detail]] of Object.entries(expect)) {
    const s = got.get(kind)!;
    assert.equal(s.ok, false, kind);
    assert.equal(s.error, error, `${kind}: ${JSON.stringify(s)}`);
    assert.equal(s.status, status, kind);
    assert.match(s.errorDetail ?? "", detail, kind);
  }
  // The slow answer is failed at the deadline, not when it would have come.
  assert.ok(got.get("slow")!.latencyMs < 2900, `slow: ${got.get("slow")!.latencyMs} ms`);
});

Deno.test("grpc engine --stream: each message a chunk; an error_message fails the stream", async () => {
  const got = await sendAll(true);
  const ok = got.get("ok")!;
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(ok.stream?.chunks, 2);
  assert.ok(ok.stream!.ttftMs !== null && ok.stream!.ttftMs <= ok.latencyMs);
  assert.equal(ok.stream!.itlMs.length, 1);
  const err = got.get("streamerr")!;
  assert.equal(err.ok, false);
  assert.equal(err.error, "stream");
  assert.equal(err.errorDetail, "model failed");
});

Deno.test("grpcOutcome: deadline a timeout, UNAVAILABLE a connection failure, others an HTTP status", () => {
  assert.deepEqual(grpcOutcome(4), { status: null, failure: "timeout" });
  assert.deepEqual(grpcOutcome(14), { status: null, failure: "connect" });
  assert.deepEqual(grpcOutcome(3), { status: 400, failure: "" });
  assert.deepEqual(grpcOutcome(5), { status: 404, failure: "" });
  assert.deepEqual(grpcOutcome(8), { status: 429, failure: "" });
  assert.deepEqual(grpcOutcome(12), { status: 501, failure: "" });
  assert.deepEqual(grpcOutcome(13), { status: 500, failure: "" });
  assert.deepEqual(grpcOutcome(99), { status: 500, failure: "" });
});
