/** Test helpers: shard folders made by hand, as `run --shard` writes them. Not a test file. */
import { CsvLogWriter } from "../lib/log/csv/log.ts";
import { writeJson } from "../lib/commands/shared/result_json.ts";
import { makeManifest } from "../lib/commands/shared/manifest.ts";
import { shardManifest } from "../lib/load/shard.ts";
import { startRecord } from "../lib/load/start_at.ts";
import type { Sample } from "../lib/stats/sample.ts";
import { summarize } from "../lib/stats/stats.ts";

/** The whole run's load parameters, as every shard records them. */
export const LOAD = {
  requests: 12,
  concurrency: 4,
  timeout_ms: 30000,
  method: "POST",
  path: "/v1/infer",
  headers_sha256: "a".repeat(64),
  workload_digest: "d".repeat(64),
};

export const TARGET_MS = Date.parse("2026-12-01T22:00:00Z");

/** What a shard folder holds; override what the test is about. */
export interface ShardSpec {
  index: number;
  count: number;
  samples: Sample[];
  /** ms after the target the shard started (null: no coordinated start). */
  offsetMs?: number | null;
  workloadDigest?: string;
  interrupted?: boolean;
  load?: Record<string, unknown>;
  url?: string;
}

/** Writes `dir` with `run.csv` and `run.json` for one shard. */
export async function writeShard(dir: string, spec: ShardSpec): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const w = CsvLogWriter.create(`${dir}/run.csv`, true);
  for (const s of spec.samples) w.write(s);
  w.close();
  const offset = spec.offsetMs === undefined ? 0 : spec.offsetMs;
  const load = spec.load ?? LOAD;
  await writeJson(`${dir}/run.json`, {
    phase: "run",
    log: "run.csv",
    url: spec.url ?? "http://127.0.0.1:8000/v1/infer",
    interrupted: spec.interrupted ?? false,
    load,
    summary: summarize(spec.samples),
    manifest: makeManifest({
      command: "run",
      shard: shardManifest({
        shard: { index: spec.index, count: spec.count },
        model: "closed",
        totalRequests: load.requests as number,
        concurrency: load.concurrency as number,
        workloadDigest: spec.workloadDigest ?? LOAD.workload_digest,
        start: offset === null ? null : startRecord(TARGET_MS, TARGET_MS + offset),
      }),
    }),
  });
}
