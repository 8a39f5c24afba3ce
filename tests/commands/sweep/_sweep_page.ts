/**
 * A real sweep's report.html in headless Chromium, for the one browser test
 * (tests/report/report_browser_test.ts, which shares its browser): the page
 * fetches nothing but itself, no script error occurs, and each of the three
 * plots holds one point a step, equal to sweep.json's figures, inside its axes
 * and painted, with the SLA line and the capacity marked. Saves a screenshot
 * under results/browser_test/. Not a test file itself.
 */
import assert from "node:assert/strict";
import { sweepCommand } from "../../../lib/commands/sweep/command.ts";
import { parseSweepArgs } from "../../../lib/commands/sweep/flags.ts";
import type { SweepJson } from "../../../lib/commands/shared/result_json.ts";
import { startStubProcess } from "../../../lib/stub/spawn.ts";
import type { Browser, UplotView } from "../../_browser.ts";
import { UPLOT_VIEW_JS } from "../../_browser.ts";

const SHOTS = new URL("../../../results/browser_test/", import.meta.url).pathname;
/** The colours the sweep page draws with (lib/commands/sweep/html.ts). */
const P95 = "#d55e00";
const CAPACITY = "#1a7f37";
const ERRORS = "#c62828";

/**
 * Runs `sweep --rates 5,40 --html` into `dir` against the stub serialized at 50 ms: about 20
 * requests/s. 5/s passes p95<=500 (10/s against p95<=150 missed once, 155 ms, and once fell
 * behind its schedule, 7.6/s achieved, on a busy shared machine), 40/s queues past it (a second
 * at twice the capacity).
 */
export async function runSweep(dir: string): Promise<void> {
  const stub = await startStubProcess(["--mode", "serialized", "--service-ms", "50:50"]);
  try {
    const options = parseSweepArgs([
      "--url",
      stub.url,
      "--rates",
      "5,40",
      "--step-duration",
      "1",
      "--cool-down",
      "0",
      "--sla",
      "p95<=500",
      "--html",
      "--out",
      dir,
    ]);
    if (options === "help") throw new Error("unreachable");
    const stop = new AbortController();
    const code = await sweepCommand(options, { out: () => {}, err: () => {}, stop: stop.signal });
    assert.equal(code, 0, "no --min-capacity: the sweep measures, it does not gate");
  } finally {
    await stub.stop();
  }
}

/** Opens the sweep's report.html of `dir` in `browser` and checks what it draws. */
export async function checkSweepPage(browser: Browser, dir: string): Promise<void> {
  const j: SweepJson = JSON.parse(await Deno.readTextFile(`${dir}/sweep.json`));
  assert.equal(j.capacity, 5, JSON.stringify(j.steps));
  assert.equal(j.lowest_failed, 40);

  const page = await browser.newPage(1280, 1400);
  const url = new URL(`file://${await Deno.realPath(dir)}/report.html`).href;
  await page.goto(url);
  assert.equal(await page.reportDrawn(), null);
  const charts = await page.evaluate<UplotView[]>(`(() => {
    const view = ${UPLOT_VIEW_JS};
    return window.loadgateReport.charts.map((u) => view(u, ${
    JSON.stringify([P95, CAPACITY, ERRORS])
  }));
  })()`);
  assert.deepEqual(page.events.requests, [url], "the page requested nothing but itself");
  assert.deepEqual(page.events.errors, [], "no script error, no console error");
  assert.equal(charts.length, 3, "latency, throughput and errors");

  const steps = [...j.steps].sort((a, b) => a.load - b.load);
  const [latency, throughput, errors] = charts as [UplotView, UplotView, UplotView];
  assert.deepEqual(latency.series.map((s) => s.label), ["p50", "p95", "p99"]);
  for (const s of latency.series) {
    assert.equal(s.count, steps.length, `${s.label}: a point a step`);
    assert.equal(s.inside, s.count, `${s.label}: every point inside the axes`);
  }
  const p95Sum = steps.reduce((a, s) => a + s.p95!, 0);
  assert.ok(Math.abs(latency.series[1]!.sum - p95Sum) < 1e-6, "p95 points are sweep.json's");
  assert.ok(latency.pixels[P95]! > 20, "the p95 line is painted");
  assert.ok(latency.pixels[CAPACITY]! > 20, "the capacity line is painted");
  assert.equal(throughput.series[0]!.count, steps.length);
  const achieved = steps.reduce((a, s) => a + s.achieved_rate, 0);
  assert.ok(Math.abs(throughput.series[0]!.sum - achieved) < 1e-6, "achieved rates");
  assert.equal(errors.series[0]!.count, steps.length);
  assert.ok(errors.pixels[ERRORS]! > 0, "the error-rate line is painted");
  for (const c of charts) assert.match(c.axes[0]!, /^offered load \(req\/s\)$/);

  await Deno.mkdir(SHOTS, { recursive: true });
  await Deno.writeFile(`${SHOTS}sweep_report.png`, await page.screenshot());
}
