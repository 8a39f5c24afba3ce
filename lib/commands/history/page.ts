/**
 * `history report`'s page: each metric over the comparable runs, the SLA
 * lines, the change points marked, and on hover the run's time, labels and
 * commit. One self-contained file (the reports' shell: vendored uPlot, a
 * policy that forbids every fetch).
 *
 * @module
 */

import { UPLOT_VERSION } from "../../base/vendor/uplot.ts";
import { escapeHtml, pageShell } from "../../report/html/shell.ts";

/** One metric over the runs. */
export interface TrendMetric {
  name: string;
  /** A value per run (null where a run did not record it). */
  values: (number | null)[];
  sla: { expr: string; value: number }[];
  changes: {
    index: number;
    id: number;
    before: number;
    after: number;
    percent: number | null;
    pValue: number;
  }[];
}

/** The page's data block. */
export interface TrendData {
  title: string;
  key: string;
  method: string;
  runs: { id: number; recordedAt: string; labels: Record<string, string> }[];
  metrics: TrendMetric[];
}

/** The colours the page draws with (the browser test looks for them). */
export const TREND_COLORS = { line: "#0072b2", change: "#c62828", sla: "#111111" } as const;

/** Renders the page. Pure. */
export function renderTrendPage(d: TrendData): string {
  const changes = d.metrics.flatMap((m) =>
    m.changes.map((c) =>
      `<li>${escapeHtml(m.name)}: run #${c.id}, median ${Number(c.before.toFixed(3))} → ${
        Number(c.after.toFixed(3))
      }${
        c.percent === null ? "" : ` (${c.percent >= 0 ? "+" : ""}${c.percent.toFixed(1)}%)`
      }, p = ${Number(c.pValue.toFixed(3))}</li>`
    )
  );
  const sections = d.metrics.map((m, i) =>
    `<section><h2>${escapeHtml(m.name)}</h2><div class="chart" id="chart-${i}"></div></section>`
  ).join("\n");
  return pageShell({
    title: escapeHtml(d.title),
    body: `<h1>${escapeHtml(d.title)}</h1>
<p class="note">${d.runs.length} comparable runs (${escapeHtml(d.key)}). Dashed: the SLA of the
newest run; red: change points (${escapeHtml(d.method)}). Hover a run for its time and labels.</p>
<p class="note" id="hover">&nbsp;</p>
<section id="changes"><h2>Change points</h2><ul>${
      changes.join("") || "<li>none</li>"
    }</ul></section>
${sections}
<footer><p>Plots drawn with uPlot ${UPLOT_VERSION} (MIT license, included in this file). This page fetches nothing from the network.</p></footer>`,
    data: d,
    script: TREND_SCRIPT.replace("__COLORS__", JSON.stringify(TREND_COLORS)),
  });
}

/** Draws a chart a metric from the data block (plain ES2019, runs in the browser). */
const TREND_SCRIPT = String.raw`
(function () {
  "use strict";
  var state = { ready: false, charts: [] };
  window.loadgateReport = state;
  var d = JSON.parse(document.getElementById("loadgate-data").textContent);
  var C = __COLORS__;
  var FONT = '13px system-ui, sans-serif';
  var xs = d.runs.map(function (r, i) { return i + 1; });
  function axis(label) {
    return { label: label, font: FONT, labelFont: "600 " + FONT, stroke: "#333",
      grid: { stroke: "#ebebeb", width: 1 } };
  }
  function describe(m, i) {
    var r = d.runs[i];
    var labels = Object.keys(r.labels).sort().map(function (k) { return k + "=" + r.labels[k]; });
    return "run #" + r.id + " · " + r.recordedAt + (labels.length ? " · " + labels.join(" ") : "") +
      " · " + m.name + " " + (m.values[i] == null ? "none" : +m.values[i].toFixed(3));
  }
  function marks(m) {
    return { hooks: {
      draw: [function (u) {
        var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio;
        ctx.save();
        ctx.font = (12 * px) + "px system-ui, sans-serif";
        ctx.strokeStyle = C.change;
        ctx.fillStyle = C.change;
        ctx.lineWidth = 2 * px;
        m.changes.forEach(function (c) {
          var x = u.valToPos(c.index + 0.5, "x", true);
          ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
          ctx.fillText("change at #" + c.id, x + 4 * px, b.top + 14 * px);
        });
        ctx.setLineDash([8 * px, 5 * px]);
        ctx.strokeStyle = C.sla;
        m.sla.forEach(function (l) {
          var y = u.valToPos(l.value, "y", true);
          if (y < b.top || y > b.top + b.height) return;
          ctx.beginPath(); ctx.moveTo(b.left, y); ctx.lineTo(b.left + b.width, y); ctx.stroke();
          ctx.fillStyle = C.sla;
          ctx.textAlign = "right";
          ctx.fillText("SLA " + l.expr, b.left + b.width - 6 * px, y - 4 * px);
          ctx.textAlign = "left";
        });
        ctx.restore();
      }],
      setCursor: [function (u) {
        var i = u.cursor.idx;
        if (i != null) document.getElementById("hover").textContent = describe(m, i);
      }]
    } };
  }
  try {
    d.metrics.forEach(function (m, k) {
      var el = document.getElementById("chart-" + k);
      var width = Math.max(300, Math.floor(el.getBoundingClientRect().width));
      var values = m.values.filter(function (v) { return v != null; });
      var top = Math.max.apply(null, values.concat(m.sla.map(function (l) { return l.value; })));
      var u = new uPlot({ width: width, height: 260, title: m.name + " by run", plugins: [marks(m)],
        scales: { x: { time: false }, y: { range: [0, top > 0 ? top * 1.1 : 1] } },
        axes: [axis("run (oldest first)"), axis(m.name)],
        series: [{ label: "run" }, { label: m.name, stroke: C.line, width: 2,
          points: { show: true, size: 6 } }] }, [xs, m.values], el);
      state.charts.push(u);
    });
    state.ready = true;
  } catch (e) {
    state.error = String(e);
  }
})();
`;
