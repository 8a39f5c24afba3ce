/**
 * What `history list`, `trend` and `changes` print: plain lines, the same
 * from either store (values with at most 3 decimals, runs in id order).
 *
 * @module
 */

import type { ComparableKey } from "../../history/record.ts";
import type { RunRow, SeriesPoint } from "../../history/store.ts";
import { type ChangePoint, median } from "../../stats/change_points.ts";

/** A value as printed: at most 3 decimals. */
export const fmt = (v: number): string => String(Number(v.toFixed(3)));

/** `k=v` pairs sorted by key. */
export function labelText(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(" ");
}

/** The comparable key in one line. */
export function keyText(key: ComparableKey): string {
  return `target ${key.target}, workload ${key.workloadDigest.slice(0, 12) || "(none)"}, ` +
    `load ${key.loadKey.slice(0, 12)}`;
}

/** `history list`. */
export function listLines(runs: readonly RunRow[]): string[] {
  if (runs.length === 0) return ["no runs recorded"];
  return runs.map((r) =>
    [`#${r.id}`, r.recordedAt, r.command, r.verdict, r.target, labelText(r.labels)]
      .filter((s) => s !== "").join("  ")
  );
}

/** `history trend METRIC`. */
export function trendLines(metric: string, key: ComparableKey, points: SeriesPoint[]): string[] {
  const values = points.map((p) => p.value);
  const head = `${metric} over ${points.length} comparable runs (${keyText(key)}):`;
  const rows = points.map((p) =>
    `  #${p.id}  ${p.recordedAt}  ${fmt(p.value)}${
      Object.keys(p.labels).length ? `  ${labelText(p.labels)}` : ""
    }`
  );
  const tail = `median ${fmt(median(values))}, min ${fmt(Math.min(...values))}, ` +
    `max ${fmt(Math.max(...values))}`;
  return [head, ...rows, tail];
}

/** How the change points were searched for, in one line. */
export interface ChangeMethod {
  maxPValue: number;
  permutations: number;
}

/** `history changes METRIC`: each change point at its run. */
export function changeLines(
  metric: string,
  key: ComparableKey,
  points: SeriesPoint[],
  changes: readonly ChangePoint[],
  method: ChangeMethod,
): string[] {
  const head = `${metric}: change points over ${points.length} comparable runs ` +
    `(${keyText(key)}; E-divisive means, ${method.permutations} permutations, ` +
    `p <= ${method.maxPValue}):`;
  if (changes.length === 0) return [head, "  none"];
  return [
    head,
    ...changes.map((c) => {
      const p = points[c.index]!;
      const pct = c.percent === null
        ? ""
        : ` (${c.percent >= 0 ? "+" : ""}${c.percent.toFixed(1)}%)`;
      const labels = labelText(p.labels);
      return `  run #${p.id} (${p.recordedAt}${labels ? `, ${labels}` : ""}): median ` +
        `${fmt(c.before)} -> ${fmt(c.after)}${pct}, p = ${fmt(c.pValue)}`;
    }),
  ];
}
