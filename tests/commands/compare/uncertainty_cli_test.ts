import assert from "node:assert/strict";
import type { LoadParams } from "../../../lib/verdict/compare.ts";
import { CsvLogWriter } from "../../../lib/log/csv/log.ts";
import { compareCommand } from "../../../lib/commands/compare/command.ts";
import { parseCompareArgs } from "../../../lib/commands/compare/flags.ts";
import { UsageError } from "../../../lib/base/errors.ts";
import { parseJobArgs } from "../../../lib/commands/job/flags.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { makeSample, runMain } from "../../_helpers.ts";
import { mainCaptured } from "../../_main_captured.ts";

/** Writes a log of n requests whose latencies spread evenly over [from, to], with its summary JSON. */
async function writeLog(path: string, n: number, from: number, to: number): Promise<void> {
  const w = CsvLogWriter.create(path);
  for (let i = 0; i < n; i++) {
    w.write(makeSample({ requestId: i, latencyMs: from + ((to - from) * (i + 0.5)) / n }));
  }
  w.close();
  const load: LoadParams = {
    requests: n,
    concurrency: 8,
    timeout_ms: 30_000,
    method: "POST",
    path: "/v1/infer",
    headers_sha256: "h",
    workload_digest: "w",
  };
  await Deno.writeTextFile(path.replace(/\.csv$/, ".json"), JSON.stringify({ load }));
}

/** A compare run in-process: its exit code and what it printed. */
async function compareInProcess(args: string[]): Promise<{ code: number; stdout: string }> {
  const options = parseCompareArgs(args, false);
  if (options === "help") throw new Error("unexpected help");
  const lines: string[] = [];
  const code = await compareCommand(options, { out: (line) => lines.push(line) });
  return { code, stdout: lines.join("\n") };
}

async function withLogs(
  after: [number, number, number],
  body: (
    dir: string,
    compare: (...flags: string[]) => Promise<{ code: number; stdout: string }>,
  ) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_uncertainty_" });
  try {
    await writeLog(`${dir}/before.csv`, 400, 900, 1100);
    await writeLog(`${dir}/after.csv`, ...after);
    await body(dir, (...flags) =>
      compareInProcess([
        `${dir}/before.csv`,
        `${dir}/after.csv`,
        "--out",
        `${dir}/out`,
        "--sla",
        "p95<=800",
        ...flags,
      ]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const json = async (dir: string) =>
  JSON.parse(await Deno.readTextFile(`${dir}/out/comparison.json`));

Deno.test("compare --verdict interval exits 4 on a straddling P95; --strict 1, --lenient 0, point 0", async () => {
  // After: 400 requests even over [0, 831.6]: P95 = 790 (a point pass), interval about [770, 808].
  await withLogs([400, 0, 831.6], async (dir, compare) => {
    const r = await compare("--verdict", "interval");
    assert.equal(r.code, 4, r.stdout);
    assert.match(
      r.stdout,
      /verdict: INCONCLUSIVE \(SLA p95<=800 inconclusive: .* about \d+ requests would likely settle it\) \[exit 4\]/,
    );
    const c = await json(dir);
    assert.equal(c.verdict, "inconclusive");
    assert.equal(c.verdict_basis, "interval");
    assert.equal(c.sla_met, true, "the point-estimate SLA result keeps its meaning");
    assert.equal(c.interval_verdict.state, "inconclusive");
    assert.equal(c.interval_verdict.exit_code, 4);
    const p95 = c.interval_verdict.thresholds.find((t: { metric: string }) => t.metric === "p95");
    assert.ok(p95.lower < 800 && p95.upper > 800);
    assert.ok(Number.isInteger(p95.requests_to_settle));
    assert.ok(c.uncertainty.difference.intervals.every((d: { upper: number }) => d.upper < 0));
    // Existing fields are still there.
    for (const key of ["baseline", "optimized", "delta", "checks", "sla", "reasons"]) {
      assert.ok(key in c, key);
    }

    assert.equal((await compare("--verdict", "interval", "--strict")).code, 1);
    assert.equal((await compare("--verdict", "interval", "--lenient")).code, 0);
    const point = await compare();
    assert.equal(point.code, 0);
    assert.match(
      point.stdout,
      /interval verdict: INCONCLUSIVE \(informational; --verdict interval gates on it\)/,
    );
    assert.match(point.stdout, /verdict: PASS \(the optimized phase meets/);
    assert.equal((await json(dir)).verdict, "pass");
  });
});

Deno.test("compare --verdict interval passes a P95 wholly under the SLA and fails one wholly over", async () => {
  await withLogs([400, 0, 700], async (dir, compare) => {
    const r = await compare("--verdict", "interval", "--confidence", "99%");
    assert.equal(r.code, 0, r.stdout);
    const c = await json(dir);
    assert.equal(c.uncertainty.confidence, 0.99);
    assert.match(r.stdout, /^99% intervals/m);
    const csv = (await Deno.readTextFile(`${dir}/out/comparison.csv`)).trimEnd().split("\n");
    assert.match(csv[0]!, /,meets_sla,p50_ci_low_ms,.*,ci_confidence,interval_meets_sla$/);
    assert.match(csv[2]!, /,0\.99,pass$/);
    assert.match(csv[1]!, /,0\.99,fail$/);
  });
  await withLogs([400, 850, 1000], async (_dir, compare) => {
    assert.equal((await compare("--verdict", "interval", "--lenient")).code, 1);
  });
});

Deno.test("the same logs give the same intervals, and identical logs a difference holding 0", async () => {
  await withLogs([400, 900, 1100], async (dir, compare) => {
    await compare();
    const first = (await json(dir)).uncertainty;
    await compare();
    const second = (await json(dir)).uncertainty;
    assert.deepEqual(first, second);
    for (const d of first.difference.intervals) {
      assert.ok(d.lower <= 0 && d.upper >= 0, `P${d.percentile} [${d.lower}, ${d.upper}]`);
      assert.equal(d.direction, "unclear");
    }
  });
});

Deno.test("job --verdict interval with 24 requests is inconclusive (exit 4) and warns about P95 and P99", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_job_interval_" });
  try {
    const r = await mainCaptured([
      "job",
      "--skip-tests",
      "--requests",
      "24",
      "--concurrency",
      "4",
      "--service-ms",
      "1:4",
      "--out",
      dir,
      "--verdict",
      "interval",
    ]);
    assert.equal(r.code, 4, r.stderr + r.stdout);
    assert.match(
      r.stdout,
      /warning: optimized p95 rests on 24 requests: its 95% interval is unbounded above/,
    );
    assert.match(r.stdout, /warning: optimized p99 rests on 24 requests/);
    const c = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    assert.equal(c.verdict, "inconclusive");
    const p95 = c.interval_verdict.thresholds.find((t: { metric: string }) => t.metric === "p95");
    assert.equal(p95.upper, null);
    assert.equal(p95.requests_to_settle, 72);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad uncertainty flags are usage errors (exit 2, one line)", async () => {
  const bad = [
    ["--verdict", "maybe"],
    ["--confidence", "1"],
    ["--confidence", "abc"],
    ["--strict"],
    ["--verdict", "interval", "--strict", "--lenient"],
  ];
  for (const args of bad) {
    assert.throws(() => parseCompareArgs(["a.csv", "b.csv", ...args], false), UsageError);
    assert.throws(() => parseJobArgs(args, false), UsageError);
    assert.throws(() => parseRunArgs(["--url", "http://127.0.0.1:9/", ...args]), UsageError);
  }
  const { code, stderr } = await runMain(["compare", "a.csv", "b.csv", "--strict"]);
  assert.equal(code, 2);
  assert.equal(stderr, "loadgate: Cannot use --strict without --verdict interval\n");
});
