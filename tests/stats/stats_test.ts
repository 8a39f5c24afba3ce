import assert from "node:assert/strict";
import { missingTool, NUMPY_PROBE, PYTHON } from "../_tools.ts";
import { percentile, sortedCopy, summarize } from "../../lib/stats/stats.ts";
import type { Sample } from "../../lib/stats/sample.ts";

// Expected values computed with numpy 2.4 (np.percentile, default method="linear").
Deno.test("percentile() interpolates between closest ranks as numpy does", () => {
  const xs = sortedCopy([15, 20, 35, 40, 50]);
  assert.equal(percentile(xs, 0), 15);
  assert.equal(percentile(xs, 40), 29); // np.percentile([15,20,35,40,50], 40) == 29.0
  assert.equal(percentile(xs, 50), 35);
  assert.ok(Math.abs(percentile(xs, 95) - 48) < 1e-12); // 48.0
  assert.ok(Math.abs(percentile(xs, 99) - 49.6) < 1e-12); // 49.6
  assert.equal(percentile(xs, 100), 50);
});

Deno.test("percentile() of one value is that value at every p", () => {
  for (const p of [0, 1, 50, 95, 99, 100]) assert.equal(percentile([7.25], p), 7.25);
});

Deno.test("percentile() handles ties", () => {
  const xs = sortedCopy([3, 1, 3, 3, 2]);
  assert.equal(percentile(xs, 50), 3); // np.percentile([3,1,3,3,2], 50) == 3.0
  assert.equal(percentile(xs, 25), 2); // 2.0
  assert.ok(Math.abs(percentile(xs, 10) - 1.4) < 1e-12); // 1.4
});

Deno.test("sortedCopy() sorts numerically, so unsorted input gives numpy's answer", () => {
  const xs = sortedCopy([100, 9, 25, 1000, 3]);
  assert.deepEqual([...xs], [3, 9, 25, 100, 1000]);
  assert.ok(Math.abs(percentile(xs, 95) - 820) < 1e-9); // np.percentile([100,9,25,1000,3], 95) == 820.0
});

Deno.test("percentile() of an empty set is NaN and a p outside 0..100 throws", () => {
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile([1], 101), RangeError);
  assert.throws(() => percentile([1], -1), RangeError);
});

function sample(id: number, latencyMs: number, ok = true): Sample {
  return {
    phase: "t",
    requestId: id,
    inputSha256: "a".repeat(64),
    sentMs: id * 10,
    headersMs: latencyMs / 2,
    latencyMs,
    status: ok ? 200 : 503,
    ok,
    error: ok ? "" : "http_5xx",
    bytesIn: 10,
    outputSha256: ok ? "b".repeat(64) : "",
    serverQueueMs: null,
    serverInferMs: null,
    connId: "",
  };
}

Deno.test("summarize() counts failures and keeps them in the headline percentiles", () => {
  const s = summarize([sample(0, 10), sample(1, 20), sample(2, 1000, false), sample(3, 30)]);
  assert.equal(s.requests, 4);
  assert.equal(s.ok, 3);
  assert.equal(s.failed, 1);
  assert.equal(s.error_rate, 0.25);
  assert.equal(s.max, 1000);
  assert.equal(s.ok_p50, 20);
  assert.equal(s.p50, 25);
  assert.deepEqual(s.errors, { http_5xx: 1 });
  // first send at 0 ms, last completion at 30 + 30 = 60 ms... and 20 + 1000 = 1020 ms
  assert.equal(s.duration_s, 1.02);
  assert.ok(Math.abs(s.throughput - 4 / 1.02) < 1e-9);
});

Deno.test("summarize() of no samples gives zero counts and NaN latencies", () => {
  const s = summarize([]);
  assert.equal(s.requests, 0);
  assert.equal(s.error_rate, 0);
  assert.ok(Number.isNaN(s.p95));
  assert.equal(s.throughput, 0);
});

const NO_NUMPY = await missingTool("stats_test.ts", "python3 with numpy", PYTHON, [...NUMPY_PROBE]);

Deno.test({
  name: "percentile() matches numpy on random data",
  ignore: NO_NUMPY !== undefined,
  fn: async () => {
    const values = Array.from({ length: 997 }, (_, i) => ((i * 7919) % 1009) / 3 + (i % 7) * 0.001);
    const ps = [0, 1, 25, 50, 90, 95, 99, 99.9, 100];
    const script = `import json,sys,numpy as np
v=json.load(sys.stdin); print(json.dumps([float(np.percentile(v, p)) for p in ${
      JSON.stringify(ps)
    }]))`;
    const child = new Deno.Command(PYTHON, {
      args: ["-c", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    })
      .spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify(values)));
    await w.close();
    const out = await child.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const expected = JSON.parse(new TextDecoder().decode(out.stdout)) as number[];
    const sorted = sortedCopy(values);
    ps.forEach((p, i) => assert.ok(Math.abs(percentile(sorted, p) - expected[i]!) < 1e-9, `p${p}`));
  },
});
