/**
 * Issue 12, item 10: a stub host that is no host is a usage error (one line,
 * exit 2); a log with a UTF-8 byte order mark is read; a refused --body or
 * --dataset leaves no empty --out folder behind. (Host and
 * Transfer-Encoding headers: header_fields_test.ts.)
 */
import assert from "node:assert/strict";
import { isHostname } from "../../lib/base/http_fields.ts";
import { CsvLogWriter, readLog } from "../../lib/log/csv/log.ts";
import { makeSample } from "../_helpers.ts";
import { mainCaptured } from "../_main_captured.ts";

Deno.test("isHostname() takes addresses and DNS names, refuses empty labels", () => {
  for (const ok of ["127.0.0.1", "localhost", "a-b.example", "::1", "[::1]", "0.0.0.0"]) {
    assert.equal(isHostname(ok), true, ok);
  }
  for (const bad of ["not..a..host", "", "-x", "a b", "x_.y", ".a"]) {
    assert.equal(isHostname(bad), false, bad);
  }
});

Deno.test("stub --host=not..a..host: one line on stderr, exit 2, no stack trace (real process)", async () => {
  const r = await mainCaptured(["stub", "--host=not..a..host"]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^loadgate stub: Cannot parse --host/);
});

Deno.test("a log that starts with a UTF-8 byte order mark is read like one without", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_bom_" });
  try {
    const w = CsvLogWriter.create(`${dir}/plain.csv`);
    for (let i = 0; i < 3; i++) w.write(makeSample({ requestId: i }));
    w.close();
    const text = await Deno.readTextFile(`${dir}/plain.csv`);
    await Deno.writeTextFile(`${dir}/bom.csv`, "\ufeff" + text);
    assert.deepEqual(await readLog(`${dir}/bom.csv`), await readLog(`${dir}/plain.csv`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a refused --body or --dataset leaves no --out folder behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_noout_" });
  try {
    await Deno.writeTextFile(`${dir}/bad.jsonl`, "{oops\n");
    const url = "http://127.0.0.1:9/v1/infer";
    for (
      const extra of [["--body", '{"inputs": oops}'], ["--dataset", `${dir}/bad.jsonl`]]
    ) {
      const r = await mainCaptured(["run", "--url", url, "--out", `${dir}/new/out`, ...extra]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(await Deno.stat(`${dir}/new`).then(() => true, () => false), false, extra[0]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
