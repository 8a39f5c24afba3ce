/**
 * HdrHistogram's V2 binary encoding of an {@linkcode HdrHistogram}, plain and
 * compressed (zlib), the form HdrHistogram's Java, C and JS libraries and its
 * interval logs use: a 40-byte big-endian header (cookie, payload length,
 * normalizing offset, significant digits, lowest and highest trackable values,
 * integer-to-double ratio), then the counts up to the largest non-zero one as
 * ZigZag LEB128 varints, a run of zeros written as its negated length.
 *
 * @example
 * ```ts
 * const h = new HdrHistogram();
 * h.record(12.5);
 * const again = decodeCompressed(encodeCompressed(h));
 * again.count; // 1
 * ```
 *
 * @module
 */

import { deflateSync, inflateSync } from "node:zlib";
import {
  COUNTS_LENGTH,
  countsIndex,
  HdrHistogram,
  HIGHEST_TRACKABLE_US,
  LOWEST_DISCERNIBLE_US,
  SIGNIFICANT_DIGITS,
} from "./hdr_histogram.ts";

const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;

/** Appends `n` (an integer, |n| < 2^53) as a ZigZag LEB128 varint. */
function putZigZag(out: number[], n: number): void {
  let z = n >= 0 ? 2 * n : -2 * n - 1;
  // 8 groups of 7 bits cover 2^56 > 2^54, so the 9-byte form never occurs here.
  while (z >= 0x80) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
}

/** Reads one ZigZag LEB128 varint at `pos`; returns the value and the next position. */
function getZigZag(bytes: Uint8Array, pos: number): [number, number] {
  let z = 0;
  let scale = 1;
  for (let k = 0; k < 9; k++) {
    const b = bytes[pos++];
    if (b === undefined) throw new RangeError("Cannot decode histogram: payload ends mid-number");
    if (k === 8) {
      z += b * scale;
      break;
    }
    z += (b & 0x7f) * scale;
    scale *= 0x80;
    if (b < 0x80) break;
  }
  return [z % 2 === 0 ? z / 2 : -(z + 1) / 2, pos];
}

/** The uncompressed V2 encoding of `h`. */
export function encode(h: HdrHistogram): Uint8Array {
  const payload: number[] = [];
  const limit = h.count === 0 ? 0 : countsIndex(h.maxUs()) + 1;
  for (let i = 0; i < limit;) {
    const c = h.counts[i++]!;
    if (c !== 0) {
      putZigZag(payload, c);
      continue;
    }
    let zeros = 1;
    while (i < limit && h.counts[i] === 0) {
      zeros++;
      i++;
    }
    putZigZag(payload, zeros > 1 ? -zeros : 0);
  }
  const bytes = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, V2_COOKIE);
  view.setInt32(4, payload.length);
  view.setInt32(8, 0);
  view.setInt32(12, SIGNIFICANT_DIGITS);
  view.setBigInt64(16, BigInt(LOWEST_DISCERNIBLE_US));
  view.setBigInt64(24, BigInt(HIGHEST_TRACKABLE_US));
  view.setFloat64(32, 1.0);
  bytes.set(payload, HEADER_BYTES);
  return bytes;
}

/** The compressed V2 encoding of `h` (zlib at the best compression, as Java's log writer uses). */
export function encodeCompressed(h: HdrHistogram): Uint8Array {
  const deflated = deflateSync(encode(h), { level: 9 });
  const bytes = new Uint8Array(8 + deflated.length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, V2_COMPRESSED_COOKIE);
  view.setInt32(4, deflated.length);
  bytes.set(deflated, 8);
  return bytes;
}

/**
 * Decodes an uncompressed V2 encoding written for this layout (3 digits, 1 µs
 * lowest, highest up to 1 hour).
 *
 * @throws {RangeError} for another cookie or layout, or a truncated payload.
 */
export function decode(bytes: Uint8Array): HdrHistogram {
  if (bytes.length < HEADER_BYTES) throw new RangeError("Cannot decode histogram: too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cookie = view.getInt32(0);
  if ((cookie & ~0xf0) !== 0x1c849303) {
    throw new RangeError(`Cannot decode histogram: cookie 0x${cookie.toString(16)} is not V2`);
  }
  const length = view.getInt32(4);
  const digits = view.getInt32(12);
  const lowest = Number(view.getBigInt64(16));
  const highest = Number(view.getBigInt64(24));
  if (digits !== SIGNIFICANT_DIGITS || lowest !== LOWEST_DISCERNIBLE_US) {
    throw new RangeError(
      `Cannot decode histogram: layout (${digits} digits, lowest ${lowest}) is not (3, 1)`,
    );
  }
  if (highest > HIGHEST_TRACKABLE_US) {
    throw new RangeError(`Cannot decode histogram: highest value ${highest} is above 1 hour`);
  }
  const h = new HdrHistogram();
  const end = HEADER_BYTES + length;
  if (end > bytes.length) throw new RangeError("Cannot decode histogram: payload is truncated");
  let pos = HEADER_BYTES;
  let i = 0;
  while (pos < end) {
    const [n, next] = getZigZag(bytes, pos);
    pos = next;
    if (n < 0) i += -n;
    else if (i < COUNTS_LENGTH) h.counts[i++] = n;
    else throw new RangeError("Cannot decode histogram: more counts than the layout holds");
  }
  h.restoreTotalsFromCounts();
  return h;
}

/** Decodes a compressed V2 encoding (see {@linkcode decode}). */
export function decodeCompressed(bytes: Uint8Array): HdrHistogram {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || (view.getInt32(0) & ~0xf0) !== 0x1c849304) {
    throw new RangeError("Cannot decode histogram: not a compressed V2 encoding");
  }
  const length = view.getInt32(4);
  return decode(new Uint8Array(inflateSync(bytes.subarray(8, 8 + length))));
}
