/**
 * What `run --stages` prints: the stages it is about to run, in one line, and
 * the per-stage percentiles after it. Pure.
 *
 * @module
 */

import type { StageShape, StageSummary } from "../../stats/stage_summary.ts";

const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : "-");

/** `3 stages: 10s to 5/s, 30s to 20/s, 10s to 0/s`. */
export function describeStages(stages: readonly StageShape[]): string {
  const parts = stages.map((s) => `${s.durationMs / 1000}s to ${s.target}/s`);
  return `${stages.length} stage${stages.length === 1 ? "" : "s"} (ramped linearly): ${
    parts.join(", ")
  }`;
}

/** One line a stage: its time span, rates, requests, percentiles and error rate. */
export function stageLines(rows: readonly StageSummary[]): string[] {
  return rows.map((r) =>
    `  stage ${r.stage} (${f(r.start_ms / 1000)}-${
      f(r.end_ms / 1000)
    } s, ${r.from_rate}->${r.to_rate}/s): ` +
    `${r.requests} requests, p50 ${f(r.p50)} ms, p95 ${f(r.p95)} ms, p99 ${f(r.p99)} ms, ` +
    `errors ${(100 * r.error_rate).toFixed(1)}%`
  );
}
