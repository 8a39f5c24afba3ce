import assert from "node:assert/strict";
import { verdictLine } from "../../lib/report/verdict_line.ts";
import { summarize } from "../../lib/stats/stats.ts";
import { serveStub } from "../../lib/stub/server.ts";
import { evaluate, metricNames, parseSla } from "../../lib/verdict/threshold.ts";
import { decide, type Verdict } from "../../lib/verdict/verdict.ts";
import { runInProcess } from "../_in_process.ts";

Deno.test("verdictLine() words each state, basis and inconclusive policy", () => {
  assert.equal(verdictLine({ state: "pass", basis: "point", reasons: [] }), "verdict: PASS");
  assert.equal(
    verdictLine({ state: "pass", basis: "interval", reasons: [] }, { confidence: 0.9 }),
    "verdict: PASS (every gated percentile's 90% interval meets the SLA and every check holds)",
  );
  assert.equal(
    verdictLine({ state: "fail", basis: "point", reasons: ["a", "b"] }),
    "verdict: FAIL (a; b)",
  );
  const open: Verdict = { state: "inconclusive", basis: "interval", reasons: ["x"] };
  assert.equal(verdictLine(open), "verdict: INCONCLUSIVE (x) [exit 4]");
  assert.equal(
    verdictLine(open, { policy: "fail" }),
    "verdict: INCONCLUSIVE (x) [--strict: counts as a fail]",
  );
  assert.equal(
    verdictLine(open, { interrupted: "3 of 9 requests finished" }),
    "verdict: INTERRUPTED (3 of 9 requests finished)",
  );
});

Deno.test("zero measured requests is never a pass, even when every threshold holds", () => {
  const empty = summarize([]);
  const thresholds = parseSla(["throughput>=0"], 0, metricNames(empty));
  const results = evaluate(thresholds, empty);
  assert.ok(results.every((r) => r.pass), "the thresholds alone would pass");
  const v = decide(results, {}, empty);
  assert.equal(v.state, "fail");
  assert.match(v.reasons[0]!, /^no request was measured/);
});

Deno.test("a threshold on a metric without data fails and says which requests were missing", () => {
  const empty = summarize([]);
  const [p95] = evaluate(parseSla(["p95<=800"], 0, metricNames(empty)), empty);
  assert.deepEqual(decide([p95!], {}, { requests: 5, failed: 5, errors: { timeout: 5 } }), {
    state: "fail",
    basis: "point",
    reasons: [
      "SLA p95<=800 missed: every request failed, so p95 measures only failures",
      "5 of 5 requests failed: 5 timeout",
    ],
  });
  assert.match(decide([p95!], {}, empty).reasons.join("; "), /no measured request to measure p95/);
});

/** The verdict line `run` printed, and the state its summary JSON holds. */
async function runOnce(dir: string, url: string, extra: string[]) {
  const r = await runInProcess(["--url", url, "-n", "20", "-c", "2", "--out", dir, ...extra]);
  const lines = r.stdout.split("\n").filter((l) => l.startsWith("verdict: "));
  const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
  return { code: r.code, lines, json, stdout: r.stdout };
}

Deno.test("run --verdict interval: the verdict line and run.json agree with the exit code", async () => {
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "verdict_line_" });
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 3] });
  try {
    // 20 requests: P95 far under 800 ms, but its 95% interval is unbounded above.
    const gated = await runOnce(dir, stub.url, ["--verdict", "interval"]);
    assert.equal(gated.code, 4);
    assert.equal(gated.lines.length, 1, gated.stdout);
    assert.match(
      gated.lines[0]!,
      /^verdict: INCONCLUSIVE \(SLA p95<=800 inconclusive: .*\) \[exit 4\]$/,
    );
    assert.ok(!gated.stdout.includes("verdict: PASS"), gated.stdout);
    assert.equal(gated.json.verdict, "inconclusive");
    assert.equal(gated.json.interval_verdict.exit_code, 4);

    const lenient = await runOnce(dir, stub.url, ["--verdict", "interval", "--lenient"]);
    assert.equal(lenient.code, 0);
    assert.match(lenient.lines[0]!, /^verdict: INCONCLUSIVE .*\[--lenient: counts as a pass\]$/);

    const point = await runOnce(dir, stub.url, []);
    assert.equal(point.code, 0);
    assert.deepEqual(point.lines, ["verdict: PASS"]);
    assert.equal(point.json.verdict, "pass");

    const missed = await runOnce(dir, stub.url, ["--sla", "p95<=0.001"]);
    assert.equal(missed.code, 1);
    assert.match(missed.lines[0]!, /^verdict: FAIL \(SLA p95<=0\.001 missed: measured /);
    assert.equal(missed.json.verdict, "fail");
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run: a threshold on a metric no request measured is a FAIL saying why", async () => {
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "verdict_line_" });
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 3] });
  try {
    // --stream against plain JSON answers: no request carries a first token.
    const r = await runOnce(dir, stub.url, [
      "--stream",
      "--body",
      '{"stream":false,"input":"x"}',
      "--sla",
      "ttft_p95<=300",
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.lines[0]!,
      /^verdict: FAIL \(SLA ttft_p95<=300 missed: no successful request to measure ttft_p95/,
    );
    assert.equal(r.json.verdict, "fail");
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
