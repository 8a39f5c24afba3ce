/**
 * Issue 12, item 4 (and the `Host`/`Transfer-Encoding` part of item 10):
 * header names and values are checked when the flags are parsed; a bad one is
 * one line and exit 2, and an earlier run's files stay as they were.
 */
import assert from "node:assert/strict";
import { parseHeaderFlag } from "../../lib/base/http_fields.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { mainCaptured } from "../_main_captured.ts";

Deno.test("parseHeaderFlag() accepts RFC 9110 tokens and field values, lower-cases the name", () => {
  assert.deepEqual(parseHeaderFlag("X-Api-Key:  a b\tc "), ["x-api-key", "a b\tc"]);
  assert.deepEqual(parseHeaderFlag("Authorization: Bearer x:y"), ["authorization", "Bearer x:y"]);
  assert.deepEqual(parseHeaderFlag("X-Empty:"), ["x-empty", ""]);
});

Deno.test("parseHeaderFlag() refuses bad names, control characters and client-owned headers", () => {
  for (
    const bad of [
      "Bad Name: v",
      "X(y): v",
      "X: a\r\nInjected: b",
      "X: a\nb",
      "X: a\u0000",
      "X: \u65e5",
      "Host: other",
      "Transfer-Encoding: chunked",
      "Content-Length: 3",
      "Connection: close",
      "no colon",
    ]
  ) {
    assert.throws(() => parseHeaderFlag(bad), UsageError, JSON.stringify(bad));
  }
});

Deno.test("a bad -H on either engine: one line, exit 2, and an earlier run.csv is left as it was", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_hdr_" });
  try {
    const keep = "phase,request_id\nkept,0\n";
    await Deno.writeTextFile(`${dir}/run.csv`, keep);
    for (const engine of ["h1", "fetch"]) {
      for (const h of ["Bad Name: v", "X: a\r\nInjected: b"]) {
        const r = await mainCaptured([
          "run",
          "--url",
          "http://127.0.0.1:9/v1/infer",
          "--engine",
          engine,
          "-H",
          h,
          "--out",
          dir,
        ]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
        assert.match(r.stderr, /^loadgate: Cannot parse --header/);
        assert.equal(await Deno.readTextFile(`${dir}/run.csv`), keep);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
