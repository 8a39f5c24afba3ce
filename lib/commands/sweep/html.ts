/**
 * A sweep's `report.html`: the gate's verdict, the capacity and the knee,
 * then latency (P50/P95/P99) against the offered load with the SLA lines and
 * the capacity marked, achieved against offered throughput, and the error
 * rate of each step; for streamed steps, TTFT, TPOT and ITL against the
 * offered load (with their SLA lines) and output tokens/s; then the table of
 * steps. One self-contained file, with
 * the vendored uPlot and the run report's stylesheet and security policy.
 *
 * @module
 */

import { UPLOT_VERSION } from "../../base/vendor/uplot.ts";
import { escapeHtml, pageShell } from "../../report/html/shell.ts";
import type { SlaLine, StreamMetric } from "../../report/html/data.ts";
import type { SweepJson, SweepStepJson } from "../shared/result_json.ts";
import { capacityLines, sweepTable } from "./text.ts";

/** What the page script plots, by ascending load. */
interface SweepPlotData {
  unit: string;
  load: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  achieved: number[];
  errorPct: number[];
  sla: SlaLine[];
  capacity: number | null;
  lowestFailed: number | null;
  knee: number | null;
  /** Streamed steps: TTFT, TPOT and ITL percentiles, output tokens/s, each metric's SLA lines. */
  llm: SweepLlmPlot | null;
}

type Pcts = { p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[] };

/** What the LLM plots of a sweep draw, by ascending load. */
interface SweepLlmPlot {
  ttft: Pcts;
  tpot: Pcts;
  itl: Pcts;
  tokensPerS: (number | null)[];
  sla: Record<StreamMetric, SlaLine[]>;
}

/** The LLM plots' data; null when no step streamed. */
function llmPlot(steps: readonly SweepStepJson[], sla: readonly SlaLine[]): SweepLlmPlot | null {
  if (!steps.some((s) => s.llm)) return null;
  const pcts = (key: StreamMetric): Pcts => ({
    p50: steps.map((s) => s.llm?.[key].p50 ?? null),
    p95: steps.map((s) => s.llm?.[key].p95 ?? null),
    p99: steps.map((s) => s.llm?.[key].p99 ?? null),
  });
  const lines = (key: StreamMetric) => sla.filter((l) => l.metric === key);
  return {
    ttft: pcts("ttft"),
    tpot: pcts("tpot"),
    itl: pcts("itl"),
    tokensPerS: steps.map((s) => s.llm?.output_tokens_per_s ?? null),
    sla: { ttft: lines("ttft"), tpot: lines("tpot"), itl: lines("itl") },
  };
}

/** The sections of the LLM plots (when any step streamed). */
function llmSections(j: SweepJson): string {
  if (!j.steps.some((s) => s.llm)) return "";
  const chart = (id: string) => `<div><div class="chart" id="${id}"></div></div>`;
  return `<section id="llm-latency"><h2>TTFT, TPOT and ITL against offered load</h2>
<p class="note">P50, P95 and P99 of each step (ms, successful requests, vLLM's definitions); dashed: the SLA on that metric; green: the capacity at the SLA.</p>
<div class="grid">${chart("chart-ttft")}${chart("chart-tpot")}${chart("chart-itl")}</div></section>
<section id="llm-tokens"><h2>Output tokens per second against offered load</h2>
<p class="note">Output tokens of each step's successful requests over its duration.</p>
<div class="chart" id="chart-tokens"></div></section>`;
}

/** Renders report.html of a sweep. Pure. */
export function renderSweepHtml(j: SweepJson, sla: readonly SlaLine[]): string {
  const steps = [...j.steps].sort((a, b) => a.load - b.load);
  const data: SweepPlotData = {
    unit: j.unit,
    load: steps.map((s) => s.load),
    p50: steps.map((s) => s.p50),
    p95: steps.map((s) => s.p95),
    p99: steps.map((s) => s.p99),
    achieved: steps.map((s) => s.achieved_rate),
    errorPct: steps.map((s) => 100 * s.error_rate),
    sla: sla.filter((l) => l.metric === undefined),
    capacity: j.capacity,
    lowestFailed: j.lowest_failed,
    knee: j.knee.load,
    llm: llmPlot(steps, sla),
  };
  const status = j.verdict === "none" ? "none" : j.verdict;
  const badge = j.verdict === "none" ? "NO GATE" : j.verdict.toUpperCase();
  const table = sweepTable(j);
  return pageShell({
    title: `loadgate sweep ${escapeHtml(badge)}`,
    body: `<h1>loadgate sweep: ${escapeHtml(j.url)}</h1>
<section class="verdict ${status}" id="verdict"><div class="badge">${escapeHtml(badge)}</div>
<div><p class="headline">${
      escapeHtml(
        j.gate ? j.gate.reason : "No --min-capacity gate: the capacity below is a measurement.",
      )
    }</p>
<ul>${capacityLines(j).map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul></div></section>
<section id="latency"><h2>Latency against offered load</h2>
<p class="note">P50, P95 and P99 of each step (ms, from the send); dashed: the SLA (${
      escapeHtml(j.sla.join(", ") || "none")
    }); green: the capacity at the SLA (the highest load that passed), shaded up to the lowest that failed.</p>
<div class="chart" id="chart-latency"></div></section>
<section id="throughput"><h2>Achieved against offered throughput</h2>
<p class="note">Completed requests per second of each step; dotted: achieved = offered.</p>
<div class="chart" id="chart-throughput"></div></section>
<section id="errors"><h2>Error rate of each step</h2><div class="chart" id="chart-errors"></div></section>
${llmSections(j)}
<section id="steps"><h2>Steps</h2><div class="scroll"><table><thead><tr>${
      table[0]!.map((c) => `<th>${escapeHtml(c)}</th>`).join("")
    }</tr></thead><tbody>${
      table.slice(1).map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
        .join("")
    }</tbody></table></div></section>
<footer><p>Plots drawn with uPlot ${UPLOT_VERSION} (MIT license, included in this file). This page fetches nothing from the network. Each step's log and summary are in its folder.</p></footer>`,
    data,
    script: SWEEP_SCRIPT,
  });
}

/** Draws the three plots from the data block (plain ES2019, runs in the browser). */
const SWEEP_SCRIPT = String.raw`
(function () {
  "use strict";
  var state = { ready: false, charts: [] };
  window.loadgateReport = state;
  var d = JSON.parse(document.getElementById("loadgate-data").textContent);
  var FONT = '13px system-ui, sans-serif';
  function axis(label) {
    return { label: label, font: FONT, labelFont: "600 " + FONT, stroke: "#333",
      grid: { stroke: "#ebebeb", width: 1 } };
  }
  function marks(lines) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio;
      ctx.save();
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      if (d.capacity != null) {
        var x0 = u.valToPos(d.capacity, "x", true);
        if (d.lowestFailed != null) {
          ctx.fillStyle = "rgba(0,0,0,0.06)";
          ctx.fillRect(x0, b.top, u.valToPos(d.lowestFailed, "x", true) - x0, b.height);
        }
        ctx.strokeStyle = "#1a7f37";
        ctx.lineWidth = 2 * px;
        ctx.beginPath(); ctx.moveTo(x0, b.top); ctx.lineTo(x0, b.top + b.height); ctx.stroke();
        ctx.fillStyle = "#1a7f37";
        ctx.font = "600 " + (12 * px) + "px system-ui, sans-serif";
        ctx.fillText("capacity " + d.capacity, x0 + 4 * px, b.top + 14 * px);
      }
      ctx.setLineDash([8 * px, 5 * px]);
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 2 * px;
      (lines || []).forEach(function (l) {
        var y = u.valToPos(l.ms, "y", true);
        if (y < b.top || y > b.top + b.height) return;
        ctx.beginPath(); ctx.moveTo(b.left, y); ctx.lineTo(b.left + b.width, y); ctx.stroke();
        ctx.fillStyle = "#111";
        ctx.font = (12 * px) + "px system-ui, sans-serif";
        ctx.fillText("SLA " + l.expr, b.left + 6 * px, y - 4 * px);
      });
      ctx.restore();
    }] } };
  }
  function chart(id, title, yLabel, series, data, lines) {
    var el = document.getElementById(id);
    var width = Math.max(300, Math.floor(el.getBoundingClientRect().width));
    var s = [{ label: "offered (" + d.unit + ")" }].concat(series);
    var u = new uPlot({ width: width, height: 300, title: title, plugins: [marks(lines)],
      scales: { x: { time: false } },
      axes: [axis("offered load (" + d.unit + ")"), axis(yLabel)], series: s }, data, el);
    state.charts.push(u);
  }
  try {
    chart("chart-latency", "Latency by step", "ms", [
      { label: "p50", stroke: "#0072b2", width: 2, points: { show: true } },
      { label: "p95", stroke: "#d55e00", width: 2, points: { show: true } },
      { label: "p99", stroke: "#cc79a7", width: 2, points: { show: true } }
    ], [d.load, d.p50, d.p95, d.p99], d.sla);
    chart("chart-throughput", "Throughput by step", "req/s", [
      { label: "achieved", stroke: "#0072b2", width: 2, points: { show: true } },
      { label: "offered", stroke: "#999", dash: [2, 4], width: 1 }
    ], [d.load, d.achieved, d.unit === "req/s" ? d.load : d.load.map(function () { return null; })], []);
    chart("chart-errors", "Error rate by step", "% failed", [
      { label: "errors %", stroke: "#c62828", width: 2, points: { show: true } }
    ], [d.load, d.errorPct], []);
    if (d.llm) {
      [["ttft", "TTFT"], ["tpot", "TPOT"], ["itl", "ITL"]].forEach(function (m) {
        var q = d.llm[m[0]];
        chart("chart-" + m[0], m[1] + " by step", m[1] + " (ms)", [
          { label: m[0] + " p50", stroke: "#0072b2", width: 2, points: { show: true } },
          { label: m[0] + " p95", stroke: "#d55e00", width: 2, points: { show: true } },
          { label: m[0] + " p99", stroke: "#cc79a7", width: 2, points: { show: true } }
        ], [d.load, q.p50, q.p95, q.p99], d.llm.sla[m[0]]);
      });
      chart("chart-tokens", "Output tokens/s by step", "output tokens/s", [
        { label: "output tok/s", stroke: "#009e73", width: 2, points: { show: true } }
      ], [d.load, d.llm.tokensPerS], []);
    }
    state.ready = true;
  } catch (e) {
    state.error = String(e);
  }
})();
`;
