/**
 * Reports of a comparison: the terminal table and comparison.csv. Pure:
 * they return text; the caller decides where it goes.
 *
 * @module
 */

import { csvLine } from "../log/csv/line.ts";
import type { Comparison } from "../verdict/compare.ts";
import type { PhaseSummary } from "../stats/stats.ts";
import type { ThresholdResult } from "../verdict/threshold.ts";
import { checkState, type Verdict } from "../verdict/verdict.ts";
import { verdictLine, type VerdictLineOptions } from "./verdict_line.ts";

const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : "-");

/** A row of the summary table: a label and how to read it from a phase summary. */
export interface Row {
  label: string;
  get: (s: PhaseSummary) => number;
  digits: number;
  /** Show optimized / baseline beside the delta. */
  ratio?: boolean;
}

/** The rows of the summary table, in order (terminal, Markdown and HTML alike). */
export const ROWS: Row[] = [
  { label: "requests (total)", get: (s) => s.requests, digits: 0 },
  { label: "succeeded", get: (s) => s.ok, digits: 0 },
  { label: "failed", get: (s) => s.failed, digits: 0 },
  { label: "p50 (ms)", get: (s) => s.p50, digits: 1, ratio: true },
  { label: "p95 (ms)", get: (s) => s.p95, digits: 1, ratio: true },
  { label: "p99 (ms)", get: (s) => s.p99, digits: 1, ratio: true },
  { label: "mean (ms)", get: (s) => s.mean, digits: 1, ratio: true },
  { label: "max (ms)", get: (s) => s.max, digits: 1, ratio: true },
  { label: "throughput (req/s)", get: (s) => s.throughput, digits: 1, ratio: true },
];

/** One phase's column of the summary table. */
export interface TablePhase {
  name: string;
  summary: PhaseSummary;
  /** Thresholds evaluated on this phase, in the same order for every phase. */
  sla: readonly ThresholdResult[];
}

/** A cell of an SLA line: `pass (49.2)` or `FAIL (1100.4)`. */
export function slaCell(t: ThresholdResult | undefined): string {
  return t ? `${t.pass ? "pass" : "FAIL"} (${t.actual === null ? "-" : fmt(t.actual, 3)})` : "-";
}

/**
 * The summary table as text cells: a header row, then one row per metric and
 * one per SLA threshold. With two phases a delta column follows (second minus
 * first, and the ratio for latencies and throughput). Pure.
 */
export function summaryTable(phases: readonly TablePhase[]): string[][] {
  const two = phases.length === 2;
  const lines: string[][] = [["", ...phases.map((p) => p.name), ...(two ? ["delta"] : [])]];
  for (const r of ROWS) {
    const values = phases.map((p) => r.get(p.summary));
    const row = [r.label, ...values.map((v) => fmt(v, r.digits))];
    if (two) {
      const [b, o] = values as [number, number];
      const d = o - b;
      const ratio = r.ratio && b > 0 ? ` (x${(o / b).toFixed(2)})` : "";
      row.push(`${d > 0 ? "+" : ""}${fmt(d, r.digits)}${ratio}`);
    }
    lines.push(row);
  }
  const last = phases[phases.length - 1];
  last?.sla.forEach((t, i) => {
    lines.push([`SLA ${t.expr}`, ...phases.map((p) => slaCell(p.sla[i])), ...(two ? [""] : [])]);
  });
  return lines;
}

/** Options of {@linkcode formatTable}. */
export interface TableInput {
  comparison: Comparison;
  /** Thresholds evaluated on each phase. */
  sla: { baseline: ThresholdResult[]; optimized: ThresholdResult[] };
  verdict: Verdict;
  /** Colour the verdict and SLA cells (a terminal without NO_COLOR). */
  color: boolean;
  /** Lines printed before the verdict (the uncertainty block). */
  beforeVerdict?: string[];
  /** Confidence and inconclusive policy, for the wording of an interval verdict. */
  verdictWords?: Pick<VerdictLineOptions, "confidence" | "policy">;
}

/** The before/after table, SLA lines, checks and verdict, as terminal text. */
export function formatTable(input: TableInput): string {
  const { comparison: c, sla } = input;
  const paint = (
    text: string,
    code: number,
  ) => (input.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines = summaryTable([
    { name: "baseline", summary: c.baseline, sla: sla.baseline },
    { name: "optimized", summary: c.optimized, sla: sla.optimized },
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => l[i]!.length)));
  // Pad first, then paint, so colour codes never upset the alignment.
  const text = lines.map((l) =>
    l.map((cell, i) => {
      const padded = i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!);
      if (i === 0 || !l[0]!.startsWith("SLA ")) return padded;
      return cell.startsWith("FAIL")
        ? paint(padded, 31)
        : cell.startsWith("pass")
        ? paint(padded, 32)
        : padded;
    }).join("  ").trimEnd()
  );
  text.push("");
  const words = {
    ok: "ok      ",
    failed: paint("FAIL", 31) + "    ",
    not_made: paint("NOT MADE", 33),
  };
  for (const [name, check] of Object.entries(c.checks)) {
    const state = checkState(check);
    const detail = state === "not_made" ? check.detail.replace(/^not made: /, "") : check.detail;
    text.push(`check ${name.padEnd(18)} ${words[state]}  ${detail}`);
  }
  if (input.beforeVerdict?.length) text.push("", ...input.beforeVerdict);
  text.push("");
  text.push(verdictLine(input.verdict, {
    ...input.verdictWords,
    passDetail: `the optimized phase meets the SLA and every check ${
      (input.verdict.notMade ?? []).length > 0 ? "made " : ""
    }holds`,
    paint,
  }));
  return text.join("\n");
}

/** comparison.csv: one row a phase. */
export function comparisonCsv(
  c: Comparison,
  sla: { baseline: ThresholdResult[]; optimized: ThresholdResult[] },
  extra?: { header: string[]; baseline: string[]; optimized: string[] },
): string {
  const header = [
    "phase",
    "requests",
    "succeeded",
    "failed",
    "error_rate",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "mean_ms",
    "max_ms",
    "ok_p50_ms",
    "ok_p95_ms",
    "ok_p99_ms",
    "throughput_rps",
    "duration_s",
    "meets_sla",
  ];
  const row = (phase: string, s: PhaseSummary, results: ThresholdResult[]) =>
    [
      phase,
      s.requests,
      s.ok,
      s.failed,
      s.error_rate.toFixed(6),
      fmt(s.p50, 3),
      fmt(s.p95, 3),
      fmt(s.p99, 3),
      fmt(s.mean, 3),
      fmt(s.max, 3),
      fmt(s.ok_p50, 3),
      fmt(s.ok_p95, 3),
      fmt(s.ok_p99, 3),
      fmt(s.throughput, 3),
      fmt(s.duration_s, 3),
      results.every((r) => r.pass) ? "true" : "false",
    ].map(String);
  return [
    [...header, ...(extra?.header ?? [])],
    [...row("baseline", c.baseline, sla.baseline), ...(extra?.baseline ?? [])],
    [...row("optimized", c.optimized, sla.optimized), ...(extra?.optimized ?? [])],
  ].map(csvLine).join("");
}
