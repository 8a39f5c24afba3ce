import assert from "node:assert/strict";
import {
  buildWorkload,
  MAX_DISTINCT_BODIES,
  workloadFromBodies,
} from "../../lib/workload/workload.ts";
import { sha256Hex } from "../../lib/base/hash.ts";

Deno.test("buildWorkload() gives the same bodies for the same seed", async () => {
  const a = await buildWorkload({ seed: 7, requests: 50 });
  const b = await buildWorkload({ seed: 7, requests: 50 });
  assert.deepEqual(a.inputSha256, b.inputSha256);
  assert.equal(a.digest, b.digest);
  assert.deepEqual(a.bodies[3], b.bodies[3]);
});

Deno.test("buildWorkload() bodies are distinct, JSON, and differ across seeds", async () => {
  const a = await buildWorkload({ seed: 1, requests: 200 });
  const c = await buildWorkload({ seed: 2, requests: 200 });
  assert.equal(new Set(a.inputSha256).size, 200);
  assert.notEqual(a.digest, c.digest);
  const first = JSON.parse(new TextDecoder().decode(a.bodies[0]));
  assert.equal(typeof first.inputs, "string");
  assert.equal(typeof first.parameters.max_new_tokens, "number");
});

Deno.test("workloadFromBodies() digests each body with SHA-256", async () => {
  const body = new TextEncoder().encode('{"inputs":"x"}');
  const w = await workloadFromBodies([body]);
  assert.equal(w.inputSha256[0], await sha256Hex('{"inputs":"x"}'));
  assert.equal(w.seed, null);
});

Deno.test("buildWorkload() keeps at most MAX_DISTINCT_BODIES bodies for a long run", async () => {
  const w = await buildWorkload({ seed: 3, requests: MAX_DISTINCT_BODIES + 5 });
  assert.equal(w.bodies.length, MAX_DISTINCT_BODIES);
  assert.equal(new Set(w.inputSha256).size, MAX_DISTINCT_BODIES);
  const short = await buildWorkload({ seed: 3, requests: 50 });
  assert.deepEqual(w.inputSha256.slice(0, 50), short.inputSha256, "a prefix of the same sequence");
});
