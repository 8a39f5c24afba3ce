/**
 * A gRPC channel to a KServe v2 server (`grpc://HOST:PORT`, plaintext HTTP/2)
 * through `@grpc/grpc-js`, and the calls a run makes outside its measured
 * requests: `ModelMetadata` before the phase (its inputs make the tensors)
 * and `ModelStatistics` around it (the server split, as REST's statistics
 * extension).
 *
 * @module
 */

import type { Buffer } from "node:buffer";
import { UsageError } from "../../base/errors.ts";
import { type InferenceCodec, inferenceCodec } from "../../workload/kserve/grpc_body.ts";
import { type ModelMetadata, parseMetadata } from "../../workload/kserve/metadata.ts";
import { type ModelCounters, parseModelStats } from "../model_stats.ts";
import { grpcDetail } from "./status.ts";

/** An open channel, its codec, and how to close it. */
export interface GrpcClient {
  codec: InferenceCodec;
  /** grpc-js's generic client over the channel. */
  client: InstanceType<InferenceCodec["grpc"]["Client"]>;
  /** Bytes as grpc-js writes them (a Buffer: it frames messages with `Buffer#copy`), no copy. */
  asBuffer: (b: Uint8Array) => Buffer;
  close(): void;
}

/** `grpc://host:port` as grpc-js's target (`host:port`). Throws `UsageError` on another URL. */
export function grpcTarget(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "grpc:" || u.hostname === "" || u.port === "") {
    throw new UsageError(`Cannot use "${url}" for gRPC: give grpc://HOST:PORT`);
  }
  return u.host;
}

/** Opens a channel to `url`; answers larger than `maxBytes` fail (RESOURCE_EXHAUSTED). */
export async function openGrpcClient(url: string, maxBytes = -1): Promise<GrpcClient> {
  const codec = await inferenceCodec();
  const { grpc } = codec;
  const client = new grpc.Client(grpcTarget(url), grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": maxBytes,
    "grpc.max_send_message_length": -1,
    // No proxy from http_proxy & co.: the target is dialled directly, as h1 and fetch do here.
    "grpc.enable_http_proxy": 0,
    // Connections of this channel only: grpc-js otherwise shares them between the channels of
    // one target, and `fresh` (a channel a request) would reuse the first one.
    "grpc.use_local_subchannel_pool": 1,
  });
  // node:buffer loaded here, not statically: a run that speaks no gRPC never loads it.
  const node = await import("node:buffer");
  const asBuffer = (b: Uint8Array) => node.Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return { codec, client, asBuffer, close: () => client.close() };
}

/** Keeps a message's bytes as they came. */
export const rawBytes = (b: Uint8Array): Uint8Array => b;

/** One unary call of `method`, decoded; rejects with the status's detail line. */
export function grpcUnary(
  c: GrpcClient,
  method: string,
  request: object,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const m = c.codec.service[method]!;
  const { promise, resolve, reject } = Promise.withResolvers<Record<string, unknown>>();
  c.client.makeUnaryRequest(
    m.path,
    (v: object) => c.asBuffer(m.requestSerialize(v)),
    (b: Uint8Array) => m.responseDeserialize(b),
    request,
    new c.codec.grpc.Metadata(),
    { deadline: Date.now() + timeoutMs },
    (err, value) => {
      if (err) reject(new Error(grpcDetail(err.code, err.details)));
      else resolve(value!);
    },
  );
  return promise;
}

/** One unary call about `model` (`name`, `version`) on a channel of its own. */
async function askAboutModel(
  url: string,
  method: "ModelMetadata" | "ModelStatistics",
  model: { name: string; version: string | null },
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const c = await openGrpcClient(url);
  try {
    return await grpcUnary(
      c,
      method,
      { name: model.name, version: model.version ?? "" },
      timeoutMs,
    );
  } finally {
    c.close();
  }
}

/** Reads a model's metadata over gRPC; throws {@linkcode UsageError} when it cannot. */
export async function readGrpcMetadata(
  url: string,
  model: { name: string; version: string | null },
  timeoutMs: number,
): Promise<ModelMetadata> {
  try {
    return parseMetadata(await askAboutModel(url, "ModelMetadata", model, timeoutMs));
  } catch (err) {
    if (err instanceof UsageError) throw err; // the library could not load (a permission)
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`Cannot read the model metadata of "${model.name}" at ${url}: ${why}`);
  }
}

/** Reads the model's cumulative counters (`ModelStatistics`); null with why when it cannot. */
export async function readGrpcModelStats(
  url: string,
  model: { name: string; version: string | null },
  timeoutMs: number,
): Promise<ModelCounters | string> {
  try {
    return parseModelStats(await askAboutModel(url, "ModelStatistics", model, timeoutMs));
  } catch (err) {
    return `ModelStatistics at ${url}: ${err instanceof Error ? err.message : err}`;
  }
}
