/**
 * The part of the report's page script that draws the LLM plots from
 * `data.llm` and the schedule lag from `data.lag` (built by ./data.ts): every
 * phase on one chart each, so a comparison shows both. It is inlined into the
 * page script (../page.ts) and uses its helpers (`place`, `axis`, `fmt`,
 * `cdfChart`, `slaPlugin`, `wantsLog`, `linearLatencyRange`).
 *
 * Plain ES2019 in a string: it runs in the browser, not in Deno.
 *
 * @module
 */

/** Functions `drawLlm(llm)` and `drawLag(lag)`, for the page script's scope. */
export const LLM_PAGE_SCRIPT: string = String.raw`
  var STREAM = { ttft: "TTFT", tpot: "TPOT", itl: "ITL" };

  // Points of several phases on one chart (x ascending in each); null where a phase has none.
  function pointsChart(id, kind, phases, xy, xLabel, yLabel, lines) {
    phases = phases.filter(function (p) { return xy(p)[0].length > 0; });
    if (phases.length === 0) return;
    var tables = phases.map(function (p) { return xy(p); });
    var joined = tables.length > 1 ? uPlot.join(tables) : tables[0];
    var ys = [], lastT = 0;
    phases.forEach(function (p) {
      var t = xy(p);
      ys.push(t[1].filter(function (v) { return v != null; }));
      lastT = Math.max(lastT, t[0][t[0].length - 1]);
    });
    place(id, {
      scales: { x: { time: false, range: [0, Math.max(lastT * 1.02, 0.001)] },
        y: { range: linearLatencyRange([].concat.apply([], ys), lines) } },
      axes: [axis(xLabel), axis(yLabel, { size: 60 })],
      series: [{ label: "time", value: function (u, v) { return fmt(v, 3) + " s"; } }].concat(
        phases.map(function (p) {
          return { label: p.name, stroke: p.color, fill: p.color, width: 0,
            paths: function () { return null; },
            points: { show: true, size: 5, width: 0, fill: p.color, stroke: p.color },
            value: function (u, v) { return fmt(v, 1) + " ms"; } };
        })),
      plugins: [slaPlugin("y", false, lines)],
    }, joined, kind, null);
  }

  // Bars of several phases in the same bins: side by side when there are two.
  function binsChart(id, kind, phases, counts, xs, xLabel, yLabel, unit, digits) {
    phases = phases.filter(function (p) { return counts(p).length > 0; });
    if (phases.length === 0) return;
    var n = Math.max.apply(null, phases.map(function (p) { return counts(p).length; }));
    var x = xs.slice(0, n);
    var two = phases.length > 1;
    place(id, {
      scales: { x: { time: false, range: [x[0] - (x[1] - x[0] || 1) / 2, x[n - 1] + (x[1] - x[0] || 1) / 2] },
        y: { range: function (u, lo, hi) { return [0, hi * 1.1 || 1]; } } },
      axes: [axis(xLabel), axis(yLabel, { size: 60 })],
      series: [{ label: xLabel, value: function (u, v) { return fmt(v, 1); } }].concat(
        phases.map(function (p, i) {
          return { label: p.name, stroke: p.color, fill: p.color + "cc", width: 1, points: { show: false },
            paths: uPlot.paths.bars({ size: [two ? 0.46 : 0.92, Infinity], gap: 1, align: two ? (i === 0 ? -1 : 1) : 0 }),
            value: function (u, v) { return v == null ? "-" : fmt(v, digits) + " " + unit; } };
        })),
    }, [x].concat(phases.map(function (p) {
      var c = counts(p).slice();
      while (c.length < n) c.push(0);
      return c;
    })), kind, null);
  }

  function centersOf(start, width, n) {
    var xs = [];
    for (var i = 0; i < n; i++) xs.push(start + (i + 0.5) * width);
    return xs;
  }

  function drawLlm(llm) {
    ["ttft", "tpot", "itl"].forEach(function (key) {
      var cdfOf = function (p) { return p[key]; };
      cdfChart({ id: "chart-" + key + "-cdf", kind: key + "-cdf", phases: llm.phases,
        cdf: cdfOf, label: STREAM[key], lines: llm.sla[key],
        log: wantsLog(llm.phases.map(function (p) { return p[key].x; }), llm.sla[key]),
        yLabel: (key === "itl" ? "gaps" : "requests") + " at or below (%)" });
    });
    ["ttft", "tpot"].forEach(function (key) {
      pointsChart("chart-" + key + "-time", key + "-time", llm.phases,
        function (p) { return [p.perRequest.t, p.perRequest[key]]; },
        "send time since the phase started (s)", STREAM[key] + " (ms)", llm.sla[key]);
    });
    var longest = Math.max.apply(null, llm.phases.map(function (p) { return p.tokensPerS.length; }));
    binsChart("chart-tokens-time", "tokens-time", llm.phases, function (p) { return p.tokensPerS; },
      centersOf(0, llm.tokensWidth, longest), "completion time since the phase started (s)",
      "output tokens/s", "tok/s", 1);
    [["input", llm.inputBins], ["output", llm.outputBins]].forEach(function (io) {
      var key = io[0] + "Lengths";
      var n = Math.max.apply(null, llm.phases.map(function (p) { return p[key].length; }));
      binsChart("chart-" + io[0] + "-lengths", io[0] + "-lengths", llm.phases,
        function (p) { return p[key]; }, centersOf(io[1].start, io[1].width, n),
        io[0] + " length (tokens)", "requests", "requests", 0);
    });
  }

  function drawLag(lag) {
    pointsChart("chart-lag", "lag", lag, function (p) { return [p.t, p.lagMs]; },
      "scheduled time since the phase started (s)", "schedule lag (ms)", []);
  }
`;
