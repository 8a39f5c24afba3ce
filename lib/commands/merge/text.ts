/**
 * What `merge` prints and its job summary (markdown).
 *
 * @module
 */

import type { PhaseSummary } from "../../stats/stats.ts";
import type { MergeCheck } from "../../verdict/merge_checks.ts";
import type { ThresholdResult } from "../../verdict/threshold.ts";
import { checkState, type Verdict } from "../../verdict/verdict.ts";
import { verdictLine } from "../../report/verdict_line.ts";

/** A judged merge, as its lines show it. */
export interface MergeOutcome {
  phase: string;
  /** How many shards were merged. */
  shards: number;
  outDir: string;
  summary: PhaseSummary;
  checks: Record<string, MergeCheck>;
  results: readonly ThresholdResult[];
  verdict: Verdict;
}

/** The job summary of a merge: the verdict line and the thresholds. */
export function mergeMarkdown(
  phase: string,
  results: readonly ThresholdResult[],
  verdict: Verdict,
): string {
  const rows = results.map((r) =>
    `| ${r.expr} | ${r.actual === null ? "-" : Math.round(r.actual * 1000) / 1000} | ${
      r.pass ? "pass" : "**FAIL**"
    } |`
  );
  return [
    `### loadgate merge: ${verdict.state.toUpperCase()} (${phase})`,
    "",
    verdictLine(verdict),
    "",
    "| threshold | measured | |",
    "| --- | ---: | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** What `merge` prints: the merged phase, each check, each threshold, the verdict, the files. */
export function mergeLines(m: MergeOutcome): string[] {
  const { summary, phase, outDir } = m;
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  out(
    `${phase}: ${m.shards} shards, ${summary.requests} requests, ${summary.ok} ok, ` +
      `${summary.failed} failed; p50 ${f(summary.p50)} ms, p95 ${f(summary.p95)} ms, p99 ${
        f(summary.p99)
      } ms`,
  );
  for (const [name, c] of Object.entries(m.checks)) {
    const s = checkState(c);
    const state = s === "not_made"
      ? "not made"
      : s === "failed"
      ? "FAIL"
      : c.warning
      ? "warn"
      : "ok";
    out(`check ${name}: ${state} (${c.detail})`);
  }
  for (const r of m.results) {
    out(
      `SLA ${r.expr}: ${r.pass ? "pass" : "FAIL"} (${
        r.actual === null ? "-" : Math.round(r.actual * 1000) / 1000
      })`,
    );
  }
  out(verdictLine(m.verdict));
  out(`wrote ${outDir}/${phase}.csv and ${outDir}/${phase}.json`);
  return lines;
}
