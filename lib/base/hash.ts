/**
 * SHA-256 digests as lowercase hex, the form the CSV log stores.
 *
 * SHA-256 (FIPS 180-4) in plain TypeScript, synchronous, on one set of
 * preallocated buffers: the runner hashes every response body, where
 * `crypto.subtle.digest` costs an async op per call; and `node:crypto` would
 * load Deno's Node compatibility layer, several MB of resident memory, into
 * every run (docs/benchmarks.md, memory). The price is speed on longer bodies:
 * `deno bench tests/bench/hot_bench.ts` (2 shared vCPU, 2026-12-01) gave 0.7 µs
 * for a 40-byte body against `createHash`'s 0.9, and 3.0 µs for 400 bytes
 * against 1.2 (about 0.4 µs a further 64-byte block): noise beside a network
 * round trip at the rates such bodies come at.
 * tests/base/hash_test.ts checks it against `node:crypto` on the standard vectors
 * and on every length across the block boundaries.
 *
 * @module
 */

const K = Int32Array.from([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

const INITIAL = Int32Array.from([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

const W = new Int32Array(64);
const H = new Int32Array(8);
/** The last one or two blocks, with the padding and the length. */
const TAIL = new Uint8Array(128);
const encoder = new TextEncoder();
const DIGITS = new TextEncoder().encode("0123456789abcdef");
const OUT = new Uint8Array(64);
const HEX_DECODER = new TextDecoder();

/** Mixes the 64-byte block of `bytes` at `at` into {@linkcode H}. */
function block(bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const j = at + i * 4;
    W[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

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
  return digestHex(data);
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

/** The digest of `data` (a string as UTF-8), in hex. */
function digestHex(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  H.set(INITIAL);
  const n = bytes.length;
  const whole = n - (n % 64);
  for (let at = 0; at < whole; at += 64) block(bytes, at);
  const rest = n - whole;
  TAIL.fill(0);
  for (let i = 0; i < rest; i++) TAIL[i] = bytes[whole + i]!; // no view object a call
  TAIL[rest] = 0x80;
  const tail = rest < 56 ? 64 : 128;
  // The length in bits, big-endian, in the last 8 bytes (exact up to 2^53 bits).
  const bits = n * 8;
  const high = Math.floor(bits / 0x1_0000_0000);
  for (let i = 0; i < 4; i++) {
    TAIL[tail - 8 + i] = (high >>> (24 - i * 8)) & 0xff;
    TAIL[tail - 4 + i] = (bits >>> (24 - i * 8)) & 0xff;
  }
  block(TAIL, 0);
  if (tail === 128) block(TAIL, 64);
  // The 64 hex digits as bytes, then one string: concatenating pieces allocated ~10 times more,
  // and String.fromCharCode.apply() copies its 64 arguments into an array first (610 bytes a
  // digest against 80 for the decoder's string alone).
  for (let i = 0; i < 64; i++) OUT[i] = DIGITS[(H[i >>> 3]! >>> (28 - (i & 7) * 4)) & 0xf]!;
  return HEX_DECODER.decode(OUT);
}

/** Longest body {@linkcode DigestMemo} keeps a copy of, bytes. */
const MEMO_MAX = 16 * 1024;

/**
 * SHA-256 hex of bodies that often repeat: the digest of the last body is
 * kept with a copy of its bytes, and a body equal to it byte for byte gets
 * the same digest without hashing (a load test's answers are often all the
 * same: comparing 40 bytes costs a fraction of hashing them, and no new
 * string is made). Exact: a body that differs in any byte, or in length, is
 * hashed.
 *
 * @example
 * ```ts
 * const memo = new DigestMemo();
 * memo.of(body) === sha256HexSync(body); // true, whatever the body
 * ```
 */
export class DigestMemo {
  #kept = new Uint8Array(64);
  /** Length of the kept body; -1 when none is kept. */
  #length = -1;
  #hex = "";

  /** {@linkcode sha256HexSync} of `bytes`. */
  of(bytes: Uint8Array): string {
    const n = bytes.length;
    if (n === this.#length) {
      const kept = this.#kept;
      let k = 0;
      while (k < n && kept[k] === bytes[k]) k++;
      if (k === n) return this.#hex;
    }
    const hex = digestHex(bytes);
    if (n > MEMO_MAX) {
      this.#length = -1;
      return hex;
    }
    if (this.#kept.length < n) this.#kept = new Uint8Array(Math.max(n, this.#kept.length * 2));
    const kept = this.#kept;
    for (let k = 0; k < n; k++) kept[k] = bytes[k]!;
    this.#length = n;
    this.#hex = hex;
    return hex;
  }
}
