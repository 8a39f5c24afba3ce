import assert from "node:assert/strict";
import { stageSummaries } from "../../lib/stats/stage_summary.ts";
import { parseLog } from "../../lib/log/csv/log.ts";
import { CsvLogWriter } from "../../lib/log/csv/log.ts";
import { makeSample } from "../_helpers.ts";

const stages = [{ durationMs: 1000, target: 10 }, { durationMs: 2000, target: 10 }];

Deno.test("stageSummaries() groups measured requests by stage, with numpy-linear percentiles", () => {
  const samples = [
    ...[10, 20, 30, 40].map((l, i) => makeSample({ requestId: i, latencyMs: l, stage: 0 })),
    makeSample({ requestId: 4, latencyMs: 5, stage: 1, ok: false, error: "timeout" }),
    makeSample({ requestId: 5, latencyMs: 999, stage: 1, warmup: true }),
  ];
  const [a, b] = stageSummaries(samples, stages);
  assert.deepEqual([a!.requests, a!.p50, a!.p95, a!.throughput], [4, 25, 38.5, 4]);
  assert.deepEqual([a!.start_ms, a!.end_ms, a!.from_rate, a!.to_rate], [0, 1000, 0, 10]);
  assert.deepEqual([b!.requests, b!.failed, b!.error_rate, b!.p99], [1, 1, 1, 5]);
  assert.deepEqual([b!.start_ms, b!.end_ms, b!.from_rate], [1000, 3000, 10]);
});

Deno.test("stageSummaries() gives a stage without requests NaN percentiles", () => {
  const [a] = stageSummaries([], stages);
  assert.equal(a!.requests, 0);
  assert.ok(Number.isNaN(a!.p95));
});

Deno.test("the log's stage column follows itl_ms and is read back", async () => {
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "stage_log_" });
  try {
    const w = CsvLogWriter.create(`${dir}/x.csv`, true);
    w.write(makeSample({ requestId: 0, stage: 2 }));
    w.write(makeSample({ requestId: 1 }));
    w.close();
    const text = await Deno.readTextFile(`${dir}/x.csv`);
    assert.ok(text.split("\n")[0]!.includes(",itl_ms,stage"));
    const back = parseLog(text, "x.csv");
    assert.deepEqual(back.map((s) => s.stage), [2, undefined]);
    assert.throws(
      () => parseLog(text.replace(/,2(,*)\n/, ",x$1\n"), "x.csv"),
      /column stage has "x"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
