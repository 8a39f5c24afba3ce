/**
 * The report section of the statistics extension's server-side split
 * (kserve-v2): each part's mean per request beside the client's mean
 * latency, in report.html and summary.md.
 *
 * @module
 */

import type { ServerSplit } from "../load/model_stats.ts";
import type { ReportSection } from "./html/report.ts";

/** One phase's split and the client's mean latency over it (ms, or null). */
export interface SplitRow {
  phase: string;
  split: ServerSplit;
  clientMeanMs: number | null;
}

/** The section of the phases' splits (`run`: one phase; the main job: each cell). */
export function serverSplitSection(rows: readonly SplitRow[]): ReportSection {
  const counted = rows.map((r) =>
    `${r.phase} ${r.split.requests} successful requests, ${r.split.executions} executions`
  ).join("; ");
  return {
    id: "server-split",
    title: "Server-side split (KServe v2 statistics extension)",
    note: `Means per request from the deltas of the server's cumulative counters over each phase ` +
      `(${counted}; as perf_analyzer computes them); overhead is the server's request time less ` +
      `queue and compute.`,
    table: {
      columns: [
        "phase",
        "queue ms",
        "compute input ms",
        "compute infer ms",
        "compute output ms",
        "overhead ms",
        "server request ms",
        "client mean ms",
        "mean batch",
      ],
      rows: rows.map(({ phase, split: s, clientMeanMs }) => [
        phase,
        s.queue_ms,
        s.compute_input_ms,
        s.compute_infer_ms,
        s.compute_output_ms,
        s.overhead_ms,
        s.request_ms,
        clientMeanMs === null ? null : Math.round(clientMeanMs * 1000) / 1000,
        s.mean_batch,
      ]),
    },
    markdown: true,
  };
}
