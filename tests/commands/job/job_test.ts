import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { percentile, sortedCopy } from "../../../lib/stats/stats.ts";
import { checkAnalysis } from "../../_analysis_check.ts";
import { mainCaptured } from "../../_main_captured.ts";
import { missingTool, NUMPY_PROBE, PYTHON } from "../../_tools.ts";

/** The numpy cross-check of the first test runs when python3 has numpy (.ci/run installs it). */
const NO_NUMPY = await missingTool("job_test.ts", "python3 with numpy", PYTHON, [...NUMPY_PROBE]);

const FAST = ["--skip-tests", "--requests", "24", "--concurrency", "4", "--service-ms", "1:4"];

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_job_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("job exits 0, logs every request of both phases, and its totals match the logs", async () => {
  await withTempDir(async (dir) => {
    const { code, stdout, stderr } = await mainCaptured(["job", ...FAST, "--out", dir]);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /verdict: PASS/);
    // The first screen: findings one line each; the tables and intervals wait for --details.
    assert.match(stdout, /findings ranked by measured effect at P95 \(--details/);
    assert.doesNotMatch(stdout, /where the time goes|95% intervals|queueing: latency against/);
    const verdictAt = stdout.split("\n").findIndex((l) => l.startsWith("verdict: PASS"));
    assert.ok(verdictAt >= 0 && verdictAt < 50, `the verdict on line ${verdictAt + 1}`);
    const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    assert.equal(comparison.sla_met, true);
    assert.equal(comparison.verdict, "pass");
    const logs = {
      baseline: await readLog(`${dir}/baseline.csv`),
      optimized: await readLog(`${dir}/optimized.csv`),
    };
    for (const [phase, samples] of Object.entries(logs)) {
      const s = comparison[phase];
      assert.equal(samples.length, 24, `${phase} logs every request`);
      assert.equal(s.requests, samples.length);
      assert.equal(s.ok, samples.filter((x) => x.ok).length);
      assert.equal(s.failed, samples.filter((x) => !x.ok).length);
      assert.deepEqual(samples.map((x) => x.requestId).sort((a, b) => a - b), [
        ...Array(24).keys(),
      ]);
      const sorted = sortedCopy(samples.map((x) => x.latencyMs));
      for (const p of [50, 95, 99]) {
        assert.ok(Math.abs(s[`p${p}`] - percentile(sorted, p)) <= 0.001, `${phase} p${p}`);
      }
    }
    // Request inputs are identical between the before and after runs.
    const inputs = (xs: typeof logs.baseline) =>
      xs.map((x) => `${x.requestId}:${x.inputSha256}`).sort();
    assert.deepEqual(inputs(logs.baseline), inputs(logs.optimized));
    assert.ok(logs.baseline.every((x) => x.phase === "baseline"));
    const csv = (await Deno.readTextFile(`${dir}/comparison.csv`)).trimEnd().split("\n");
    assert.equal(csv.length, 3);
    assert.match(csv[2]!, /^optimized,24,24,0,/);
    // The 2 x 2 run: analysis.json agrees with the four cells' logs (tests/_analysis_check.ts).
    await checkAnalysis(dir, { tls: false, requests: 24, concurrency: 4 });

    // numpy was probed at load: when it is there, any failure of the script fails the test.
    if (NO_NUMPY === undefined) {
      const numpy = await new Deno.Command(PYTHON, {
        args: [new URL("../../numpy_check.py", import.meta.url).pathname, dir],
      }).output();
      const text = new TextDecoder().decode(numpy.stdout) + new TextDecoder().decode(numpy.stderr);
      assert.equal(numpy.code, 0, text);
    }
  });
});

Deno.test("job exits 1 when the optimized phase cannot meet the SLA; --json, --junit, --prom say so", async () => {
  await withTempDir(async (dir) => {
    const ci = ["--json", "--junit", `${dir}/job.xml`, "--prom", `${dir}/job.prom`];
    const { code, stdout, stderr } = await mainCaptured([
      "job",
      ...FAST,
      "--out",
      dir,
      "--sla",
      "p95<=0.001",
      "--no-factorial",
      ...ci,
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /verdict: FAIL \(SLA p95<=0\.001 missed/, "--json: human lines on stderr");
    const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    assert.equal(comparison.sla_met, false);
    assert.deepEqual(JSON.parse(stdout), comparison, "--json: comparison.json alone on stdout");
    const xml = await Deno.readTextFile(`${dir}/job.xml`);
    assert.match(xml, /<testsuite name="loadgate\.job" [^>]*failures="1"/);
    assert.match(xml, /name="p95&lt;=0\.001" time="0">\n\s+<failure message="measured [\d.]+/);
    const prom = await Deno.readTextFile(`${dir}/job.prom`);
    assert.match(
      prom,
      /^loadgate_sla_pass\{phase="optimized",target="stub",threshold="p95<=0\.001"\} 0$/m,
    );
  });
});

Deno.test("job exits 1 and names the request when the optimized phase changes an output", async () => {
  await withTempDir(async (dir) => {
    const { code, stdout } = await mainCaptured([
      "job",
      ...FAST,
      "--out",
      dir,
      "--fault-alter-output",
      "5",
      "--no-factorial",
    ]);
    assert.equal(code, 1);
    const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    const mismatches = comparison.checks.outputs_identical.mismatches;
    assert.equal(mismatches.length, 1);
    assert.match(
      stdout,
      new RegExp(`outputs differ in response bytes \\(request ${mismatches[0].request_id}\\)`),
    );
    // The logs prove it request by request: only that request's output digest differs.
    const [b, o] = [await readLog(`${dir}/baseline.csv`), await readLog(`${dir}/optimized.csv`)];
    const out = (xs: typeof b) => new Map(xs.map((x) => [x.requestId, x.outputSha256]));
    const [bo, oo] = [out(b), out(o)];
    const differing = [...bo.keys()].filter((id) => bo.get(id) !== oo.get(id));
    assert.deepEqual(differing, [mismatches[0].request_id]);
    assert.equal(mismatches[0].optimized, oo.get(differing[0]!));
    assert.equal(comparison.verdict, "fail");
  });
});

Deno.test("job rejects bad flags with one line on stderr and exit 2", async () => {
  for (
    const args of [["--requests", "0"], ["--concurrency", "-3"], ["--sla", "p95<<1"], ["--bogus"]]
  ) {
    const { code, stderr } = await mainCaptured(["job", ...args]);
    assert.equal(code, 2, args.join(" "));
    assert.equal(stderr.trim().split("\n").length, 1, stderr);
    assert.match(stderr, /^loadgate: /);
  }
});
