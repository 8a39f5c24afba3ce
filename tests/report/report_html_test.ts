import assert from "node:assert/strict";
import {
  escapeHtml,
  renderReportHtml,
  type ReportInput,
  scriptJson,
} from "../../lib/report/html/report.ts";
import {
  UPLOT_JS,
  UPLOT_JS_SHA256,
  UPLOT_LICENSE,
  UPLOT_VERSION,
} from "../../lib/base/vendor/uplot.ts";
import { sha256Hex } from "../../lib/base/hash.ts";
import { makeSample } from "../_helpers.ts";

const HOSTILE = "</script><script>alert(1)</script>";

function input(over: Partial<ReportInput> = {}): ReportInput {
  const samples = (base: number) =>
    Array.from(
      { length: 12 },
      (_, i) =>
        makeSample({
          requestId: i,
          latencyMs: base + i,
          ok: i !== 3,
          error: i === 3 ? "timeout" : "",
        }),
    );
  return {
    title: "baseline vs optimized",
    verdict: {
      status: "fail",
      headline: "Optimized does not pass.",
      reasons: ["SLA p95<=800 missed"],
    },
    phases: [
      { name: "baseline", detail: "serialized stub", samples: samples(900) },
      { name: "optimized", detail: HOSTILE, samples: samples(10) },
    ],
    slaLines: [{ expr: "p95<=800", ms: 800, percentile: 95 }],
    table: [["", "baseline", "optimized"], ["p95 (ms)", "1000.0", "20.0"], [
      "SLA p95<=800",
      "FAIL (1000)",
      "pass (20)",
    ]],
    checks: [{ name: "outputs_identical", ok: true, detail: "12 outputs compared" }],
    meta: [["seed", "42"]],
    ...over,
  };
}

/** The JSON data block of a rendered report. */
function dataOf(html: string) {
  const m = /<script id="loadgate-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  assert.ok(m, "data block present");
  return JSON.parse(m[1]!);
}

Deno.test("the report loads nothing from outside: no external src or href, a CSP that forbids fetches", () => {
  const html = renderReportHtml(input());
  assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]*\s(src|href)=/i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /@import|url\(\s*['"]?https?:/i);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'none'/);
});

Deno.test("the report embeds uPlot with its license, unedited", async () => {
  const html = renderReportHtml(input());
  assert.ok(html.includes(UPLOT_JS));
  assert.ok(html.includes(UPLOT_LICENSE.split("\n")[2]!), "copyright line kept");
  assert.equal(await sha256Hex(new TextEncoder().encode(UPLOT_JS)), UPLOT_JS_SHA256);
  assert.match(html, new RegExp(`uPlot ${UPLOT_VERSION.replace(/\./g, "\\.")}`));
});

Deno.test("the verdict comes first, then the table, then the plots", () => {
  const html = renderReportHtml(input());
  const at = (s: string) => html.indexOf(s);
  assert.ok(at('id="verdict"') > 0);
  assert.ok(at('id="verdict"') < at('id="summary"'));
  assert.ok(at('id="summary"') < at('id="chart-cdf"'));
  assert.ok(at('id="chart-cdf"') < at('id="chart-histogram-0"'));
  assert.ok(at('id="chart-histogram-1"') < at('id="chart-scatter-0"'));
  assert.ok(at('id="chart-scatter-1"') < at('id="chart-throughput-0"'));
  assert.match(html, /<div class="badge">FAIL<\/div>/);
  assert.match(html, /<td class="bad">FAIL \(1000\)<\/td><td class="ok">pass \(20\)<\/td>/);
});

Deno.test("text from the data is escaped: a hostile phase detail cannot end a script or add markup", () => {
  const html = renderReportHtml(input());
  assert.ok(!html.includes(HOSTILE));
  assert.ok(html.includes(escapeHtml(HOSTILE)));
  assert.equal(scriptJson({ a: HOSTILE }).includes("</"), false);
  assert.equal(JSON.parse(scriptJson({ a: HOSTILE, b: "\u2028" })).a, HOSTILE);
  // Only the three scripts of the page end a script element.
  assert.equal(html.match(/<\/script>/g)?.length, 3);
});

Deno.test("the data block holds every request of each phase for the plots", () => {
  const data = dataOf(renderReportHtml(input()));
  assert.equal(data.phases.length, 2);
  for (const p of data.phases) {
    assert.equal(p.scatter.t.length, 12);
    assert.equal(p.scatter.ok.filter((x: number) => x === 0).length, 1);
    assert.equal(p.histogram.counts.reduce((a: number, b: number) => a + b), 12);
    assert.equal(p.cdf.x.length, 12);
  }
  assert.deepEqual(data.sla, [{ expr: "p95<=800", ms: 800, percentile: 95 }]);
});

Deno.test("extra sections from optional data render as tables after the plots", () => {
  const html = renderReportHtml(input({
    sections: [{
      id: "two-by-two",
      title: "2 x 2: which change buys what",
      note: "P95 in ms.",
      table: {
        columns: ["", "fresh", "pooled"],
        rows: [["serialized", 1100, 1050], ["concurrent", 60, 45]],
      },
    }],
  }));
  assert.match(html, /<section id="two-by-two"><h2>2 x 2: which change buys what<\/h2>/);
  assert.match(html, /<td>concurrent<\/td><td>60<\/td><td>45<\/td>/);
  assert.ok(html.indexOf('id="two-by-two"') > html.indexOf('id="chart-throughput-1"'));
});

Deno.test("a phase without requests keeps its colour and says so instead of plotting", () => {
  const base = input();
  const html = renderReportHtml({
    ...base,
    phases: [base.phases[0]!, { ...base.phases[1]!, samples: [] }],
  });
  const data = dataOf(html);
  assert.deepEqual(data.phases.map((p: { color: string }) => p.color), ["#d55e00", "#0072b2"]);
  assert.ok(html.includes('id="chart-histogram-0"'));
  assert.ok(!html.includes('id="chart-histogram-1"'));
  assert.equal(html.match(/<p class="empty">No requests\.<\/p>/g)?.length, 3);
});

Deno.test("a report without phases still opens and says so", () => {
  const html = renderReportHtml(input({ phases: [], table: null, checks: [] }));
  assert.match(html, /<div class="badge">FAIL<\/div>/);
  assert.ok(!html.includes('id="chart-cdf"'));
  assert.deepEqual(dataOf(html).phases, []);
});
