/**
 * KServe v2 over gRPC: the service's codec (`@grpc/proto-loader` over
 * {@linkcode INFERENCE_SCHEMA}, loaded on use), `ModelInferRequest`s made
 * from the same input sets as the REST bodies (each tensor's values in its
 * datatype's `contents` field, or all of them as `raw_input_contents`: FP16
 * has no typed field, so a request holding FP16 goes raw), and the reading
 * of a `ModelInferResponse`'s outputs for the shared check.
 *
 * @module
 */

import type { GrpcModules } from "../../base/deps.ts";
import { type AnswerTensor, tensorBytes } from "./body.ts";
import { ELEMENT_BYTES } from "./tensor_bytes.ts";
import { INFERENCE_SCHEMA, INFERENCE_SERVICE } from "./grpc_schema.ts";
import type { InputSet } from "./tensors.ts";

/** One method of the service as proto-loader defines it: its path and its codec. */
export interface GrpcMethod {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: object) => Uint8Array;
  requestDeserialize: (bytes: Uint8Array) => Record<string, unknown>;
  responseSerialize: (value: object) => Uint8Array;
  responseDeserialize: (bytes: Uint8Array) => Record<string, unknown>;
}

/** The service's methods by name, for grpc-js's `Server.addService` and for raw calls. */
export type InferenceService = Record<string, GrpcMethod>;

/** The loaded libraries and the service's definition. */
export interface InferenceCodec extends GrpcModules {
  service: InferenceService;
}

let codec: Promise<InferenceCodec> | null = null;

/**
 * The codec, loaded once. Decoded messages keep the schema's field names,
 * give 64-bit integers as numbers, and hold every field (empty lists and
 * strings where the message had none).
 */
export function inferenceCodec(): Promise<InferenceCodec> {
  // deps.ts loaded on use too: its static npm exports (the CSV packages) stay off run's path.
  codec ??= import("../../base/deps.ts").then((d) => d.loadGrpc()).then((m) => {
    // The descriptor is protobuf.js JSON; its TypeScript shape is wider than the INamespace type.
    const schema = INFERENCE_SCHEMA as unknown as Parameters<typeof m.protoLoader.fromJSON>[0];
    const def = m.protoLoader.fromJSON(schema, {
      keepCase: true,
      longs: Number,
      defaults: true,
      oneofs: true,
    });
    return { ...m, service: def[INFERENCE_SERVICE] as unknown as InferenceService };
  });
  return codec;
}

/** The typed `contents` field of each datatype (FP16 has none: raw only). */
const CONTENTS_FIELD: Readonly<Record<string, string>> = {
  BOOL: "bool_contents",
  INT8: "int_contents",
  INT16: "int_contents",
  INT32: "int_contents",
  INT64: "int64_contents",
  UINT8: "uint_contents",
  UINT16: "uint_contents",
  UINT32: "uint_contents",
  UINT64: "uint64_contents",
  FP32: "fp32_contents",
  FP64: "fp64_contents",
  BYTES: "bytes_contents",
};

/** The `ModelInferRequest` of one input set: typed contents, or raw (`raw`, or any FP16 input). */
export function grpcInferRequest(
  inputs: InputSet,
  target: { model: string; version: string | null; raw: boolean },
): Record<string, unknown> {
  const raw = target.raw || inputs.some((t) => !(t.datatype in CONTENTS_FIELD));
  const enc = new TextEncoder();
  return {
    model_name: target.model,
    model_version: target.version ?? "",
    inputs: inputs.map((t) => ({
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      ...(raw ? {} : {
        contents: {
          [CONTENTS_FIELD[t.datatype]!]: t.datatype === "BYTES"
            ? t.data.map((v) => enc.encode(String(v)))
            : t.data.map(Number),
        },
      }),
    })),
    ...(raw ? { raw_input_contents: inputs.map(tensorBytes) } : {}),
  };
}

/** The output tensors of a decoded `ModelInferResponse`, for `checkOutputs`. */
export function grpcAnswerTensors(response: Record<string, unknown>): AnswerTensor[] {
  const outputs = (response.outputs ?? []) as Array<Record<string, unknown>>;
  const raw = (response.raw_output_contents ?? []) as Uint8Array[];
  return outputs.map((t, i) => {
    const datatype = String(t.datatype);
    let values: number | null = null;
    if (raw.length > 0) values = rawCount(datatype, raw[i]);
    else {
      const field = CONTENTS_FIELD[datatype];
      const list = field ? (t.contents as Record<string, unknown[]> | null)?.[field] : undefined;
      values = Array.isArray(list) ? list.length : null;
    }
    return { name: String(t.name), datatype, shape: t.shape, values };
  });
}

/** Elements in a raw tensor's bytes; BYTES elements are each a 4-byte length and its bytes. */
function rawCount(datatype: string, bytes: Uint8Array | undefined): number | null {
  if (bytes === undefined) return 0;
  if (datatype !== "BYTES") {
    const size = ELEMENT_BYTES[datatype];
    return size === undefined || bytes.byteLength % size !== 0 ? null : bytes.byteLength / size;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let at = 0; at + 4 <= bytes.byteLength; n++) at += 4 + view.getUint32(at, true);
  return n;
}
