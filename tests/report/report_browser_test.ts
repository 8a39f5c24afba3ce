/**
 * Opens real report.html files in headless Chromium (Debian's `chromium`)
 * and checks what a person would see: the page fetches nothing but itself,
 * no script error occurs, and each plot holds the right number of points or
 * bars (counted independently from the CSV logs), all inside its axes and
 * painted on its canvas. Saves a screenshot under results/browser_test/.
 * One Chromium for every page the suite opens, a step each: the job's, the
 * run's and the sweep's reports (tests/commands/sweep/_sweep_page.ts checks the
 * sweep's page), the LLM reports (_llm_pages.ts) and history's trend page
 * (tests/commands/history/_trend_page.ts); a Chromium start costs about 1.7 s
 * of CPU.
 *
 * Skipped, with the reason printed, when Chromium is not installed
 * (`.ci/run` installs it).
 */
import assert from "node:assert/strict";
import { readLog } from "../../lib/log/csv/log.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { Browser, findChromium, type Page, UPLOT_VIEW_JS, type UplotView } from "../_browser.ts";
import { runMain } from "../_helpers.ts";
import { checkSweepPage, runSweep } from "../commands/sweep/_sweep_page.ts";
import { checkTrendPage, makeTrendPage } from "../commands/history/_trend_page.ts";
import { checkLlmReports, makeLlmReports } from "./_llm_pages.ts";

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.log("report_browser_test: skipped, Chromium is not installed (apt-get install chromium)");
}
const SHOTS = new URL("../../results/browser_test/", import.meta.url).pathname;
const FAILED_COLOR = "#cc79a7";

interface ChartView extends UplotView {
  id: string;
  kind: "cdf" | "histogram" | "scatter" | "throughput";
  phase: string | null;
}

/** Reads every chart the page drew: its data as uPlot holds it, and its canvas. */
function inspect(page: Page, colors: string[]): Promise<ChartView[]> {
  return page.evaluate<ChartView[]>(`(() => {
    const view = ${UPLOT_VIEW_JS};
    return window.loadgateReport.charts.map((c) =>
      Object.assign({ id: c.id, kind: c.kind, phase: c.phase }, view(c.u, ${
    JSON.stringify(colors)
  })));
  })()`);
}

async function openReport(browser: Browser, file: string) {
  const page = await browser.newPage(1280, 900);
  const url = new URL(`file://${file}`).href;
  await page.goto(url);
  assert.equal(await page.reportDrawn(), null, "the page script ran to its end");
  const data = await page.evaluate<
    {
      phases: {
        name: string;
        color: string;
        histogram: { start: number; width: number };
        throughput: { width: number };
      }[];
    }
  >(
    'JSON.parse(document.getElementById("loadgate-data").textContent)',
  );
  const charts = await inspect(page, [...data.phases.map((p) => p.color), FAILED_COLOR]);
  // Nothing but the document itself was requested, and nothing went wrong.
  assert.deepEqual(page.events.requests, [url], "the page requested nothing but itself");
  assert.deepEqual(page.events.errors, [], "no script error, no console error");
  return { page, data, charts };
}

/** Checks each plot of one phase against its CSV log. */
function checkPhase(
  charts: ChartView[],
  data: {
    phases: {
      name: string;
      color: string;
      histogram: { start: number; width: number };
      throughput: { width: number };
    }[];
  },
  name: string,
  log: Sample[],
) {
  const info = data.phases.find((p) => p.name === name)!;
  const chart = (kind: string) => {
    const c = charts.find((x) => x.kind === kind && x.phase === name);
    assert.ok(c, `${kind} chart of ${name}`);
    return c;
  };
  const latencies = log.map((s) => s.latencyMs);
  const ok = log.filter((s) => s.ok).length;

  // Latency over time: one point per request, failed ones in their own series.
  const scatter = chart("scatter");
  assert.equal(scatter.series[0]!.count, ok, `${name}: a point per successful request`);
  const failed = log.length - ok;
  if (failed > 0) {
    assert.equal(scatter.series[1]!.count, failed, `${name}: a point per failed request`);
    assert.ok(scatter.pixels[FAILED_COLOR]! > 0, `${name}: failed points painted`);
  } else assert.equal(scatter.series.length, 1);
  for (const s of scatter.series) {
    assert.equal(s.inside, s.count, `${name}: every point inside the axes`);
  }

  // Histogram: bars from the lowest to the highest latency, holding every request.
  const hist = chart("histogram");
  const h = info.histogram;
  const expectedBars = Math.floor((Math.max(...latencies) - h.start) / h.width) + 1;
  assert.ok(h.start <= Math.min(...latencies));
  assert.equal(hist.series[0]!.length, expectedBars, `${name}: histogram bars`);
  assert.equal(hist.series[0]!.sum, log.length, `${name}: histogram holds every request`);
  assert.equal(hist.series[0]!.inside, hist.series[0]!.count);

  // Throughput: bars from the phase start to the last completion, adding up to every request.
  const tp = chart("throughput");
  const w = info.throughput.width;
  const last = Math.max(...log.map((s) => (s.sentMs + s.latencyMs) / 1000));
  assert.equal(tp.series[0]!.length, Math.floor(last / w) + 1, `${name}: throughput bars`);
  assert.ok(
    Math.abs(tp.series[0]!.sum * w - log.length) < 0.01 * log.length + 0.01,
    `${name}: rates x width = requests`,
  );

  // Bars and lines cover many pixels; a scatter of a few small points that share a spot may
  // leave fewer than 20 in exactly the colour (20 seen for 18 points), so it needs some, not 20.
  for (const [c, least] of [[scatter, 1], [hist, 21], [tp, 21]] as const) {
    const painted = c.pixels[info.color]!;
    assert.ok(painted >= least, `${c.id}: painted in ${name}'s colour (${painted} pixels)`);
    for (const label of c.axes) {
      assert.match(label, /\((ms|s|req\/s)\)$|^requests$/, `${c.id}: axis "${label}" has a unit`);
    }
  }
}

/** Checks the CDF: one point per distinct latency of each phase. */
function checkCdf(charts: ChartView[], logs: Record<string, Sample[]>) {
  const cdfs = charts.filter((c) => c.kind === "cdf");
  assert.equal(cdfs.length, 1);
  const cdf = cdfs[0]!;
  assert.deepEqual(cdf.series.map((s) => s.label), Object.keys(logs));
  Object.values(logs).forEach((log, i) => {
    assert.equal(cdf.series[i]!.count, new Set(log.map((s) => s.latencyMs)).size);
    assert.equal(cdf.series[i]!.inside, cdf.series[i]!.count);
  });
  assert.match(cdf.axes[0]!, /^latency \(ms(, log scale)?\)$/);
  assert.equal(cdf.axes[1], "requests at or below (%)");
}

/** A plain endpoint failing every 4th request with a 500. */
function flakyServer() {
  let n = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    await new Promise((r) => setTimeout(r, 2));
    return ++n % 4 === 0 ? new Response("no", { status: 500 }) : Response.json({ ok: true });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/x`, close: () => server.shutdown() };
}

/** A promise's outcome, kept without an unhandled rejection until it is asked for. */
type Settled<T> = { value: T; error?: undefined } | { value?: undefined; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then((value) => ({ value }), (error) => ({ error }));
const made = <T>(s: Settled<T>): T => {
  if (s.error !== undefined) throw s.error;
  return s.value as T;
};

Deno.test({
  name: "report pages open offline in one Chromium with every plot drawn from the results",
  ignore: !CHROMIUM,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "loadgate_browser_" });
    const server = flakyServer();
    let browser = null as Browser | null;
    // However it goes, the browser is gone within 180 s.
    const watchdog = setTimeout(() => browser?.close(), 180_000);
    // Every page is made while the browser starts, to keep the test short; a step waits for its
    // own. Settled at once, so that one failing while another step runs is that step's failure.
    const llm = settle(makeLlmReports());
    const trend = settle(makeTrendPage());
    try {
      const launching = Browser.launch(CHROMIUM!).then((b) => (browser = b));
      await t.step(
        "report.html of a job, a run and a sweep, every plot drawn from every request",
        async () => {
          const [job, run] = await Promise.all([
            runMain([
              "job",
              "--skip-tests",
              "--requests",
              "40",
              "--concurrency",
              "4",
              "--service-ms",
              "1:6",
              "--out",
              `${dir}/job`,
            ]),
            runMain([
              "run",
              "--url",
              server.url,
              "-n",
              "24",
              "-c",
              "2",
              "--html",
              "--out",
              `${dir}/run`,
            ]),
            launching.catch(() => null),
            runSweep(`${dir}/sweep`),
          ]);
          assert.equal(job.code, 0, job.stderr);
          assert.equal(run.code, 1, "the run misses its error-rate SLA");
          browser = await launching;
          const jobReport = await openReport(browser, `${dir}/job/report.html`);
          assert.equal(
            jobReport.charts.length,
            7,
            "a CDF, then a histogram, scatter and throughput a phase",
          );
          const logs = {
            baseline: await readLog(`${dir}/job/baseline.csv`),
            optimized: await readLog(`${dir}/job/optimized.csv`),
          };
          checkCdf(jobReport.charts, logs);
          for (const [name, log] of Object.entries(logs)) {
            checkPhase(jobReport.charts, jobReport.data, name, log);
          }
          const verdictFirst = await jobReport.page.evaluate<string>(
            'document.querySelector("main > section").id + ":" + document.querySelector(".badge").textContent',
          );
          assert.equal(verdictFirst, "verdict:PASS");
          await Deno.mkdir(SHOTS, { recursive: true });
          const png = await jobReport.page.screenshot();
          assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
          await Deno.writeFile(`${SHOTS}report.png`, png);

          const runReport = await openReport(browser, `${dir}/run/report.html`);
          assert.equal(runReport.charts.length, 4);
          const runLog = await readLog(`${dir}/run/run.csv`);
          assert.equal(runLog.filter((s) => !s.ok).length, 6);
          checkCdf(runReport.charts, { run: runLog });
          checkPhase(runReport.charts, runReport.data, "run", runLog);
          await Deno.writeFile(`${SHOTS}run_report.png`, await runReport.page.screenshot());

          await checkSweepPage(browser, `${dir}/sweep`);
        },
      );
      await t.step(
        "the LLM run, compare and sweep reports draw TTFT, TPOT and ITL equal to the JSON",
        async () => checkLlmReports(await launching, made(await llm)),
      );
      await t.step(
        "history report: every run, the change point and the SLA drawn",
        async () => checkTrendPage(await launching, made(await trend)),
      );
    } finally {
      clearTimeout(watchdog);
      await browser?.close();
      await (await llm).value?.cleanup();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
