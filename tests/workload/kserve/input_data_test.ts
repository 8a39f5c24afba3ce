/**
 * `--input-data` in perf_analyzer's forms: JSON arrays, `content`, `b64`
 * (little-endian bytes; BYTES length-prefixed), and a directory of one raw
 * file an input; and the byte decoding each of them rests on.
 */
import assert from "node:assert/strict";
import { readInputData } from "../../../lib/workload/kserve/tensors.ts";
import { tensorBytes } from "../../../lib/workload/kserve/body.ts";
import { decodeTensorBytes } from "../../../lib/workload/kserve/tensor_bytes.ts";
import { UsageError } from "../../../lib/base/errors.ts";

const INPUTS = [
  { name: "X", datatype: "FP32", shape: [-1, 2] },
  { name: "S", datatype: "BYTES", shape: [2] },
];

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "input_data_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("decodeTensorBytes() inverts tensorBytes() for every numeric datatype", () => {
  const values: Record<string, number[]> = {
    BOOL: [0, 1],
    UINT8: [0, 255],
    INT8: [-128, 127],
    UINT16: [0, 65535],
    INT16: [-32768, 32767],
    UINT32: [0, 4294967295],
    INT32: [-5, 7],
    UINT64: [0, 2 ** 40],
    INT64: [-(2 ** 40), 3],
    FP16: [0.5, -2],
    FP32: [Math.fround(0.1), -3.5],
    FP64: [0.1, -1e300],
  };
  for (const [datatype, data] of Object.entries(values)) {
    const bytes = tensorBytes({ name: "t", datatype, shape: [2], data });
    assert.deepEqual(decodeTensorBytes(datatype, bytes), data, datatype);
  }
  assert.equal(decodeTensorBytes("FP32", new Uint8Array(3)), null);
  assert.equal(decodeTensorBytes("BYTES", new Uint8Array(4)), null);
});

Deno.test("readInputData() reads perf_analyzer's b64 entries and its directory form", async () => {
  await withDir(async (dir) => {
    const x = tensorBytes({ name: "X", datatype: "FP32", shape: [1, 2], data: [1.5, -2] });
    const s = tensorBytes({ name: "S", datatype: "BYTES", shape: [2], data: ["ab", "c"] });
    await Deno.writeTextFile(
      `${dir}/in.json`,
      JSON.stringify({ data: [{ X: { b64: b64(x) }, S: { b64: b64(s), shape: [2] } }] }),
    );
    const [set] = await readInputData(`${dir}/in.json`, INPUTS, new Map());
    assert.deepEqual(set!.map((t) => [t.shape, t.data]), [[[1, 2], [1.5, -2]], [[2], ["ab", "c"]]]);

    await Deno.mkdir(`${dir}/d`);
    await Deno.writeFile(`${dir}/d/X`, x);
    await Deno.writeTextFile(`${dir}/d/S`, "ab\nc\n");
    const fromDir = await readInputData(`${dir}/d`, INPUTS, new Map());
    assert.deepEqual(fromDir, [set]);

    await Deno.writeFile(`${dir}/d/X`, x.subarray(0, 6));
    await assert.rejects(
      readInputData(`${dir}/d`, INPUTS, new Map()),
      (e: Error) =>
        e instanceof UsageError && /file X: 6 bytes are not whole FP32 values/.test(e.message),
    );
    await Deno.writeFile(`${dir}/d/X`, x);
    await Deno.remove(`${dir}/d/S`);
    await assert.rejects(readInputData(`${dir}/d`, INPUTS, new Map()), /it has no file S/);
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      JSON.stringify({ data: [{ X: { b64: "!!" }, S: ["a", "b"] }] }),
    );
    await assert.rejects(
      readInputData(`${dir}/bad.json`, INPUTS, new Map()),
      /entry 0, X: b64 is not base64 of FP32 values/,
    );
  });
});
