/**
 * Two sweeps compared: the shape of `sweep_comparison.json` and the lines
 * `compare` prints for it. Pure.
 *
 * @module
 */

import type { StepState } from "../../sweep/capacity.ts";
import type { VerdictState } from "../../../verdict/verdict.ts";
import { alignTable } from "../../sweep/text.ts";

/** One load both sweeps ran: each step's figures, and the P95 difference with its interval. */
export interface SweepStepDiff {
  load: number;
  before: SweepStepFigures;
  after: SweepStepFigures;
  /** After minus before, ms; null where a step had no requests. */
  p95_diff: {
    estimate: number | null;
    lower: number | null;
    upper: number | null;
    direction: "lower" | "higher" | "unclear";
  };
}

/** A step's figures in a comparison. */
export interface SweepStepFigures {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  achieved_rate: number;
  error_rate: number;
  /** Its SLA outcome; an overloaded step is a fail. */
  sla: StepState;
}

/** `sweep_comparison.json`. */
export interface SweepComparisonJson {
  command: "compare";
  unit: string;
  before: { folder: string; capacity: number | null; lowest_failed: number | null };
  after: { folder: string; capacity: number | null; lowest_failed: number | null };
  sla: { before: string[]; after: string[] };
  confidence: number;
  method: string;
  steps: SweepStepDiff[];
  verdict: VerdictState;
  reason: string;
  manifest: Record<string, unknown>;
}

const f = (v: number | null): string => (v === null ? "-" : v.toFixed(1));

/** The capacity line and a table of the shared loads. */
export function sweepComparisonLines(j: SweepComparisonJson): string[] {
  const c = (x: { capacity: number | null; lowest_failed: number | null }) =>
    `${x.capacity ?? "none"} ${j.unit} (lowest failed ${x.lowest_failed ?? "none"})`;
  const pct = Math.round(j.confidence * 100);
  const rows = [
    ["load", "p95 before", "p95 after", `p95 diff [${pct}% interval]`, "achieved b/a", "SLA b/a"],
    ...j.steps.map((s) => [
      String(s.load),
      f(s.before.p95),
      f(s.after.p95),
      `${f(s.p95_diff.estimate)} [${f(s.p95_diff.lower)}, ${
        f(s.p95_diff.upper)
      }] ${s.p95_diff.direction}`,
      `${f(s.before.achieved_rate)}/${f(s.after.achieved_rate)}`,
      `${s.before.sla}/${s.after.sla}`,
    ]),
  ];
  return [
    `capacity at the SLA: before ${c(j.before)}, after ${c(j.after)}`,
    j.steps.length === 0
      ? "no load was run by both sweeps"
      : `at the ${j.steps.length} loads both ran:`,
    ...(j.steps.length > 0 ? alignTable(rows) : []),
  ];
}
