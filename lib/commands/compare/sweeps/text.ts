/**
 * Two sweeps compared: the lines `compare` prints for `sweep_comparison.json`
 * (its shape is in lib/commands/shared/result_json.ts). Pure.
 *
 * @module
 */

import type { SweepComparisonJson } from "../../shared/result_json.ts";
import { alignTable } from "../../sweep/text.ts";

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
