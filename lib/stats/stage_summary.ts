/**
 * Percentiles per stage of a `--stages` phase: the measured requests grouped
 * by the stage they were scheduled in, each group summarized as a phase is
 * (numpy-linear percentiles over exactly those requests). Pure.
 *
 * @example
 * ```ts
 * stageSummaries(samples, [{ durationMs: 1000, target: 5 }])[0].p95;
 * ```
 *
 * @module
 */

import type { Sample } from "./sample.ts";
import { summarize } from "./stats.ts";

/** The stage fields {@linkcode stageSummaries} reads (lib/load/stages.ts `Stage`). */
export interface StageShape {
  durationMs: number;
  target: number;
}

/** One stage's requests and latency (ms), as the summary JSON's `stages[]` holds it. */
export interface StageSummary {
  /** Index from 0, as the log's `stage` column. */
  stage: number;
  /** Start and end of the stage, ms from the measured start. */
  start_ms: number;
  end_ms: number;
  /** Arrival rate at the stage's start and end, per second (ramped linearly between). */
  from_rate: number;
  to_rate: number;
  requests: number;
  failed: number;
  error_rate: number;
  p50: number;
  p95: number;
  p99: number;
  /** Completed requests per second over the stage's duration. */
  throughput: number;
}

/** Each stage's summary, in order; a stage without requests has NaN percentiles. */
export function stageSummaries(
  samples: readonly Sample[],
  stages: readonly StageShape[],
): StageSummary[] {
  const groups = stages.map((): Sample[] => []);
  for (const s of samples) {
    if (s.warmup || s.stage === undefined) continue;
    groups[s.stage]?.push(s);
  }
  let start = 0;
  let from = 0;
  return stages.map((stage, i) => {
    const sum = summarize(groups[i]!);
    const row: StageSummary = {
      stage: i,
      start_ms: start,
      end_ms: start + stage.durationMs,
      from_rate: from,
      to_rate: stage.target,
      requests: sum.requests,
      failed: sum.failed,
      error_rate: sum.error_rate,
      p50: sum.p50,
      p95: sum.p95,
      p99: sum.p99,
      throughput: sum.requests / (stage.durationMs / 1000),
    };
    start += stage.durationMs;
    from = stage.target;
    return row;
  });
}
