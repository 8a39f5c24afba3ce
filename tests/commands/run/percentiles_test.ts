/**
 * `--percentiles 50,90,95,99,99.9`: every latency metric of a streamed LLM
 * run reports each chosen percentile, equal to numpy's (linear between
 * closest ranks) of the values the log holds.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { runInProcess } from "../../_in_process.ts";
import { serveOpenAi } from "../../_openai_server.ts";
import { parsePercentiles } from "../../../lib/commands/shared/flags/percentiles.ts";

/** numpy.percentile's default, written out here on its own. */
function numpyPercentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (v.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return v[lo]! + (v[hi]! - v[lo]!) * (rank - lo);
}

Deno.test("--percentiles reports p99.9 (and the others) of latency, e2el, ttft, itl and tpot", async () => {
  await using server = serveOpenAi({ ttftMs: 3, itlMs: 2, chunks: 6 });
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "percentiles_" });
  try {
    const r = await runInProcess([
      ...["--url", server.base, "--api", "openai-chat", "--model", "test-model", "--stream"],
      ...["--synthetic", "input=4,output=6", "-n", "12", "-c", "3", "-q", "--out", dir],
      ...["--percentiles", "50,90,95,99,99.9"],
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /ttft \(ms\): p50 [\d.]+, p90 [\d.]+, p95 [\d.]+, p99 [\d.]+, p99\.9 [\d.]+ \(12 values\)/,
    );
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.deepEqual(json.percentiles.percentiles, [50, 90, 95, 99, 99.9]);
    const log = await readLog(`${dir}/run.csv`);
    const lat = log.map((s) => s.latencyMs);
    const ttft = log.map((s) => s.stream!.ttftMs!);
    const itl = log.flatMap((s) => s.stream!.itlMs);
    const tpot = log.map((s) => (s.latencyMs - s.stream!.ttftMs!) / (s.tokens!.output - 1));
    const close = (a: number, b: number, what: string) =>
      assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const key = `p${p}`;
      close(json.percentiles.metrics.latency[key], numpyPercentile(lat, p), `latency ${key}`);
      close(json.percentiles.metrics.e2el[key], numpyPercentile(lat, p), `e2el ${key}`);
      close(json.percentiles.metrics.ttft[key], numpyPercentile(ttft, p), `ttft ${key}`);
      close(json.percentiles.metrics.itl[key], numpyPercentile(itl, p), `itl ${key}`);
      close(json.percentiles.metrics.tpot[key], numpyPercentile(tpot, p), `tpot ${key}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parsePercentiles() sorts and dedupes; refuses 0, above 100 and words", () => {
  assert.deepEqual(parsePercentiles("99.9, 50,99,50"), [50, 99, 99.9]);
  for (const bad of ["0", "101", "p99", "50,,90"]) {
    assert.throws(() => parsePercentiles(bad), /Cannot parse --percentiles/);
  }
});
