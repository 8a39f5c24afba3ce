/**
 * The HTML report's own stylesheet and script, as text to inline. The script
 * reads the JSON data block and draws each plot with uPlot; it runs offline
 * (the page's Content-Security-Policy forbids every fetch) and leaves
 * `window.loadgateReport` (`ready`, `charts`) for the browser test to inspect.
 *
 * Plain ES2019 in a string: it runs in the browser, not in Deno.
 *
 * @module
 */

import { LLM_PAGE_SCRIPT } from "./llm/page.ts";

/** The page's stylesheet (uPlot's own is inlined before it). */
export const PAGE_CSS: string = String.raw`
:root { color-scheme: light; --fg: #1b1b1b; --muted: #5b5b5b; --line: #d9d9d9; --pass: #1a7f37; --fail: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 20px; margin: 0 0 12px; font-weight: 600; }
h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 8px 0 4px; }
p.note { color: var(--muted); margin: 2px 0 10px; max-width: 80ch; }
.verdict { display: flex; gap: 18px; align-items: center; padding: 14px 18px; border-radius: 8px; border: 2px solid; }
.verdict.pass { border-color: var(--pass); background: #eef8f0; }
.verdict.fail, .verdict.interrupted, .verdict.inconclusive { border-color: var(--fail); background: #fdeeee; }
.badge { font-size: 28px; font-weight: 800; letter-spacing: 0.04em; }
.pass .badge { color: var(--pass); }
.fail .badge, .interrupted .badge, .inconclusive .badge { color: var(--fail); }
.verdict p { margin: 0; font-size: 16px; }
.verdict ul { margin: 4px 0 0; padding-left: 20px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #999; }
td.ok { color: var(--pass); font-weight: 600; }
td.bad { color: var(--fail); font-weight: 600; }
ul.checks { list-style: none; padding: 0; margin: 4px 0; }
ul.checks li { margin: 2px 0; }
.tag { display: inline-block; min-width: 3.2em; font-weight: 700; }
.tag.ok { color: var(--pass); }
.tag.bad { color: var(--fail); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 12px 24px; }
.chart { width: 100%; min-height: 40px; }
.chart .u-title { font-size: 14px; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
footer table td { white-space: normal; text-align: left; }
.scroll { overflow-x: auto; max-width: 100%; }
section table th { white-space: normal; vertical-align: bottom; }
`;

/** The page's script: draws every plot from the JSON data block. */
export const PAGE_SCRIPT: string = String.raw`
(function () {
  "use strict";
  var state = { ready: false, charts: [], error: null };
  window.loadgateReport = state;
  var data = JSON.parse(document.getElementById("loadgate-data").textContent);
  var FONT = '13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var LABEL_FONT = "600 " + FONT;
  var SLA_COLOR = "#111111";
  var FAILED_COLOR = "#cc79a7";
  var HEIGHT = 300;

  function fmt(v, digits) {
    return v == null || !isFinite(v) ? "-" : Number(v).toFixed(digits);
  }
  function axis(label, extra) {
    var a = { label: label, font: FONT, labelFont: LABEL_FONT, stroke: "#333", labelSize: 24,
      grid: { stroke: "#ebebeb", width: 1 }, ticks: { stroke: "#bbb", width: 1 } };
    for (var k in extra || {}) a[k] = extra[k];
    return a;
  }
  function widthOf(el) {
    return Math.max(300, Math.floor(el.getBoundingClientRect().width));
  }
  function extent(arrays) {
    var lo = Infinity, hi = -Infinity;
    arrays.forEach(function (xs) {
      for (var i = 0; i < xs.length; i++) {
        var v = xs[i];
        if (v == null) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    });
    return [lo, hi];
  }
  // The nearest 1, 2 or 5 times a power of ten below (or above) v, for log axis ends.
  function niceLog(v, up) {
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = up ? [1, 2, 5, 10] : [10, 5, 2, 1];
    for (var i = 0; i < steps.length; i++) {
      var c = steps[i] * p;
      if (up ? c >= v : c <= v) return c;
    }
    return v;
  }
  // A latency range that also holds the SLA lines; log ranges stay above zero.
  function latencyRange(arrays, log, lines) {
    var e = extent(arrays);
    (lines || data.sla).forEach(function (l) { e[0] = Math.min(e[0], l.ms); e[1] = Math.max(e[1], l.ms); });
    if (!isFinite(e[0])) return log ? [1, 1000] : [0, 1];
    if (log) return [niceLog(Math.max(e[0], 0.001), false), niceLog(e[1] * 1.05, true)];
    return [0, e[1] * 1.08 || 1];
  }

  // A linear latency range from zero; it stretches to hold the SLA lines unless they are
  // more than twice the slowest request (then a note at the edge points to them instead).
  function linearLatencyRange(xs, lines) {
    var hi = extent([xs])[1];
    if (!isFinite(hi)) hi = 1;
    (lines || data.sla).forEach(function (l) { if (l.ms <= 2 * hi) hi = Math.max(hi, l.ms); });
    return [0, hi * 1.08 || 1];
  }

  // Dashed SLA lines: vertical at the threshold on a latency x axis (with a dotted
  // guide at its percentile), or horizontal on a latency y axis. A line outside the
  // plotted range becomes a note at the edge it lies beyond.
  function slaPlugin(latencyAxis, percentileGuide, slaLines) {
    var lines = slaLines || data.sla;
    return { hooks: { draw: [function (u) {
      if (lines.length === 0) return;
      var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio;
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      ctx.strokeStyle = SLA_COLOR;
      ctx.fillStyle = SLA_COLOR;
      ctx.font = (12 * px) + 'px system-ui, sans-serif';
      lines.forEach(function (l, i) {
        var label = "SLA " + l.expr.replace("<=", " \u2264 ").replace(">=", " \u2265 ") + " ms";
        ctx.lineWidth = 2 * px;
        ctx.setLineDash([8 * px, 5 * px]);
        ctx.beginPath();
        var edgeNote = function (text) {
          var w = ctx.measureText(text).width, right = b.left + b.width - 4 * px;
          var baseline = b.top + (16 + 18 * i) * px;
          ctx.fillStyle = "rgba(255,255,255,0.9)";
          ctx.fillRect(right - w - 6 * px, baseline - 13 * px, w + 8 * px, 17 * px);
          ctx.fillStyle = SLA_COLOR;
          ctx.textAlign = "right";
          ctx.fillText(text, right - 2 * px, baseline);
        };
        if (latencyAxis === "x") {
          var x = Math.round(u.valToPos(l.ms, "x", true));
          if (x > b.left + b.width) return edgeNote(label + " lies right of this range \u2192");
          if (x < b.left) return edgeNote("\u2190 " + label + " lies left of this range");
          ctx.moveTo(x, b.top);
          ctx.lineTo(x, b.top + b.height);
          ctx.stroke();
          if (percentileGuide && l.percentile != null) {
            var y = Math.round(u.valToPos(l.percentile, "y", true));
            ctx.lineWidth = 1 * px;
            ctx.setLineDash([2 * px, 3 * px]);
            ctx.beginPath();
            ctx.moveTo(b.left, y);
            ctx.lineTo(b.left + b.width, y);
            ctx.stroke();
          }
          ctx.textAlign = x > b.left + b.width * 0.7 ? "right" : "left";
          ctx.fillText(label, x + (ctx.textAlign === "left" ? 6 : -6) * px, b.top + (16 + 16 * i) * px);
        } else {
          var yy = Math.round(u.valToPos(l.ms, "y", true));
          if (yy < b.top) return edgeNote(label + " lies above this range \u2191");
          if (yy > b.top + b.height) return;
          ctx.moveTo(b.left, yy);
          ctx.lineTo(b.left + b.width, yy);
          ctx.stroke();
          ctx.textAlign = "right";
          ctx.fillText(label, b.left + b.width - 6 * px, yy - 6 * px);
        }
      });
      ctx.restore();
    }] } };
  }

  function place(id, opts, chartData, kind, phase) {
    var el = document.getElementById(id);
    if (!el) return;
    opts.width = widthOf(el);
    opts.height = HEIGHT;
    var u = new uPlot(opts, chartData, el);
    state.charts.push({ id: id, kind: kind, phase: phase, u: u });
  }

  function latencyScale(log, range) {
    return log ? { time: false, distr: 3, log: 10, range: range } : { time: false, range: range };
  }

  // Whether values spanning [lo, hi] (and the SLA lines) want a log axis: over 30x.
  function wantsLog(arrays, lines) {
    var e = extent(arrays);
    lines.forEach(function (l) { if (l.ms > 0) { e[0] = Math.min(e[0], l.ms); e[1] = Math.max(e[1], l.ms); } });
    return isFinite(e[0]) && e[0] > 0 && e[1] / e[0] > 30;
  }

  // A CDF chart: every phase on one chart, each line the share of values at or below x.
  // o: id, kind, phases, cdf(p), label (the x quantity), lines (SLA), log, yLabel.
  function cdfChart(o) {
    var phases = o.phases.filter(function (p) { return o.cdf(p).x.length > 0; });
    if (phases.length === 0) return;
    var tables = phases.map(function (p) { return [o.cdf(p).x, o.cdf(p).y]; });
    var joined = tables.length > 1 ? uPlot.join(tables) : tables[0];
    var xr = latencyRange(phases.map(function (p) { return o.cdf(p).x; }), o.log, o.lines);
    place(o.id, {
      scales: { x: latencyScale(o.log, xr), y: { range: [0, 100] } },
      axes: [axis(o.label + " (ms" + (o.log ? ", log scale)" : ")")), axis(o.yLabel)],
      series: [{ label: o.label, value: function (u, v) { return fmt(v, 1) + " ms"; } }].concat(
        phases.map(function (p) {
          return { label: p.name, stroke: p.color, width: 2, spanGaps: true,
            paths: uPlot.paths.stepped({ align: 1 }), points: { show: false },
            value: function (u, v) { return fmt(v, 2) + " %"; } };
        })),
      plugins: [slaPlugin("x", true, o.lines)],
    }, joined, o.kind, null);
  }

  // Latency CDF: every phase on one chart.
  function drawCdf() {
    cdfChart({ id: "chart-cdf", kind: "cdf", phases: data.phases, lines: data.sla,
      cdf: function (p) { return p.cdf; }, label: "latency", log: data.logLatency,
      yLabel: "requests at or below (%)" });
  }

  function centers(bins) {
    return bins.counts.map(function (_, i) { return bins.start + (i + 0.5) * bins.width; });
  }

  // One bar chart per phase: a histogram of latency, or throughput over time.
  function drawBars(kind, p, i) {
    var bins = kind === "histogram" ? p.histogram : p.throughput;
    if (bins.counts.length === 0) return;
    var values = kind === "histogram" ? bins.counts : bins.rates;
    var end = bins.start + bins.counts.length * bins.width;
    var hist = kind === "histogram";
    place("chart-" + kind + "-" + i, {
      scales: { x: { time: false, range: [bins.start, end] }, y: { range: function (u, lo, hi) { return [0, hi * 1.1 || 1]; } } },
      axes: [
        axis(hist ? "latency (ms)" : "completion time since the phase started (s)"),
        axis(hist ? "requests" : "throughput (req/s)", { size: 60 }),
      ],
      series: [
        { label: hist ? "bin centre" : "time",
          value: function (u, v) { return v == null ? "-" : fmt(v, hist ? 1 : 3) + (hist ? " ms" : " s"); } },
        { label: p.name, stroke: p.color, fill: p.color + "cc", width: 1,
          paths: uPlot.paths.bars({ size: [0.92, Infinity], gap: 1 }), points: { show: false },
          value: function (u, v) { return v == null ? "-" : fmt(v, hist ? 0 : 1) + (hist ? " requests" : " req/s"); } },
      ],
      plugins: hist ? [slaPlugin("x", false)] : [],
    }, [centers(bins), values], kind, p.name);
  }

  // Each request as a point by send time; failed requests in their own colour.
  function drawScatter(p, i) {
    var s = p.scatter;
    if (s.t.length === 0) return;
    var okMs = [], failMs = [];
    for (var k = 0; k < s.t.length; k++) {
      okMs.push(s.ok[k] ? s.ms[k] : null);
      failMs.push(s.ok[k] ? null : s.ms[k]);
    }
    var lastT = s.t[s.t.length - 1];
    var series = [
      { label: "sent at", value: function (u, v) { return fmt(v, 3) + " s"; } },
      { label: p.name + " (succeeded)", stroke: p.color, fill: p.color, width: 0,
        paths: function () { return null; }, points: { show: true, size: 5, width: 0, fill: p.color, stroke: p.color },
        value: function (u, v) { return fmt(v, 1) + " ms"; } },
    ];
    var chartData = [s.t, okMs];
    if (p.failed > 0) {
      series.push({ label: p.name + " (failed)", stroke: FAILED_COLOR, fill: FAILED_COLOR, width: 0,
        paths: function () { return null; }, points: { show: true, size: 7, width: 0, fill: FAILED_COLOR, stroke: FAILED_COLOR },
        value: function (u, v) { return fmt(v, 1) + " ms"; } });
      chartData.push(failMs);
    }
    place("chart-scatter-" + i, {
      scales: { x: { time: false, range: [0, Math.max(lastT * 1.02, 0.001)] },
        y: { range: linearLatencyRange(s.ms) } },
      axes: [axis("send time since the phase started (s)"), axis("latency (ms)", { size: 60 })],
      series: series,
      plugins: [slaPlugin("y", false)],
    }, chartData, "scatter", p.name);
  }

${LLM_PAGE_SCRIPT}
  try {
    drawCdf();
    data.phases.forEach(function (p, i) {
      drawBars("histogram", p, i);
      drawScatter(p, i);
      drawBars("throughput", p, i);
    });
    if (data.llm) drawLlm(data.llm);
    if (data.lag) drawLag(data.lag);
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        state.charts.forEach(function (c) {
          c.u.setSize({ width: widthOf(document.getElementById(c.id)), height: HEIGHT });
        });
      });
    });
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
  } catch (e) {
    state.error = String(e && e.stack || e);
    var note = document.getElementById("script-error");
    if (note) note.textContent = "The plots could not be drawn: " + e;
    throw e;
  }
})();
`;
