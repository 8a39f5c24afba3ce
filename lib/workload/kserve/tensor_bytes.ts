/**
 * Tensor values as little-endian bytes, the form of the binary tensor data
 * extension, gRPC's `raw_input_contents`, and perf_analyzer's `b64` and
 * directory inputs: each datatype's element size, and the decoding of such
 * bytes back to values.
 *
 * @module
 */

/** Bytes of one element of each numeric datatype (BYTES is not numeric). */
export const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

/**
 * The numbers of a numeric tensor's little-endian bytes (the inverse of {@linkcode tensorBytes});
 * null when the datatype is not numeric or the bytes are not whole elements. FP16 is widened.
 */
export function decodeTensorBytes(datatype: string, bytes: Uint8Array): number[] | null {
  const size = ELEMENT_BYTES[datatype];
  if (size === undefined || bytes.byteLength % size !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read: Record<string, (at: number) => number> = {
    BOOL: (at) => view.getUint8(at),
    UINT8: (at) => view.getUint8(at),
    INT8: (at) => view.getInt8(at),
    UINT16: (at) => view.getUint16(at, true),
    INT16: (at) => view.getInt16(at, true),
    FP16: (at) => fp16Value(view.getUint16(at, true)),
    UINT32: (at) => view.getUint32(at, true),
    INT32: (at) => view.getInt32(at, true),
    FP32: (at) => view.getFloat32(at, true),
    UINT64: (at) => Number(view.getBigUint64(at, true)),
    INT64: (at) => Number(view.getBigInt64(at, true)),
    FP64: (at) => view.getFloat64(at, true),
  };
  const get = read[datatype]!;
  const out: number[] = new Array(bytes.byteLength / size);
  for (let i = 0; i < out.length; i++) out[i] = get(i * size);
  return out;
}

/** The BYTES elements of the serialized form (each a 4-byte little-endian length, then its bytes). */
export function decodeBytesElements(bytes: Uint8Array): string[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  const out: string[] = [];
  for (let at = 0; at < bytes.byteLength;) {
    if (at + 4 > bytes.byteLength) return null;
    const n = view.getUint32(at, true);
    if (at + 4 + n > bytes.byteLength) return null;
    out.push(dec.decode(bytes.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  return out;
}

function fp16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** IEEE half precision bits of `v` (rounded toward zero; enough for test data). */
export function fp16Bits(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.max(-14, Math.min(15, Math.floor(Math.log2(a))));
  const m = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | (Math.max(0, Math.min(1023, m)));
}
