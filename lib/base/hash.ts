/**
 * SHA-256 digests as lowercase hex, the form the CSV log stores.
 *
 * The digest is computed with `node:crypto`, synchronously: for the small
 * bodies of one request it costs under a microsecond, where
 * `crypto.subtle.digest` costs several (an async op per call), and the runner
 * hashes every response body (see `tests/bench/hot_bench.ts`).
 *
 * @module
 */

import { createHash } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex of a byte array. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

/**
 * SHA-256 of bytes or of a string's UTF-8 encoding, as 64 hex characters.
 *
 * @example
 * ```ts
 * sha256HexSync("abc"); // "ba7816bf..."
 * ```
 */
export function sha256HexSync(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * SHA-256 of bytes or of a string's UTF-8 encoding, as 64 hex characters.
 * The same as {@linkcode sha256HexSync}, behind a promise.
 *
 * @example
 * ```ts
 * await sha256Hex("abc"); // "ba7816bf..."
 * ```
 */
export function sha256Hex(data: Uint8Array | string): Promise<string> {
  return Promise.resolve(sha256HexSync(data));
}
