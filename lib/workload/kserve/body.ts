/**
 * KServe v2 infer requests and the check of their answers: a JSON body with
 * the tensors' data, or the binary tensor data extension (a JSON header whose
 * length `Inference-Header-Content-Length` gives, then each input's bytes,
 * little-endian, in order).
 *
 * @module
 */

import type { TensorMeta } from "./metadata.ts";
import { ELEMENT_BYTES, fp16Bits } from "./tensor_bytes.ts";
import type { InputSet, Tensor } from "./tensors.ts";

/** The JSON body of an infer request. */
export function jsonInferBody(inputs: InputSet): string {
  return JSON.stringify({
    inputs: inputs.map((t) => ({
      name: t.name,
      shape: t.shape,
      datatype: t.datatype,
      data: t.data,
    })),
  });
}

/** A tensor's data as the extension's bytes. */
export function tensorBytes(t: Tensor): Uint8Array {
  if (t.datatype === "BYTES") {
    const enc = new TextEncoder();
    const parts = t.data.map((v) => enc.encode(String(v)));
    const out = new Uint8Array(parts.reduce((a, p) => a + 4 + p.byteLength, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) {
      view.setUint32(at, p.byteLength, true);
      out.set(p, at + 4);
      at += 4 + p.byteLength;
    }
    return out;
  }
  const size = ELEMENT_BYTES[t.datatype]!;
  const out = new Uint8Array(t.data.length * size);
  const view = new DataView(out.buffer);
  t.data.forEach((raw, i) => {
    const v = Number(raw);
    const at = i * size;
    switch (t.datatype) {
      case "FP32":
        return view.setFloat32(at, v, true);
      case "FP64":
        return view.setFloat64(at, v, true);
      case "FP16":
        return view.setUint16(at, fp16Bits(v), true);
      case "INT64":
        return view.setBigInt64(at, BigInt(Math.trunc(v)), true);
      case "UINT64":
        return view.setBigUint64(at, BigInt(Math.trunc(v)), true);
      case "INT32":
        return view.setInt32(at, v, true);
      case "UINT32":
        return view.setUint32(at, v, true);
      case "INT16":
        return view.setInt16(at, v, true);
      case "UINT16":
        return view.setUint16(at, v, true);
      case "INT8":
        return view.setInt8(at, v);
      default:
        return view.setUint8(at, v);
    }
  });
  return out;
}

/**
 * The binary-extension bodies of `sets`: their JSON headers padded with
 * spaces to one length (valid JSON), so one `Inference-Header-Content-Length`
 * fits every request.
 */
export function binaryInferBodies(
  sets: InputSet[],
): { bodies: Uint8Array[]; headerLength: number } {
  const enc = new TextEncoder();
  const parts = sets.map((inputs) => {
    const data = inputs.map(tensorBytes);
    const header = JSON.stringify({
      inputs: inputs.map((t, i) => ({
        name: t.name,
        shape: t.shape,
        datatype: t.datatype,
        parameters: { binary_data_size: data[i]!.byteLength },
      })),
    });
    return { header: enc.encode(header), data };
  });
  const headerLength = Math.max(...parts.map((p) => p.header.byteLength));
  const bodies = parts.map(({ header, data }) => {
    const size = headerLength + data.reduce((a, d) => a + d.byteLength, 0);
    const body = new Uint8Array(size).fill(0x20, header.byteLength, headerLength);
    body.set(header, 0);
    let at = headerLength;
    for (const d of data) {
      body.set(d, at);
      at += d.byteLength;
    }
    return body;
  });
  return { bodies, headerLength };
}

/** An answer's output tensor as either transport read it: `values` null when it carried none. */
export interface AnswerTensor {
  name: string;
  datatype: unknown;
  shape: unknown;
  values: number | null;
}

/**
 * Checks an infer answer against the model's outputs: each present, of its
 * datatype, of a shape that fits the metadata, with as many values as the
 * shape holds. Null when it holds, else why not.
 */
export function checkInferAnswer(outputs: TensorMeta[], body: Uint8Array): string | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return "the answer is not JSON";
  }
  const got = (value as { outputs?: unknown } | null)?.outputs;
  if (!Array.isArray(got)) return "the answer has no outputs array";
  return checkOutputs(
    outputs,
    got.map((t: { name?: unknown; datatype?: unknown; shape?: unknown; data?: unknown }) => ({
      name: String(t?.name),
      datatype: t?.datatype,
      shape: t?.shape,
      values: Array.isArray(t?.data) ? (t.data as unknown[]).flat(Infinity).length : null,
    })),
  );
}

/** {@linkcode checkInferAnswer} on output tensors already read (REST JSON or gRPC). */
export function checkOutputs(outputs: TensorMeta[], got: AnswerTensor[]): string | null {
  for (const want of outputs) {
    const t = got.find((o) => o.name === want.name);
    if (!t) return `output ${want.name} is missing`;
    if (t.datatype !== want.datatype) {
      return `output ${want.name}: datatype ${t.datatype}, expected ${want.datatype}`;
    }
    const shape = t.shape as number[];
    const fits = Array.isArray(shape) && shape.length === want.shape.length &&
      want.shape.every((d, i) => d === -1 || d === shape[i]);
    if (!fits) return `output ${want.name}: shape [${shape}], expected [${want.shape}]`;
    if (t.values !== null) {
      const expected = shape.reduce((a, b) => a * b, 1);
      if (t.values !== expected) {
        return `output ${want.name}: ${t.values} values for shape [${shape}]`;
      }
    }
  }
  return null;
}
