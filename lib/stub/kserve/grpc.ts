/**
 * The stub's KServe v2 model over gRPC: `inference.GRPCInferenceService`
 * (ServerLive, ServerReady, ModelReady, ServerMetadata, ModelMetadata,
 * ModelInfer, ModelStreamInfer, ModelStatistics) served by `@grpc/grpc-js`
 * on the same model, scheduler and counters as the REST routes
 * ({@linkcode V2Routes.infer}), so that both transports report the times
 * of one service model. The service time of a request is drawn from the
 * digest of its `ModelInferRequest` bytes as received (the client's
 * `input_sha256`). A unary answer carries `server-timing` and
 * `x-loadgate-conn` (the client's port) in its initial metadata, as REST's headers; a stream answers each request with one
 * `ModelStreamInferResponse` (its `error_message` set for refused inputs).
 *
 * @example
 * ```ts
 * const stub = serveStub({ mode: "serialized", serviceMs: [5, 15] });
 * const grpc = await serveV2Grpc(stub.v2, { port: 0 });
 * // grpc.url: "grpc://127.0.0.1:PORT"
 * await grpc.shutdown();
 * ```
 *
 * @module
 */

import { type InferenceCodec, inferenceCodec } from "../../workload/kserve/grpc_body.ts";
import { decodeBinary, type ReadInputs, type ReadTensor, STUB_V2_MODEL } from "./model.ts";
import { type InferResult, serverTimingOf, type V2Routes } from "./routes.ts";

/** A running gRPC server. */
export interface V2GrpcServer {
  /** `grpc://HOST:PORT`. */
  url: string;
  /** Stops accepting calls and waits for those open (forced after a second). */
  shutdown(): Promise<void>;
}

type Msg = Record<string, unknown>;

/** The typed `contents` field the stub reads of each datatype it takes. */
const FIELD: Readonly<Record<string, string>> = {
  FP32: "fp32_contents",
  FP64: "fp64_contents",
  INT32: "int_contents",
  INT8: "int_contents",
  INT64: "int64_contents",
  UINT8: "uint_contents",
  BOOL: "bool_contents",
};

/** A decoded `ModelInferRequest`'s inputs, as the REST reader gives them. */
export function readGrpcInputs(req: Msg): ReadInputs {
  const raw = (req.raw_input_contents ?? []) as Uint8Array[];
  const read = new Map<string, ReadTensor>();
  const inputs = (req.inputs ?? []) as Msg[];
  for (const [i, t] of inputs.entries()) {
    const name = String(t.name);
    const datatype = String(t.datatype);
    const shape = (t.shape ?? []) as number[];
    let data: number[] | null;
    if (raw.length > 0) data = raw[i] ? decodeBinary(datatype, raw[i]!) : null;
    else {
      const list = (t.contents as Record<string, unknown[]> | null)?.[FIELD[datatype] ?? ""];
      data = Array.isArray(list) ? list.map((v) => Number(v)) : null;
    }
    if (data === null) return { error: `input ${name}: no ${datatype} contents` };
    if (data.length !== shape.reduce((a, b) => a * b, 1)) {
      return { error: `input ${name}: ${data.length} values for shape [${shape}]` };
    }
    read.set(name, { name, datatype, shape, data });
  }
  return typeof req.id === "string" && req.id !== ""
    ? { id: req.id, inputs: read }
    : { inputs: read };
}

/** A `ModelInferResponse` of the stub's outputs, in typed contents. */
function inferResponse(req: Msg, outputs: ReadTensor[]): Msg {
  return {
    model_name: STUB_V2_MODEL.name,
    model_version: STUB_V2_MODEL.versions[0]!,
    id: req.id ?? "",
    outputs: outputs.map((t) => ({
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      contents: { [FIELD[t.datatype]!]: t.data },
    })),
  };
}

/** Serves the model of `v2` over gRPC on `hostname:port` (127.0.0.1, 0 picks a free port). */
export async function serveV2Grpc(
  v2: V2Routes,
  options: {
    hostname?: string;
    port?: number;
    /** Counts an answered request from a client port in the stub's counters; its connection id. */
    tally?: (port: number) => string;
  },
): Promise<V2GrpcServer> {
  const { grpc, service } = await inferenceCodec();
  const model = STUB_V2_MODEL;
  const status = grpc.status;
  type Callback = (err: { code: number; details: string } | null, value?: Msg) => void;
  type Unary = {
    request: Msg;
    sendMetadata(md: InstanceType<typeof grpc.Metadata>): void;
    getPeer(): string;
  };
  const unknown = (name: unknown, version: unknown): string | null =>
    name !== model.name || (version !== "" && version !== model.versions[0])
      ? `unknown model "${name}"${version ? ` version "${version}"` : ""}`
      : null;
  // The infer methods take the request's bytes as they came (their digest is the service time).
  const decode = service.ModelInfer!.requestDeserialize;
  const infer = async (bytes: Uint8Array): Promise<{ req: Msg; done: InferResult }> => {
    const arrived = performance.now();
    let req: Msg;
    try {
      req = decode(bytes);
    } catch {
      return { req: {}, done: { error: "the request is not a ModelInferRequest" } };
    }
    const missing = unknown(req.model_name, req.model_version);
    if (missing !== null) return { req, done: { error: missing } };
    return { req, done: await v2.infer(readGrpcInputs(req), bytes, arrived) };
  };
  const answer = (value: Msg) => (_call: unknown, cb: Callback) => cb(null, value);
  // The connection's id: the stub's own (and the request counted) when it keeps the counters.
  const connOf = (call: { getPeer(): string }): string => {
    const port = peerPort(call);
    return options.tally && port !== "" ? options.tally(Number(port)) : port;
  };
  const handlers = {
    ServerLive: answer({ live: true }),
    ServerReady: answer({ ready: true }),
    ServerMetadata: answer({ name: "loadgate-stub", version: "1", extensions: ["statistics"] }),
    ModelReady: (call: Unary, cb: Callback) => {
      const missing = unknown(call.request.name, call.request.version);
      cb(missing === null ? null : { code: status.NOT_FOUND, details: missing }, { ready: true });
    },
    ModelMetadata: (call: Unary, cb: Callback) => {
      const missing = unknown(call.request.name, call.request.version);
      if (missing !== null) return cb({ code: status.NOT_FOUND, details: missing });
      cb(null, model as unknown as Msg);
    },
    ModelStatistics: (call: Unary, cb: Callback) => {
      const missing = unknown(call.request.name, call.request.version);
      if (missing !== null) return cb({ code: status.NOT_FOUND, details: missing });
      cb(null, { model_stats: [v2.scheduler.stats()] });
    },
    ModelInfer: async (call: Unary, cb: Callback) => {
      const { req, done } = await infer(call.request as unknown as Uint8Array);
      if ("error" in done) {
        const code = done.error.startsWith("unknown model")
          ? status.NOT_FOUND
          : status.INVALID_ARGUMENT;
        return cb({ code, details: done.error });
      }
      const md = new grpc.Metadata();
      md.set("server-timing", serverTimingOf(done.timing));
      md.set("x-loadgate-conn", connOf(call));
      call.sendMetadata(md);
      cb(null, inferResponse(req, done.outputs));
    },
    ModelStreamInfer: (call: StreamCall) => {
      const md = new grpc.Metadata();
      md.set("x-loadgate-conn", connOf(call));
      call.sendMetadata(md);
      let open = 0;
      let ended = false;
      const settle = () => {
        if (ended && open === 0) call.end();
      };
      call.on("data", async (bytes: Uint8Array) => {
        open++;
        const { req, done } = await infer(bytes);
        call.write(
          "error" in done
            ? { error_message: done.error }
            : { infer_response: inferResponse(req, done.outputs) },
        );
        open--;
        settle();
      });
      call.on("end", () => {
        ended = true;
        settle();
      });
    },
  };
  const raw = { requestDeserialize: (b: Uint8Array) => b };
  const definition = {
    ...service,
    ModelInfer: { ...service.ModelInfer!, ...raw },
    ModelStreamInfer: { ...service.ModelStreamInfer!, ...raw },
  };
  const server = new grpc.Server();
  server.addService(
    definition as unknown as Parameters<typeof server.addService>[0],
    handlers as unknown as Parameters<typeof server.addService>[1],
  );
  const hostname = options.hostname ?? "127.0.0.1";
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host}:${options.port ?? 0}`,
      grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    )
  );
  return {
    url: `grpc://${host}:${port}`,
    shutdown: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/** The client port of a call's connection, as REST's `x-loadgate-conn`: one port a channel. */
function peerPort(call: { getPeer(): string }): string {
  return /:(\d+)$/.exec(call.getPeer())?.[1] ?? "";
}

interface StreamCall {
  getPeer(): string;
  sendMetadata(md: InstanceType<InferenceCodec["grpc"]["Metadata"]>): void;
  on(event: "data", fn: (bytes: Uint8Array) => void): void;
  on(event: "end", fn: () => void): void;
  write(value: Msg): void;
  end(): void;
}
