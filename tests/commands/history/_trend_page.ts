/**
 * Opens `history report`'s page for the 30 synthetic runs (a 10% regression
 * from run 21) in headless Chromium: the page fetches nothing but itself, no
 * script error occurs, each metric's chart holds a point a run equal to the
 * store's values, the change point at run 21 and the SLA line are painted, and
 * hovering a run shows its labels and commit.
 *
 * Run as a step of tests/report/report_browser_test.ts, in its Chromium. Not a
 * test file itself.
 */
import assert from "node:assert/strict";
import { historyCommand } from "../../../lib/commands/history/command.ts";
import { type HistoryOptions, parseHistoryArgs } from "../../../lib/commands/history/flags.ts";
import { TREND_COLORS, type TrendData } from "../../../lib/commands/history/page.ts";
import { openHistory } from "../../../lib/history/open.ts";
import { type Browser, UPLOT_VIEW_JS, type UplotView } from "../../_browser.ts";
import { freshSqlite, syntheticRuns } from "../../_history.ts";

/** The trend page made for checking, and the runs it was made from. */
export interface TrendPage {
  page: string;
  runs: ReturnType<typeof syntheticRuns>;
}

/** Records 30 synthetic runs (a 10% regression from run 21) and writes their trend page. */
export async function makeTrendPage(): Promise<TrendPage> {
  const db = await freshSqlite();
  const page = db.replace(/history\.db$/, "history.html");
  const runs = syntheticRuns();
  const store = await openHistory(db);
  for (const r of runs) await store.record(r);
  await store.db.close();
  const options = parseHistoryArgs(["report", "--history", db, "--out", page]) as HistoryOptions;
  const out: string[] = [];
  const ctx = {
    out: (l: string) => void out.push(l),
    err: () => {},
    color: false,
    print: () => 0,
  };
  assert.equal(await historyCommand(options, ctx), 0);
  assert.deepEqual(out, [`wrote ${page}`]);

  return { page, runs };
}

/**
 * history report's page for 30 synthetic runs opens offline: every run, the change point and the
 * SLA drawn.
 */
export async function checkTrendPage(browser: Browser, { page, runs }: TrendPage): Promise<void> {
  const tab = await browser.newPage(1280, 1600);
  const url = new URL(`file://${await Deno.realPath(page)}`).href;
  await tab.goto(url);
  assert.equal(await tab.reportDrawn(), null);
  const charts = await tab.evaluate<UplotView[]>(`(() => {
    const view = ${UPLOT_VIEW_JS};
    return window.loadgateReport.charts.map((u) => view(u, ${
    JSON.stringify([TREND_COLORS.line, TREND_COLORS.change, TREND_COLORS.sla])
  }));
  })()`);
  assert.deepEqual(tab.events.requests, [url], "the page requested nothing but itself");
  assert.deepEqual(tab.events.errors, [], "no script error, no console error");
  const data = await tab.evaluate<TrendData>(
    `JSON.parse(document.getElementById("loadgate-data").textContent)`,
  );
  assert.deepEqual(data.metrics.map((m) => m.name), [
    "p50",
    "p95",
    "p99",
    "throughput",
    "error_rate",
  ]);
  assert.equal(charts.length, 5);
  for (const [i, m] of data.metrics.entries()) {
    const series = charts[i]!.series[0]!;
    assert.equal(series.count, 30, `${m.name}: a point a run`);
    assert.equal(series.inside, 30, `${m.name}: every point inside the axes`);
    const sum = runs.reduce((a, r) => a + r.figures[m.name]!, 0);
    assert.ok(
      Math.abs(series.sum - sum) < 1e-6 * Math.max(1, sum),
      `${m.name}: the store's values`,
    );
  }
  const p95 = data.metrics[1]!;
  assert.deepEqual(p95.changes.map((c) => c.id), [21], "the change point at run 21");
  assert.ok(charts[1]!.pixels[TREND_COLORS.change]! > 50, "the change point is painted");
  assert.ok(charts[1]!.pixels[TREND_COLORS.sla]! > 50, "the SLA line is painted");
  assert.ok(charts[1]!.pixels[TREND_COLORS.line]! > 100, "the p95 line is painted");
  const hover = await tab.evaluate<string>(`(() => {
    const u = window.loadgateReport.charts[1];
    u.setCursor({ left: u.valToPos(21, "x"), top: u.valToPos(u.data[1][20], "y") });
    return document.getElementById("hover").textContent;
  })()`);
  assert.match(
    hover,
    /^run #21 · 2026-11-01T00:21:00.000Z · branch=main commit=c021 · p95 [\d.]+$/,
  );
}
