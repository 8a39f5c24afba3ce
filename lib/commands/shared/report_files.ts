/**
 * The files people look at after a run, written together: `report.html`
 * (plots) and `summary.md` (verdict and table, also appended to
 * `$GITHUB_STEP_SUMMARY`). Builds the report's content from what the job,
 * `compare` and `run` already have: samples, the comparison, the gate.
 *
 * @module
 */

import type { Comparison } from "../../verdict/compare.ts";
import { writeText } from "./write_text.ts";
import type { GateResult } from "./gate.ts";
import { summaryTable } from "../../report/comparison_table.ts";
import { serverTimingTable, slaLines } from "../../report/html/data.ts";
import {
  renderReportHtml,
  type ReportInput,
  type ReportPhase,
  type ReportSection,
} from "../../report/html/report.ts";
import type { PhaseSummary } from "../../stats/stats.ts";
import { formatSummaryMarkdown } from "../../report/summary_md.ts";
import { appendStepSummary } from "./step_summary.ts";
import type { ThresholdResult } from "../../verdict/threshold.ts";
import { checkState, type Verdict } from "../../verdict/verdict.ts";

/** Where reports go. */
export interface ReportTargets {
  outDir: string;
  /** Write report.html. */
  html: boolean;
  /** Where report.html goes, when not `outDir/report.html` (a temporary name to rename later). */
  htmlPath?: string;
  /** Write summary.md. */
  markdown: boolean;
  /** `$GITHUB_STEP_SUMMARY`: append summary.md to it. */
  stepSummary: string | null;
  /** One line to stderr, for a summary that could not be appended. */
  err: (line: string) => void;
}

const fmt = (v: number | null): string =>
  v === null || !Number.isFinite(v) ? "-" : String(Math.round(v * 10) / 10);

const OPS: Record<string, string> = { "<=": "\u2264", ">=": "\u2265", "<": "<", ">": ">" };

/** "p95 49.2 ms \u2264 800 ms; error_rate 0 \u2264 0". */
function thresholdsText(results: readonly ThresholdResult[]): string {
  return results.map((r) => {
    const ms = slaLines([r]).length > 0;
    const actual = ms
      ? fmt(r.actual)
      : r.actual === null
      ? "-"
      : String(Math.round(r.actual * 1000) / 1000);
    const unit = ms ? " ms" : "";
    return `${r.metric} ${actual}${unit} ${OPS[r.op] ?? r.op} ${r.value}${unit}`;
  }).join("; ");
}

/** A phase named in a headline: "The htmlrun phase" (a name is not a word to capitalize). */
const phaseNamed = (name: string): string => `The ${name} phase`;

/** "P95 went from 1100.4 ms to 49.2 ms (x0.04)." */
function p95Change(before: PhaseSummary, after: PhaseSummary, names: [string, string]): string {
  if (!Number.isFinite(before.p95) || !Number.isFinite(after.p95)) return "";
  const ratio = before.p95 > 0 ? ` (x${(after.p95 / before.p95).toFixed(2)})` : "";
  return ` P95 went from ${fmt(before.p95)} ms in ${names[0]} to ${fmt(after.p95)} ms in ${
    names[1]
  }${ratio}.`;
}

/** Provenance rows from a manifest: each scalar or list field as text. */
export function metaRows(manifest: Record<string, unknown>): [string, string][] {
  // An open loop has no workers: its concurrency 0 (recorded so its load parameters compare)
  // would read as "nothing in flight"; its rate and max in flight say what it did.
  const open = manifest.load_model === "open" || manifest.load_model === "stages";
  return Object.entries(manifest)
    .filter(([k, v]) => v !== undefined && v !== null && !(open && k === "concurrency" && v === 0))
    .map((
      [k, v],
    ) => [
      k.replace(/_/g, " "),
      Array.isArray(v) ? v.join(":") : typeof v === "object" ? JSON.stringify(v) : String(v),
    ]);
}

/** The built-in extra section: the server's queue/service split, when the logs carry it. */
function decompositionSections(phases: readonly ReportPhase[]): ReportSection[] {
  const table = serverTimingTable(phases);
  return table
    ? [{
      id: "server-timing",
      title: "Where the time went (server-reported)",
      note:
        "Means over successful requests that carried Server-Timing: the server's queue wait and " +
        "service time, and the rest of the measured latency (connection, transfer, client).",
      table,
    }]
    : [];
}

/** Options of {@linkcode comparisonReport}. */
export interface ComparisonReportOptions {
  comparison: Comparison;
  gate: Omit<GateResult, "document">;
  /** The two phases' names, details and samples, before then after. */
  phases: [ReportPhase, ReportPhase];
  manifest: Record<string, unknown>;
  /** More sections from optional data (for example a 2 x 2 analysis). */
  sections?: ReportSection[];
}

/** The report of a before/after comparison (the main job, `compare`). */
export function comparisonReport(o: ComparisonReportOptions): ReportInput {
  const { comparison: c, gate } = o;
  const names: [string, string] = [o.phases[0].name, o.phases[1].name];
  const { state, reasons } = gate.verdict;
  const change = p95Change(c.baseline, c.optimized, names);
  const count = `${reasons.length} reason${reasons.length === 1 ? "" : "s"} below`;
  const notMade = gate.verdict.notMade ?? [];
  const checksText = notMade.length === 0
    ? "every check holds"
    : `every check made holds (not made: ${notMade.join(", ")})`;
  const headline = state === "pass"
    ? `${phaseNamed(names[1])} meets the SLA (${
      thresholdsText(gate.sla.optimized)
    }) and ${checksText}.${change}`
    : state === "inconclusive"
    ? `${phaseNamed(names[1])} is inconclusive: ${count}.${change}`
    : `${phaseNamed(names[1])} does not pass: ${count}.${change}`;
  return {
    title: `${names[0]} vs ${names[1]}`,
    verdict: { status: state, headline, reasons },
    phases: o.phases,
    slaLines: slaLines(gate.sla.optimized),
    table: summaryTable([
      { name: names[0], summary: c.baseline, sla: gate.sla.baseline },
      { name: names[1], summary: c.optimized, sla: gate.sla.optimized },
    ]),
    checks: Object.entries(c.checks).map(([name, ch]) => {
      const state = checkState(ch);
      return { name, ok: state === "ok", detail: ch.detail, notMade: state === "not_made" };
    }),
    meta: metaRows(o.manifest),
    sections: [...decompositionSections(o.phases), ...(o.sections ?? [])],
  };
}

/** The report of one phase (`run`). */
export function singlePhaseReport(o: {
  phase: ReportPhase;
  summary: PhaseSummary;
  results: ThresholdResult[];
  verdict: Verdict;
  interrupted: boolean;
  manifest: Record<string, unknown>;
  /** More sections (the LLM figures of an `--api` or `--stream` run). */
  sections?: ReportSection[];
}): ReportInput {
  const name = o.phase.name;
  const status = o.interrupted ? "interrupted" : o.verdict.state;
  const headline = status === "interrupted"
    ? `${
      phaseNamed(name)
    } was interrupted after ${o.summary.requests} requests; the figures cover those.`
    : status === "pass"
    ? `${phaseNamed(name)} meets the SLA (${thresholdsText(o.results)}).`
    : status === "inconclusive"
    ? `${phaseNamed(name)} is inconclusive against the SLA (${thresholdsText(o.results)}).`
    : `${phaseNamed(name)} misses the SLA (${thresholdsText(o.results)}).`;
  return {
    title: name,
    verdict: { status, headline, reasons: o.verdict.reasons },
    phases: [o.phase],
    slaLines: slaLines(o.results),
    table: summaryTable([{ name, summary: o.summary, sla: o.results }]),
    checks: [],
    meta: metaRows(o.manifest),
    sections: [...decompositionSections([o.phase]), ...(o.sections ?? [])],
  };
}

/** A report for a job that stopped before its comparison (tests failed, interrupted). */
export function stoppedReport(o: {
  status: "fail" | "interrupted";
  headline: string;
  phases: ReportPhase[];
  manifest: Record<string, unknown>;
}): ReportInput {
  return {
    title: "main job",
    verdict: { status: o.status, headline: o.headline, reasons: [] },
    // A phase that never ran keeps its place (and colour), shown as "No requests".
    phases: o.phases,
    slaLines: [],
    table: null,
    checks: [],
    meta: metaRows(o.manifest),
  };
}

/** Writes the requested reports; returns the names of the files written. */
export async function writeReports(input: ReportInput, to: ReportTargets): Promise<string[]> {
  const written: string[] = [];
  if (to.html) {
    await writeText(to.htmlPath ?? `${to.outDir}/report.html`, renderReportHtml(input));
    written.push("report.html");
  }
  if (to.markdown) {
    const text = formatSummaryMarkdown(input);
    await writeText(`${to.outDir}/summary.md`, text);
    written.push("summary.md");
    if (to.stepSummary) {
      const problem = await appendStepSummary(to.stepSummary, text);
      if (problem) to.err(problem);
    }
  }
  return written;
}
