/**
 * Input tensors for a KServe v2 model, as perf_analyzer makes them: shapes
 * from the metadata with dynamic dimensions given by `--shape NAME:d1,d2`
 * (a leading `-1`, the batch, is 1 unless given), data seeded random or
 * zeros, or tensors read from `--input-data` (perf_analyzer's JSON file
 * `{"data": [{"NAME": [...] | {"content": [...], "shape": [...]} | {"b64": "..."}}, ...]}`, or
 * its directory of one raw file an input).
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { mulberry32 } from "../../stats/random.ts";
import { decodeBytesElements, decodeTensorBytes } from "./tensor_bytes.ts";
import type { TensorMeta } from "./metadata.ts";

/** A tensor to send: its values flattened in row-major order (strings for BYTES). */
export interface Tensor extends TensorMeta {
  data: (number | string)[];
}

/** One request's inputs. */
export type InputSet = Tensor[];

/** Parses `--shape NAME:1,3,224,224` values into a map. Throws {@linkcode UsageError}. */
export function parseShapes(values: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const v of values) {
    const m = /^([^:]+):(\d+(?:,\d+)*)$/.exec(v.trim());
    if (!m) throw new UsageError(`Cannot parse --shape: "${v}" is not NAME:D1,D2,...`);
    out.set(m[1]!, m[2]!.split(",").map(Number));
  }
  return out;
}

/** The concrete shape of `input`: the metadata's, its dynamic dimensions filled. */
export function concreteShape(input: TensorMeta, shapes: Map<string, number[]>): number[] {
  const given = shapes.get(input.name);
  if (given) {
    const fits = given.length === input.shape.length &&
      input.shape.every((d, i) => d === -1 || d === given[i]);
    if (!fits) {
      throw new UsageError(
        `Cannot use --shape ${input.name}:${given}: the model's shape is [${input.shape}]`,
      );
    }
    return given;
  }
  const shape = input.shape.map((d, i) => (d === -1 && i === 0 ? 1 : d));
  if (shape.includes(-1)) {
    throw new UsageError(
      `Cannot make input ${input.name}: its shape [${input.shape}] has a dynamic dimension; ` +
        `give --shape ${input.name}:D1,D2,...`,
    );
  }
  return shape;
}

/** How generated data is drawn. */
export interface DataOptions {
  shapes: Map<string, number[]>;
  /** Zeros (perf_analyzer's --zero-input), else seeded random values. */
  zero: boolean;
  seed: number;
  /** Distinct input sets to make. */
  count: number;
}

/** `count` input sets drawn from `seed` (or zeros: one set, since all would be equal). */
export function generateInputs(inputs: TensorMeta[], o: DataOptions): InputSet[] {
  const rand = mulberry32(o.seed);
  const shapes = inputs.map((t) => concreteShape(t, o.shapes));
  const sets: InputSet[] = [];
  for (let k = 0; k < (o.zero ? 1 : o.count); k++) {
    sets.push(inputs.map((t, i) => {
      const shape = shapes[i]!;
      const n = shape.reduce((a, b) => a * b, 1);
      const data: (number | string)[] = new Array(n);
      for (let j = 0; j < n; j++) data[j] = o.zero ? zeroOf(t.datatype) : draw(t.datatype, rand);
      return { ...t, shape, data };
    }));
  }
  return sets;
}

function zeroOf(datatype: string): number | string {
  return datatype === "BYTES" ? "" : 0;
}

function draw(datatype: string, rand: () => number): number | string {
  if (datatype === "BYTES") return Math.floor(rand() * 1e9).toString(36);
  if (datatype === "BOOL") return rand() < 0.5 ? 0 : 1;
  if (datatype.startsWith("FP")) return Math.fround(rand());
  if (datatype.startsWith("UINT")) return Math.floor(rand() * 256);
  return Math.floor(rand() * 256) - 128;
}

/**
 * Reads `--input-data PATH`, as perf_analyzer reads it: a JSON file (one input set per `data`
 * entry; each input's values as an array, `{"content": [...], "shape"?: [...]}`, or
 * `{"b64": "...", "shape"?: [...]}`: base64 of its little-endian bytes, BYTES in the serialized
 * form of a 4-byte length before each element), or a directory holding a file named after each
 * input (its raw little-endian bytes; for BYTES, one element a line): one input set.
 */
export async function readInputData(
  path: string,
  inputs: TensorMeta[],
  shapes: Map<string, number[]>,
): Promise<InputSet[]> {
  const fail = (why: string): never => {
    throw new UsageError(`Cannot read --input-data "${path}": ${why}`);
  };
  const message = (err: unknown) =>
    err instanceof Error ? err.message.split("\n")[0]! : String(err);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (err) {
    return fail(message(err));
  }
  if (info.isDirectory) return [await readInputDir(path, inputs, shapes, fail)];
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    return fail(message(err));
  }
  const data = (value as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) return fail('it has no "data" array of entries');
  return data.map((entry: Record<string, unknown>, k) =>
    inputs.map((t) => {
      const given = entry?.[t.name] as unknown;
      if (given === undefined) return fail(`entry ${k} lacks input ${t.name}`);
      const where = `entry ${k}, ${t.name}`;
      const own = Array.isArray(given) ? undefined : (given as { shape?: unknown })?.shape;
      const b64 = Array.isArray(given) ? undefined : (given as { b64?: unknown })?.b64;
      const content = Array.isArray(given)
        ? given
        : typeof b64 === "string"
        ? fromB64(t.datatype, b64) ?? fail(`${where}: b64 is not base64 of ${t.datatype} values`)
        : (given as { content?: unknown })?.content;
      if (!Array.isArray(content)) return fail(`${where}: no content array (or b64)`);
      const shape = Array.isArray(own) ? own.map(Number) : concreteShape(t, shapes);
      return sized(
        t,
        shape,
        (content as unknown[]).flat(Infinity) as (number | string)[],
        where,
        fail,
      );
    })
  );
}

/** A tensor of `data` in `shape`, or `fail` when the counts differ. */
function sized(
  t: TensorMeta,
  shape: number[],
  data: (number | string)[],
  where: string,
  fail: (why: string) => never,
): Tensor {
  if (data.length !== shape.reduce((a, b) => a * b, 1)) {
    return fail(`${where}: ${data.length} values for shape [${shape}]`);
  }
  return { ...t, shape, data };
}

function fromB64(datatype: string, text: string): (number | string)[] | null {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  return datatype === "BYTES" ? decodeBytesElements(bytes) : decodeTensorBytes(datatype, bytes);
}

/** perf_analyzer's directory form: a file named after each input, one input set. */
async function readInputDir(
  dir: string,
  inputs: TensorMeta[],
  shapes: Map<string, number[]>,
  fail: (why: string) => never,
): Promise<InputSet> {
  const set: InputSet = [];
  for (const t of inputs) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${dir}/${t.name}`);
    } catch {
      return fail(`it has no file ${t.name} (one file an input, named after it)`);
    }
    const data = t.datatype === "BYTES"
      ? new TextDecoder().decode(bytes).replace(/\n$/, "").split("\n")
      : decodeTensorBytes(t.datatype, bytes) ??
        fail(`file ${t.name}: ${bytes.byteLength} bytes are not whole ${t.datatype} values`);
    set.push(sized(t, concreteShape(t, shapes), data, `file ${t.name}`, fail));
  }
  return set;
}
