/**
 * What an interrupted job reports: which phase was cut, how far each phase
 * got, and the partial summaries, so that comparison.json says plainly that
 * nothing was compared and why. Pure: phase progress in, a report out.
 *
 * @module
 */

import type { PhaseSummary } from "../../stats/stats.ts";

/** How far one planned phase got. */
export interface CellProgress {
  name: string;
  /** Requests planned. */
  planned: number;
  /** The summary of the requests that finished, or null when the phase never started. */
  summary: PhaseSummary | null;
  /** True when the stop signal cut this phase short. */
  interrupted: boolean;
}

/** The interrupted job's comparison.json fields, beside the manifest and test counts. */
export interface InterruptedReport {
  interrupted: true;
  /** The phase the signal cut, or null when it came between phases or before the first. */
  interrupted_phase: string | null;
  /** Each planned phase: requests finished of planned, and its partial summary. */
  phases: Record<string, { finished: number; planned: number; summary: PhaseSummary | null }>;
  sla_met: false;
  verdict: "interrupted";
  reasons: string[];
}

/** Builds the report of a job stopped by SIGINT / SIGTERM. */
export function interruptedReport(progress: readonly CellProgress[]): InterruptedReport {
  const cut = progress.find((p) => p.interrupted) ?? null;
  const reasons = progress.map((p) =>
    p.summary === null
      ? `the ${p.name} phase did not run`
      : `the ${p.name} phase ${
        p.interrupted ? "was cut" : "finished"
      }: ${p.summary.requests} of ${p.planned} requests`
  );
  return {
    interrupted: true,
    interrupted_phase: cut?.name ?? null,
    phases: Object.fromEntries(
      progress.map((p) => [p.name, {
        finished: p.summary?.requests ?? 0,
        planned: p.planned,
        summary: p.summary,
      }]),
    ),
    sla_met: false,
    verdict: "interrupted",
    reasons: ["interrupted (SIGINT / SIGTERM): nothing was compared", ...reasons],
  };
}
