/**
 * `report.html`: one self-contained file that opens offline. The verdict
 * comes first, then the summary table and checks, then the plots (latency
 * CDF with the SLA line, histograms, each request by send time, throughput
 * over time), then optional sections (tables from further analysis) and
 * what produced the run.
 *
 * uPlot (vendored in `vendor/uplot.ts`) and the page script are inlined; the
 * data is a JSON block. A Content-Security-Policy forbids every network
 * fetch, so the page cannot reach out even by mistake.
 *
 * @module
 */

import { UPLOT_VERSION } from "../../base/vendor/uplot.ts";
import { type ChartData, chartData, type SlaLine, type TableData } from "./data.ts";
import { PAGE_SCRIPT } from "./page.ts";
import { lagCharts, type LagPhase, type LlmCharts, llmCharts } from "./llm/data.ts";
import { llmPlotSections } from "./llm/sections.ts";
import { escapeHtml, pageShell } from "./shell.ts";

export { CSP, escapeHtml, inlineScript, scriptJson } from "./shell.ts";
import type { Sample } from "../../stats/sample.ts";

/** One phase of the report. */
export interface ReportPhase {
  name: string;
  /** How it ran, for example "serialized stub, fresh connections". */
  detail: string;
  samples: readonly Sample[];
}

/** A section added from optional data (a decomposition, a 2 x 2 table, ...). */
export interface ReportSection {
  /** Anchor id, letters, digits and dashes. */
  id: string;
  title: string;
  /** A sentence under the title saying how to read the table. */
  note?: string;
  table: TableData;
  /** Also shown in summary.md. */
  markdown?: boolean;
}

/** What the report shows. */
export interface ReportInput {
  /** For example "baseline vs optimized". */
  title: string;
  verdict: {
    status: "pass" | "fail" | "inconclusive" | "interrupted";
    /** One sentence: what the verdict means for this run. */
    headline: string;
    /** Why it failed, one line each. */
    reasons: string[];
  };
  /** Zero, one or two phases; with two, the second is the one gated. */
  phases: ReportPhase[];
  /** SLA thresholds drawn on the latency plots. */
  slaLines: SlaLine[];
  /** The summary table as text cells, header first (`summaryTable()`), or null. */
  table: string[][] | null;
  /** Each check; `notMade` when it could not be made (shown as such, never as ok). */
  checks: { name: string; ok: boolean; detail: string; notMade?: boolean }[];
  /** Provenance rows: tool version, seed, load, start time, ... */
  meta: [string, string][];
  /** Extra sections, shown after the plots in this order. */
  sections?: ReportSection[];
}

function tableHtml(rows: readonly (readonly (string | number | null)[])[], header = true): string {
  const cell = (v: string | number | null, tag: string) => {
    const text = v === null ? "-" : String(v);
    const cls = /^pass\b|^ok$/.test(text)
      ? ' class="ok"'
      : /^FAIL\b/.test(text)
      ? ' class="bad"'
      : "";
    return `<${tag}${cls}>${escapeHtml(text)}</${tag}>`;
  };
  const [head, ...body] = header ? rows : [[], ...rows];
  return `<div class="scroll"><table>${
    header && head ? `<thead><tr>${head.map((v) => cell(v, "th")).join("")}</tr></thead>` : ""
  }<tbody>${
    body.map((r) => `<tr>${r.map((v) => cell(v, "td")).join("")}</tr>`).join("")
  }</tbody></table></div>`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function perPhase(
  data: ChartData,
  kind: "histogram" | "scatter" | "throughput",
  caption: (p: ChartData["phases"][number]) => string,
  phases: readonly ReportPhase[],
): string {
  if (data.phases.length === 0) return `<p class="empty">No requests to plot.</p>`;
  return `<div class="grid">${
    data.phases.map((p, i) =>
      `<div><h3>${escapeHtml(p.name)}${
        phases[i]?.detail ? ` <small>(${escapeHtml(phases[i]!.detail)})</small>` : ""
      }</h3>${p.requests > 0 ? `<p class="note">${escapeHtml(caption(p))}</p>` : ""}${
        p.requests > 0
          ? `<div class="chart" id="chart-${kind}-${i}"></div>`
          : `<p class="empty">No requests.</p>`
      }</div>`
    ).join("")
  }</div>`;
}

/** The page's data block: the latency plots', the LLM plots' and the schedule lag's. */
type PageData = ChartData & { llm: LlmCharts | null; lag: LagPhase[] | null };

/** The data of every plot: latency, and (when the samples hold them) LLM and schedule lag. */
function pageData(input: ReportInput): PageData {
  const data = chartData(input.phases, input.slaLines);
  const plotted = input.phases.map((p, i) => ({
    name: p.name,
    color: data.phases[i]!.color,
    samples: p.samples,
  }));
  return { ...data, llm: llmCharts(plotted, input.slaLines), lag: lagCharts(plotted) };
}

/** Renders the report as one HTML document. Pure. */
export function renderReportHtml(input: ReportInput): string {
  const data = pageData(input);
  const sections = [
    verdictSection(input.verdict),
    ...summarySection(input),
    ...(input.phases.length > 0
      ? [...plotSections(data, input.phases), ...llmPlotSections(data.llm, data.lag)]
      : []),
    ...(input.sections ?? []).map(extraSection),
  ];
  return page(input, data, sections);
}

function verdictSection(v: ReportInput["verdict"]): string {
  return `<section class="verdict ${v.status}" id="verdict">
<div class="badge">${v.status.toUpperCase()}</div>
<div><p class="headline">${escapeHtml(v.headline)}</p>${
    v.reasons.length > 0
      ? `<ul>${v.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>`
      : ""
  }</div>
</section>`;
}

function summarySection(input: ReportInput): string[] {
  if (!input.table && input.checks.length === 0) return [];
  return [
    `<section id="summary"><h2>Summary</h2>${input.table ? tableHtml(input.table) : ""}${
      input.checks.length > 0
        ? `<ul class="checks">${
          input.checks.map((c) =>
            `<li><span class="tag ${c.notMade ? "" : c.ok ? "ok" : "bad"}">${
              c.notMade ? "not made" : c.ok ? "ok" : "FAIL"
            }</span> ${escapeHtml(c.name.replace(/_/g, " "))}: ${escapeHtml(c.detail)}</li>`
          ).join("")
        }</ul>`
        : ""
    }</section>`,
  ];
}

function plotSections(data: ChartData, phases: readonly ReportPhase[]): string[] {
  const slaText = data.sla.map((l) => l.expr).join(", ");
  const subsampled = data.phases.filter((p) => p.scatter.t.length < p.scatter.total);
  const above = (p: ChartData["phases"][number]) =>
    data.sla.map((l, j) => `${p.aboveSla[j]} of ${p.requests} above ${l.ms} ms (${l.expr})`)
      .join("; ");
  return [
    `<section id="cdf"><h2>Latency distribution</h2>
<p class="note">For each latency, the share of requests that took at most that long (all requests, failed ones at their measured latency). ${
      data.sla.length > 0
        ? `Dashed: the SLA (${
          escapeHtml(slaText)
        }); a percentile threshold holds when the line crosses its dotted level left of the dashed line.`
        : ""
    }</p>
<div class="chart" id="chart-cdf"></div></section>`,
    `<section id="histograms"><h2>Latency histograms</h2>${
      perPhase(data, "histogram", (p) =>
        `${
          plural(p.requests, "request")
        } in ${p.histogram.counts.length} bins of ${p.histogram.width} ms${
          data.sla.length > 0 ? `; ${above(p)}` : ""
        }.`, phases)
    }</section>`,
    `<section id="over-time"><h2>Latency of each request over the run</h2>
<p class="note">One point per request, at the time it was sent${
      data.sla.length > 0 ? "; dashed: the SLA" : ""
    }.${
      subsampled.length > 0
        ? ` Phases over ${subsampled[0]!.scatter.t.length} requests show an even subsample.`
        : ""
    }</p>${
      perPhase(data, "scatter", (p) =>
        `${plural(p.scatter.t.length, "point")}${
          p.scatter.t.length < p.scatter.total ? ` of ${p.scatter.total} requests` : ""
        }${p.failed > 0 ? `; ${p.failed} failed, drawn in pink` : ""}.`, phases)
    }</section>`,
    `<section id="throughput"><h2>Throughput over the run</h2>${
      perPhase(data, "throughput", (p) =>
        `Requests completed per second, in bins of ${p.throughput.width} s.`, phases)
    }</section>`,
  ];
}

function extraSection(s: ReportSection): string {
  const id = s.id.replace(/[^A-Za-z0-9-]/g, "-");
  return `<section id="${id}"><h2>${escapeHtml(s.title)}</h2>${
    s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ""
  }${tableHtml([s.table.columns, ...s.table.rows])}</section>`;
}

function page(input: ReportInput, data: PageData, sections: readonly string[]): string {
  const badge = input.verdict.status.toUpperCase();
  return pageShell({
    title: `loadgate ${badge}: ${escapeHtml(input.title)}`,
    body: `<h1>loadgate report: ${escapeHtml(input.title)}</h1>
<noscript><p class="note">The plots need JavaScript; the tables below do not.</p></noscript>
<p class="note" id="script-error"></p>
${sections.join("\n")}
<footer>
<h2>About this run</h2>
${tableHtml(input.meta, false)}
<p>Plots drawn with uPlot ${UPLOT_VERSION} (MIT license, included in this file). This page fetches nothing from the network.</p>
</footer>`,
    data,
    script: PAGE_SCRIPT,
    ...(input.phases.length === 1 ? { phase: input.phases[0]!.name } : {}),
  });
}
