import assert from "node:assert/strict";
import { sha256Hex, sha256HexSync, toHex } from "../lib/base/hash.ts";
import { mulberry32 } from "../lib/stats/random.ts";

Deno.test("sha256Hex() matches the FIPS 180-2 test vectors", async () => {
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    sha256HexSync(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("sha256HexSync() agrees with crypto.subtle on bytes and UTF-8 text", async () => {
  const rand = mulberry32(4);
  for (const size of [1, 55, 56, 64, 1000, 70_000]) {
    const bytes = Uint8Array.from({ length: size }, () => Math.floor(rand() * 256));
    const subtle = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
    assert.equal(sha256HexSync(bytes), subtle, `${size} bytes`);
  }
  const text = "naïve café ✓";
  const subtle = toHex(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
  );
  assert.equal(sha256HexSync(text), subtle);
});
