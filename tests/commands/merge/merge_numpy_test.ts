/**
 * The merged percentiles against numpy's over the shards' logs concatenated:
 * four shards of 2,001 seeded requests (ties and failures among them).
 */
import assert from "node:assert/strict";
import { mergeCommand, mergeThresholds } from "../../../lib/commands/merge/command.ts";
import { closedLoopShare } from "../../../lib/load/shard.ts";
import { mulberry32 } from "../../../lib/stats/random.ts";
import { LOAD, writeShard } from "../../_shards.ts";
import { makeSample } from "../../_helpers.ts";
import { NUMPY_PROBE, PYTHON } from "../../_tools.ts";

const NUMPY = `
import csv, json, sys
import numpy as np
lat = []
for path in sys.argv[2:]:
    with open(path, newline="") as f:
        lat += [float(r["latency_ms"]) for r in csv.DictReader(f)]
print(json.dumps({"n": len(lat), **{f"p{p}": float(np.percentile(np.array(lat), p)) for p in (50, 95, 99)}}))
`;

const hasNumpy = await new Deno.Command(PYTHON, { args: [...NUMPY_PROBE] }).output()
  .then((o) => o.code === 0).catch(() => false);
if (!hasNumpy) console.log("merge_numpy_test: ignored, python3 with numpy is not installed");

Deno.test({
  name: "merge's P50/P95/P99 equal numpy's over the concatenated shard logs",
  ignore: !hasNumpy,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const total = 2001;
      const load = { ...LOAD, requests: total, concurrency: 8 };
      const rand = mulberry32(5);
      const dirs: string[] = [];
      for (let index = 0; index < 4; index++) {
        const share = closedLoopShare(load, { index, count: 4 });
        const samples = Array.from({ length: share.requests }, (_, j) => {
          const id = share.firstId + j;
          const failed = id % 97 === 0;
          return makeSample({
            phase: "run",
            requestId: id,
            latencyMs: id % 10 === 0 ? 100 : Math.round(rand() * 1e6) / 1e3,
            ...(failed ? { ok: false, error: "timeout" as const, status: null } : {}),
          });
        });
        dirs.push(`${root}/shard-${index}`);
        await writeShard(dirs[index]!, { index, count: 4, samples, load });
      }
      await Deno.mkdir(`${root}/m`);
      const code = await mergeCommand(
        {
          dirs,
          outDir: `${root}/m`,
          phase: "merged",
          thresholds: mergeThresholds([], 1),
          maxSkewMs: 500,
        },
        { out: () => {}, err: () => {} },
      );
      assert.equal(code, 1, "p95<=800 by default: the seeded latencies reach 1000 ms");
      const summary = JSON.parse(await Deno.readTextFile(`${root}/m/merged.json`)).summary;
      const out = await new Deno.Command(PYTHON, {
        args: ["-c", NUMPY, "x", ...dirs.map((d) => `${d}/run.csv`)],
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const numpy = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(summary.requests, numpy.n);
      for (const p of ["p50", "p95", "p99"]) {
        assert.ok(
          Math.abs(summary[p] - numpy[p]) <= 1e-9,
          `${p}: ${summary[p]} vs numpy ${numpy[p]}`,
        );
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
