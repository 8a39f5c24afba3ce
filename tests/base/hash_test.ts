import assert from "node:assert/strict";
import { DigestMemo, sha256Hex, sha256HexSync, toHex } from "../../lib/base/hash.ts";
import { mulberry32 } from "../../lib/stats/random.ts";

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
  const sizes = [...Array.from({ length: 200 }, (_, i) => i), 1000, 70_000];
  for (const size of sizes) {
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

Deno.test("sha256HexSync() matches the long FIPS vector and node:crypto across calls", async () => {
  const { createHash } = await import("node:crypto");
  assert.equal(
    sha256HexSync("a".repeat(1_000_000)),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
  assert.equal(
    sha256HexSync("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  // One set of buffers is reused: a long input then a short one must not leak into each other.
  const rand = mulberry32(9);
  for (let i = 0; i < 50; i++) {
    const bytes = Uint8Array.from({ length: Math.floor(rand() * 300) }, () => rand() * 256);
    assert.equal(sha256HexSync(bytes), createHash("sha256").update(bytes).digest("hex"));
  }
});

Deno.test("DigestMemo.of() gives sha256HexSync() of every body, repeated, changed in place or long", () => {
  const memo = new DigestMemo();
  const body = new TextEncoder().encode('{"output":"benchmark answer","tokens":2}');
  const long = new Uint8Array(20_000).fill(7);
  const seen: Uint8Array[] = [];
  const ask = (bytes: Uint8Array) => {
    seen.push(bytes.slice());
    assert.equal(memo.of(bytes), sha256HexSync(bytes));
  };
  ask(body);
  ask(body); // the same bytes: from the memo
  body[5] = body[5]! ^ 1; // the same buffer, one byte changed in place: hashed again
  ask(body);
  ask(body.subarray(0, body.length - 1)); // one byte shorter
  ask(new Uint8Array(0));
  ask(new Uint8Array(0));
  ask(long);
  long[19_999] = 8; // past the length the memo keeps: always hashed
  ask(long);
  ask(body);
  assert.equal(new Set(seen.map((b) => sha256HexSync(b))).size, 6);
});
