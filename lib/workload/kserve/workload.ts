/**
 * The workload of a KServe v2 run: the model's metadata read first, request
 * tensors made from its inputs (generated or from `--input-data`), encoded
 * as JSON or with the binary tensor data extension (REST), or as
 * `ModelInferRequest` messages (gRPC, `grpc_body.ts`), and the check of each
 * answer's outputs (shape and datatype).
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import type { FetchLike } from "../openai_request.ts";
import { MAX_DISTINCT_BODIES, type Workload, workloadFromBodies } from "../workload.ts";
import { binaryInferBodies, checkInferAnswer, checkOutputs, jsonInferBody } from "./body.ts";
import { grpcAnswerTensors, grpcInferRequest, inferenceCodec } from "./grpc_body.ts";
import { fetchMetadata, type ModelMetadata, modelUrl } from "./metadata.ts";
import { generateInputs, type InputSet, readInputData } from "./tensors.ts";

/** What a KServe v2 run is told. */
export interface KserveOptions {
  model: string;
  /** `--model-version`, or null for the server's choice. */
  version: string | null;
  /** `--shape NAME:D1,D2,...` overrides. */
  shapes: Map<string, number[]>;
  /** `--input-data FILE`, or null for generated data. */
  inputData: string | null;
  /** Zeros instead of seeded random data. */
  zero: boolean;
  /** The binary tensor data extension (REST); `raw_input_contents` (gRPC). */
  binary: boolean;
  /** `--api kserve-v2-grpc`: the GRPCInferenceService, not the REST routes. */
  grpc: boolean;
}

/** A KServe v2 run's workload and what goes with it. */
export interface KserveWorkload {
  workload: Workload;
  metadata: ModelMetadata;
  /** The model asked for, and over which transport (the statistics are read the same way). */
  model: { name: string; version: string | null; grpc: boolean };
  /** `POST` target (REST); the server's `grpc://` URL (gRPC). */
  inferUrl: string;
  /** The statistics extension's URL (REST; gRPC asks `ModelStatistics`). */
  statsUrl: string;
  /** Headers every request carries (content type; the binary header's length). */
  headers: Record<string, string>;
  /** Fails a sample whose answer's outputs do not fit the metadata (`body`). */
  onBody: (sample: Sample, body: Uint8Array) => void;
  manifest: Record<string, unknown>;
}

/** Bound on the bytes of distinct bodies kept (past it, bodies repeat). */
const BODY_BUDGET = 64 << 20;

/** How a run reaches the server before its phase: REST's fetch, or gRPC's `ModelMetadata`. */
export interface KserveInput {
  url: string;
  seed: number;
  requests: number;
  fetch: FetchLike;
  /** gRPC: reads the model's metadata (`ModelMetadata`), injected by the layer that calls. */
  grpcMetadata?: () => Promise<ModelMetadata>;
}

/** Reads the metadata and builds the bodies. Throws `UsageError` on bad input. */
export async function kserveWorkload(
  o: KserveOptions,
  input: KserveInput,
): Promise<KserveWorkload> {
  const base = o.grpc ? input.url : modelUrl(input.url, o.model, o.version);
  const metadata = o.grpc ? await input.grpcMetadata!() : await fetchMetadata(base, input.fetch);
  const make = (count: number): Promise<InputSet[]> | InputSet[] =>
    o.inputData !== null
      ? readInputData(o.inputData, metadata.inputs, o.shapes)
      : generateInputs(metadata.inputs, {
        shapes: o.shapes,
        zero: o.zero,
        seed: input.seed,
        count,
      });
  const encode = await kserveEncoder(o, metadata);
  let sets = await make(1);
  const one = encode(sets).bodies[0]!.byteLength;
  const count = Math.max(
    1,
    Math.min(input.requests, MAX_DISTINCT_BODIES, Math.floor(BODY_BUDGET / Math.max(1, one))),
  );
  if (o.inputData === null && count > 1) sets = await make(count);
  const { bodies, headerLength, check } = encode(sets);
  const headers: Record<string, string> = o.grpc
    ? {}
    : headerLength === null
    ? { "content-type": "application/json" }
    : {
      "content-type": "application/octet-stream",
      "inference-header-content-length": String(headerLength),
    };
  const onBody = failingMisfits(check);
  return {
    workload: await workloadFromBodies(bodies as Uint8Array<ArrayBuffer>[], input.seed),
    metadata,
    model: { name: o.model, version: o.version, grpc: o.grpc },
    inferUrl: o.grpc ? base : `${base}/infer`,
    statsUrl: o.grpc ? base : `${base}/stats`,
    headers,
    onBody,
    manifest: {
      api: o.grpc ? "kserve-v2-grpc" : "kserve-v2",
      model: o.model,
      ...(o.version === null ? {} : { model_version: o.version }),
      inputs: sets[0]!.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
      input_data: o.inputData ?? (o.zero ? "zero" : "random"),
      [o.grpc ? "raw_input_contents" : "binary_data"]: o.binary,
      distinct_bodies: bodies.length,
    },
  };
}

/** The `onBody` hook of a check: a sample whose answer does not fit fails as `body`, saying why. */
export function failingMisfits(
  check: (body: Uint8Array) => string | null,
): (sample: Sample, body: Uint8Array) => void {
  return (sample, body) => {
    const wrong = check(body);
    if (wrong === null) return;
    sample.ok = false;
    sample.error = "body";
    sample.errorDetail = wrong;
  };
}

/** Encodes input sets as the transport sends them, with the check of an answer's body. */
export async function kserveEncoder(
  o: Pick<KserveOptions, "grpc" | "binary" | "model" | "version">,
  metadata: ModelMetadata,
): Promise<
  (sets: InputSet[]) => {
    bodies: Uint8Array[];
    headerLength: number | null;
    check: (body: Uint8Array) => string | null;
  }
> {
  if (!o.grpc) {
    const check = (body: Uint8Array) => checkInferAnswer(metadata.outputs, body);
    return (sets) => ({
      ...(o.binary ? binaryInferBodies(sets) : {
        bodies: sets.map((s) => new TextEncoder().encode(jsonInferBody(s))),
        headerLength: null,
      }),
      check,
    });
  }
  const infer = (await inferenceCodec()).service.ModelInfer!;
  const target = { model: o.model, version: o.version, raw: o.binary };
  const check = (body: Uint8Array): string | null => {
    let answer: Record<string, unknown>;
    try {
      answer = infer.responseDeserialize(body);
    } catch {
      return "the answer is not a ModelInferResponse";
    }
    return checkOutputs(metadata.outputs, grpcAnswerTensors(answer));
  };
  return (sets) => ({
    // A copy: protobuf.js may hand back a view of a shared pool.
    bodies: sets.map((s) => new Uint8Array(infer.requestSerialize(grpcInferRequest(s, target)))),
    headerLength: null,
    check,
  });
}
