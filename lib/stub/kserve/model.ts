/**
 * The stub's Open Inference Protocol (KServe v2) model: its metadata, the
 * reading of an infer request's tensors (JSON data, or the binary tensor data
 * extension), and its outputs, a pure function of the inputs.
 *
 * The model `m` (version `1`) takes `INPUT0` FP32 `[-1, 16]` and `INPUT1`
 * INT32 `[-1, 4]` (the first dimension is the batch) and answers `OUTPUT0`
 * FP32 `[rows, 16]` = 2 x INPUT0 and `OUTPUT1` INT32 `[rows, 1]` = the sum of
 * each INPUT1 row.
 *
 * @module
 */

import type { ModelMetadata, TensorMeta } from "../../workload/kserve/metadata.ts";
import { decodeTensorBytes } from "../../workload/kserve/tensor_bytes.ts";

/** The stub's model. */
export const STUB_V2_MODEL: ModelMetadata & { versions: string[] } = {
  name: "m",
  versions: ["1"],
  platform: "loadgate_stub",
  inputs: [
    { name: "INPUT0", datatype: "FP32", shape: [-1, 16] },
    { name: "INPUT1", datatype: "INT32", shape: [-1, 4] },
  ],
  outputs: [
    { name: "OUTPUT0", datatype: "FP32", shape: [-1, 16] },
    { name: "OUTPUT1", datatype: "INT32", shape: [-1, 1] },
  ],
};

/** An input tensor as read from a request: its values flattened in row-major order. */
export interface ReadTensor extends TensorMeta {
  data: number[];
}

/** A request's inputs, or why they are not acceptable (a 400's message). */
export type ReadInputs = { id?: string; inputs: Map<string, ReadTensor> } | { error: string };

/**
 * Reads an infer request's body. With `headerLength` (the
 * `Inference-Header-Content-Length` header) the first bytes are the JSON and
 * the rest the inputs' binary data, in order, each `binary_data_size` long.
 */
export function readInferRequest(body: Uint8Array, headerLength: number | null): ReadInputs {
  const jsonBytes = headerLength === null ? body : body.subarray(0, headerLength);
  if (headerLength !== null && (headerLength < 0 || headerLength > body.byteLength)) {
    return { error: "Inference-Header-Content-Length is beyond the body" };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(jsonBytes));
  } catch {
    return { error: "the request is not JSON" };
  }
  const inputs = (value as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs)) return { error: "the request has no inputs array" };
  const read = new Map<string, ReadTensor>();
  let at = headerLength ?? 0;
  for (const raw of inputs) {
    const t = raw as { name?: unknown; datatype?: unknown; shape?: unknown; data?: unknown };
    const params = (raw as { parameters?: { binary_data_size?: unknown } }).parameters;
    if (typeof t.name !== "string" || typeof t.datatype !== "string" || !isShape(t.shape)) {
      return { error: "an input lacks name, datatype or shape" };
    }
    const size = params?.binary_data_size;
    let data: number[] | null;
    if (typeof size === "number") {
      if (at + size > body.byteLength) return { error: `input ${t.name}: binary data cut short` };
      data = decodeBinary(t.datatype, body.subarray(at, at + size));
      at += size;
    } else data = Array.isArray(t.data) ? flatNumbers(t.data) : null;
    if (data === null) return { error: `input ${t.name}: data is not numbers of ${t.datatype}` };
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (data.length !== elements) {
      return { error: `input ${t.name}: ${data.length} values for shape [${t.shape}]` };
    }
    read.set(t.name, { name: t.name, datatype: t.datatype, shape: t.shape, data });
  }
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" ? { id, inputs: read } : { inputs: read };
}

function isShape(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0);
}

function flatNumbers(data: unknown[]): number[] | null {
  const out: number[] = [];
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.every(walk);
    if (typeof v === "number") out.push(v);
    else if (typeof v === "boolean") out.push(v ? 1 : 0);
    else return false;
    return true;
  };
  return walk(data) ? out : null;
}

/** Numbers of a raw tensor (little-endian), or null for a datatype that is not numeric. */
export const decodeBinary = decodeTensorBytes;

/** Checks the inputs against the model's metadata; null when they fit, else why not. */
export function checkInputs(model: ModelMetadata, inputs: Map<string, ReadTensor>): string | null {
  let rows: number | null = null;
  for (const want of model.inputs) {
    const got = inputs.get(want.name);
    if (!got) return `input ${want.name} is missing`;
    if (got.datatype !== want.datatype) {
      return `input ${want.name}: datatype ${got.datatype}, expected ${want.datatype}`;
    }
    const fits = got.shape.length === want.shape.length &&
      want.shape.every((d, i) => d === -1 || d === got.shape[i]);
    if (!fits) return `input ${want.name}: shape [${got.shape}], expected [${want.shape}]`;
    if (rows !== null && got.shape[0] !== rows) return "inputs differ in their batch size";
    rows = got.shape[0]!;
  }
  for (const name of inputs.keys()) {
    if (!model.inputs.some((t) => t.name === name)) return `unexpected input ${name}`;
  }
  return null;
}

/** The stub model's outputs for checked inputs: a pure function of them. */
export function stubOutputs(inputs: Map<string, ReadTensor>): ReadTensor[] {
  const in0 = inputs.get("INPUT0")!;
  const in1 = inputs.get("INPUT1")!;
  const rows = in1.shape[0]!;
  const sums: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < 4; c++) s = (s + in1.data[r * 4 + c]!) | 0;
    sums.push(s);
  }
  return [
    {
      name: "OUTPUT0",
      datatype: "FP32",
      shape: [in0.shape[0]!, 16],
      data: in0.data.map((v) => Math.fround(v * 2)),
    },
    { name: "OUTPUT1", datatype: "INT32", shape: [rows, 1], data: sums },
  ];
}
