import assert from "node:assert/strict";
import { datasetWorkload, parseDataset, readDataset } from "../../lib/workload/dataset.ts";
import { UsageError } from "../../lib/base/errors.ts";

const TEXT = ['{"prompt":"a"}', "", '{"prompt":"b"}\r', '{"prompt":"c"}', ""].join("\n");
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("parseDataset() keeps one body a JSON line, skipping blank lines", () => {
  const lines = parseDataset(TEXT, "d.jsonl");
  assert.deepEqual(lines.map(decode), ['{"prompt":"a"}', '{"prompt":"b"}', '{"prompt":"c"}']);
});

Deno.test("parseDataset() names the file and line of a line that is not JSON, and refuses an empty file", () => {
  assert.throws(
    () => parseDataset('{"ok":1}\n{"broken":\n', "d.jsonl"),
    (e) =>
      e instanceof UsageError && /"d\.jsonl" line 2: "\{"broken":" is not JSON/.test(e.message),
  );
  assert.throws(() => parseDataset("\n\n", "e.jsonl"), /holds no JSON lines/);
});

Deno.test("readDataset() of a missing file is a usage error naming it", async () => {
  await assert.rejects(
    readDataset("/nonexistent/prompts.jsonl"),
    (e) => e instanceof UsageError && /nonexistent\/prompts\.jsonl/.test(e.message),
  );
});

Deno.test("a sequential dataset sends its lines in order", async () => {
  const w = await datasetWorkload(parseDataset(TEXT, "d"), {
    order: "sequential",
    seed: 1,
    requests: 5,
  });
  assert.deepEqual(w.bodies.map(decode), ['{"prompt":"a"}', '{"prompt":"b"}', '{"prompt":"c"}']);
  assert.equal(w.seed, null);
});

Deno.test("a random dataset order is the same for the same seed, and a longer run extends a shorter one", async () => {
  const lines = parseDataset(TEXT, "d");
  const a = await datasetWorkload(lines, { order: "random", seed: 9, requests: 40 });
  const b = await datasetWorkload(lines, { order: "random", seed: 9, requests: 60 });
  const c = await datasetWorkload(lines, { order: "random", seed: 10, requests: 40 });
  assert.equal(a.bodies.length, 40);
  assert.deepEqual(a.inputSha256, b.inputSha256.slice(0, 40));
  assert.equal(a.digest, b.digest, "the digest names dataset and seed");
  assert.notDeepEqual(a.inputSha256, c.inputSha256);
  assert.notEqual(a.digest, c.digest);
  assert.equal(new Set(a.bodies.map(decode)).size, 3, "draws every line of a small dataset");
  const seq = await datasetWorkload(lines, { order: "sequential", seed: 9, requests: 40 });
  assert.notEqual(a.digest, seq.digest);
});
