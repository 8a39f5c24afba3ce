/**
 * The workload of a KServe v2 run: the model's metadata read first, request
 * tensors made from its inputs (generated or from `--input-data`), encoded
 * as JSON or with the binary tensor data extension, and the check of each
 * answer's outputs (shape and datatype).
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import type { FetchLike } from "../openai_request.ts";
import { MAX_DISTINCT_BODIES, type Workload, workloadFromBodies } from "../workload.ts";
import { binaryInferBodies, checkInferAnswer, jsonInferBody } from "./body.ts";
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
  /** The binary tensor data extension. */
  binary: boolean;
}

/** A KServe v2 run's workload and what goes with it. */
export interface KserveWorkload {
  workload: Workload;
  metadata: ModelMetadata;
  /** `POST` target. */
  inferUrl: string;
  /** The statistics extension's URL. */
  statsUrl: string;
  /** Headers every request carries (content type; the binary header's length). */
  headers: Record<string, string>;
  /** Fails a sample whose answer's outputs do not fit the metadata (`body`). */
  onBody: (sample: Sample, body: Uint8Array) => void;
  manifest: Record<string, unknown>;
}

/** Bound on the bytes of distinct bodies kept (past it, bodies repeat). */
const BODY_BUDGET = 64 << 20;

/** Reads the metadata and builds the bodies. Throws `UsageError` on bad input. */
export async function kserveWorkload(
  o: KserveOptions,
  input: { url: string; seed: number; requests: number; fetch: FetchLike },
): Promise<KserveWorkload> {
  const base = modelUrl(input.url, o.model, o.version);
  const metadata = await fetchMetadata(base, input.fetch);
  const make = (count: number): Promise<InputSet[]> | InputSet[] =>
    o.inputData !== null
      ? readInputData(o.inputData, metadata.inputs, o.shapes)
      : generateInputs(metadata.inputs, {
        shapes: o.shapes,
        zero: o.zero,
        seed: input.seed,
        count,
      });
  const encode = (sets: InputSet[]) =>
    o.binary
      ? binaryInferBodies(sets)
      : { bodies: sets.map((s) => new TextEncoder().encode(jsonInferBody(s))), headerLength: null };
  let sets = await make(1);
  const one = encode(sets).bodies[0]!.byteLength;
  const count = Math.max(
    1,
    Math.min(input.requests, MAX_DISTINCT_BODIES, Math.floor(BODY_BUDGET / Math.max(1, one))),
  );
  if (o.inputData === null && count > 1) sets = await make(count);
  const { bodies, headerLength } = encode(sets);
  const headers: Record<string, string> = headerLength === null
    ? { "content-type": "application/json" }
    : {
      "content-type": "application/octet-stream",
      "inference-header-content-length": String(headerLength),
    };
  const onBody = (sample: Sample, body: Uint8Array): void => {
    const wrong = checkInferAnswer(metadata.outputs, body);
    if (wrong === null) return;
    sample.ok = false;
    sample.error = "body";
    sample.errorDetail = wrong;
  };
  return {
    workload: await workloadFromBodies(bodies as Uint8Array<ArrayBuffer>[], input.seed),
    metadata,
    inferUrl: `${base}/infer`,
    statsUrl: `${base}/stats`,
    headers,
    onBody,
    manifest: {
      api: "kserve-v2",
      model: o.model,
      ...(o.version === null ? {} : { model_version: o.version }),
      inputs: sets[0]!.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
      input_data: o.inputData ?? (o.zero ? "zero" : "random"),
      binary_data: o.binary,
      distinct_bodies: bodies.length,
    },
  };
}
