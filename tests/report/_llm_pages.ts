/**
 * The LLM plots of real reports, read back in headless Chromium (Debian's
 * `chromium`): a streamed `run --api openai-chat` against the stub's OpenAI
 * API, a `compare --html` of two such runs, and a `sweep --html` of them.
 * Each chart's series, as uPlot holds them, must equal the JSON the command
 * wrote: the TTFT, TPOT and ITL values rebuilt from each CDF give the
 * summary's count and percentiles (numpy's definition, computed here), the
 * per-request points its count and mean, the tokens-per-second bars its
 * output tokens, the length bars its requests, the schedule lag its maximum;
 * in `compare` both phases on one chart, each equal to its own run's JSON;
 * in the sweep, each step's TTFT/TPOT/ITL and tokens/s equal to sweep.json.
 *
 * Run as a step of tests/report/report_browser_test.ts, in its Chromium. Not a
 * test file itself.
 */
import assert from "node:assert/strict";
import { sweepCommand } from "../../lib/commands/sweep/command.ts";
import { parseSweepArgs } from "../../lib/commands/sweep/flags.ts";
import type { SweepJson } from "../../lib/commands/shared/result_json.ts";
import { serveStub } from "../../lib/stub/server.ts";
import type { Browser, Page } from "../_browser.ts";
import { compareInProcess, runInProcess } from "../_in_process.ts";
import { openAiStubOptions } from "../_helpers.ts";

/** A chart as uPlot holds it: its kind, its series' labels and its data arrays. */
interface Drawn {
  kind: string;
  labels: string[];
  data: (number | null)[][];
}

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** numpy's default percentile (linear between closest ranks), written out independently. */
function numpyPercentile(sorted: readonly number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** The values behind a CDF series of `n` values: each x repeated by its step in y. */
function fromCdf(xs: (number | null)[], ys: (number | null)[], n: number): number[] {
  const out: number[] = [];
  let previous = 0;
  xs.forEach((x, i) => {
    const y = ys[i];
    if (y === null || y === undefined || x === null) return;
    for (let k = Math.round(((y - previous) * n) / 100); k > 0; k--) out.push(x);
    previous = y;
  });
  return out;
}

const present = (ys: (number | null)[]) => ys.filter((v): v is number => v !== null);
const sum = (vs: readonly number[]) => vs.reduce((a, b) => a + b, 0);
const near = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

async function open(browser: Browser, file: string): Promise<{ page: Page; charts: Drawn[] }> {
  const page = await browser.newPage(1280, 900);
  const url = new URL(`file://${await Deno.realPath(file)}`).href;
  await page.goto(url);
  assert.equal(await page.reportDrawn(), null);
  assert.deepEqual(page.events.requests, [url], "the page requested nothing but itself");
  assert.deepEqual(page.events.errors, [], "no script error, no console error");
  const charts = await page.evaluate<Drawn[]>(`window.loadgateReport.charts.map((c) => {
    const u = c.u || c;
    return { kind: c.kind || "", labels: u.series.slice(1).map((s) => s.label), data: u.data };
  })`);
  return { page, charts };
}

/** Checks every LLM chart's series `i` (phase `name`) against that phase's JSON. */
function checkPhase(charts: Drawn[], i: number, name: string, j: Json): void {
  const chart = (kind: string) => {
    const c = charts.find((x) => x.kind === kind);
    assert.ok(c, `a ${kind} chart`);
    assert.equal(c.labels[i], name, `${kind}: series ${i} is ${name}`);
    return c;
  };
  for (const key of ["ttft", "tpot", "itl"]) {
    const c = chart(`${key}-cdf`);
    const want = j.llm[key];
    const values = fromCdf(c.data[0]!, c.data[i + 1]!, want.count);
    assert.equal(values.length, want.count, `${name} ${key}: every value on the CDF`);
    for (const p of [50, 90, 95, 99]) {
      near(numpyPercentile(values, p), want[`p${p}`], 0.002, `${name} ${key} p${p}`);
    }
  }
  for (const key of ["ttft", "tpot"]) {
    const points = present(chart(`${key}-time`).data[i + 1]!);
    assert.equal(points.length, j.llm[key].count, `${name} ${key}: a point a request`);
    near(sum(points) / points.length, j.llm[key].mean, 0.002, `${name} ${key} mean`);
  }
  const width = j.__tokensWidth as number;
  const tokens = sum(present(chart("tokens-time").data[i + 1]!)) * width;
  near(tokens, j.llm.output_tokens, 0.01 * j.llm.output_tokens, `${name} output tokens`);
  for (const kind of ["input-lengths", "output-lengths"]) {
    assert.equal(sum(present(chart(kind).data[i + 1]!)), j.llm.completed, `${name} ${kind}`);
  }
  const lag = present(chart("lag").data[i + 1]!);
  assert.equal(lag.length, j.summary.requests, `${name}: a lag point a request`);
  near(Math.max(...lag), j.summary.lag_max, 0.002, `${name} lag max`);
}

/** The stub's OpenAI API: prefill 1 ms a prompt token, decode 4 ms a step, batched. */
function startStub() {
  return serveStub({
    mode: "concurrent",
    serviceMs: [1, 1],
    openai: openAiStubOptions([3, 12], { mode: "batched", decodeMs: 4, batchCost: 0.1 }),
  });
}

const tokensWidth = async (file: string): Promise<number> => {
  const html = await Deno.readTextFile(file);
  const data = JSON.parse(/<script id="loadgate-data" [^>]*>(.*?)<\/script>/s.exec(html)![1]!);
  return data.llm.tokensWidth;
};

async function sweepLlm(base: string, dir: string): Promise<SweepJson> {
  const options = parseSweepArgs([
    ...["--url", base, "--api", "openai-chat", "--model", "stub-model", "--stream"],
    ...["--synthetic", "input=16,spread=8,output=6", "--warmup", "1", "--rates", "4,8"],
    ...["--step-requests", "6", "--cool-down", "0", "--sla", "ttft_p95<=60000", "--html"],
    ...["--out", dir],
  ]);
  if (options === "help") throw new Error("unreachable");
  const stop = new AbortController();
  await sweepCommand(options, { out: () => {}, err: () => {}, stop: stop.signal });
  return JSON.parse(await Deno.readTextFile(`${dir}/sweep.json`));
}

function checkSweep(charts: Drawn[], j: SweepJson): void {
  const steps = [...j.steps].sort((a, b) => a.load - b.load);
  assert.equal(charts.length, 7, "latency, throughput, errors, TTFT, TPOT, ITL, tokens/s");
  const [ttft, tpot, itl, tokens] = charts.slice(3);
  for (const [c, key] of [[ttft, "ttft"], [tpot, "tpot"], [itl, "itl"]] as const) {
    assert.deepEqual(c!.labels, [`${key} p50`, `${key} p95`, `${key} p99`]);
    assert.deepEqual(c!.data[0], steps.map((s) => s.load));
    assert.deepEqual(c!.data[1], steps.map((s) => s.llm![key].p50), `${key} p50 = sweep.json`);
    assert.deepEqual(c!.data[2], steps.map((s) => s.llm![key].p95), `${key} p95 = sweep.json`);
    assert.deepEqual(c!.data[3], steps.map((s) => s.llm![key].p99), `${key} p99 = sweep.json`);
  }
  assert.deepEqual(tokens!.data[1], steps.map((s) => s.llm!.output_tokens_per_s));
}

/** The LLM reports made for checking: their folder, the sweep's JSON, and how to clean up. */
export interface LlmReports {
  dir: string;
  sweep: SweepJson;
  cleanup: () => Promise<void>;
}

/**
 * Makes the reports: two streamed runs side by side against the stub's OpenAI API, their compare,
 * and a sweep, each with --html.
 */
export async function makeLlmReports(): Promise<LlmReports> {
  const stub = startStub();
  const base = new URL(stub.url).origin;
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "llm_browser_" });
  const cleanup = () => Deno.remove(dir, { recursive: true });
  try {
    const run = (phase: string) =>
      runInProcess([
        ...["--url", base, "--api", "openai-chat", "--model", "stub-model", "--stream"],
        ...["--synthetic", "input=24,spread=12,output=8,spread=4", "--rate", "10", "-n", "24"],
        ...[
          "--sla",
          "ttft_p95<=60000",
          "--phase",
          phase,
          "--html",
          "-q",
          "--out",
          `${dir}/${phase}`,
        ],
      ]);
    const [a, b, sweep] = await Promise.all([
      run("before"),
      run("after"),
      sweepLlm(base, `${dir}/sweep`),
    ]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    const c = await compareInProcess([
      ...[`${dir}/before/before.csv`, `${dir}/after/after.csv`],
      ...["--sla", "ttft_p95<=60000", "--html", "--out", `${dir}/cmp`],
    ]);
    assert.ok(c.code === 0 || c.code === 1, c.stdout + c.stderr);
    return { dir, sweep, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  } finally {
    await stub.shutdown();
  }
}

/**
 * The run, compare and sweep reports of streamed LLM runs draw TTFT, TPOT and ITL that read back
 * equal to the JSON.
 */
export async function checkLlmReports(browser: Browser, made: LlmReports): Promise<void> {
  const { dir, sweep } = made;
  const json = async (phase: string, report: string) => ({
    ...JSON.parse(await Deno.readTextFile(`${dir}/${phase}/${phase}.json`)),
    __tokensWidth: await tokensWidth(report),
  });
  const runReport = await open(browser, `${dir}/before/report.html`);
  checkPhase(runReport.charts, 0, "before", await json("before", `${dir}/before/report.html`));
  const cmp = await open(browser, `${dir}/cmp/report.html`);
  const cmpFile = `${dir}/cmp/report.html`;
  checkPhase(cmp.charts, 0, "baseline", await json("before", cmpFile));
  checkPhase(cmp.charts, 1, "optimized", await json("after", cmpFile));
  checkSweep((await open(browser, `${dir}/sweep/report.html`)).charts, sweep);
}
