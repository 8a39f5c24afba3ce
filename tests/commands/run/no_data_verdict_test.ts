/**
 * Issue 12, item 1: PASS only when a measured request backs every threshold.
 * A run with zero measured requests, or a threshold on a metric that no
 * request measured, fails and says why, on the point and the interval verdict.
 */
import assert from "node:assert/strict";
import { decide, onlyFailuresReason } from "../../../lib/verdict/verdict.ts";
import { evaluate, parseThreshold } from "../../../lib/verdict/threshold.ts";
import { decideIntervals, evaluateIntervals } from "../../../lib/verdict/interval_verdict.ts";
import { runCommand } from "../../../lib/commands/run/command.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { closedPort, rawServer } from "../../_tcp_servers.ts";
import { runMain } from "../../_helpers.ts";
import { serveStub } from "../../../lib/stub/server.ts";

const ALL = ["error_rate", "p95", "ttft_p95", "requests"];

Deno.test("a summary of zero requests backs no threshold: error_rate<=0 fails with 'no request was measured'", () => {
  const t = [parseThreshold("error_rate<=0", ALL)];
  const summary = { requests: 0, failed: 0, errors: {}, error_rate: 0 };
  const point = decide(evaluate(t, summary), {}, summary);
  assert.equal(point.state, "fail");
  assert.match(point.reasons.join("\n"), /no request was measured/);
  const iv = decideIntervals(evaluateIntervals(t, summary, {}), {}, "code", 0.95, summary);
  assert.equal(iv.state, "fail");
  assert.equal(iv.exit_code, 1);
  assert.match(iv.reasons.join("\n"), /no request was measured/);
});

Deno.test("a threshold on a metric no successful request measured fails and names it", () => {
  const t = [parseThreshold("ttft_p95<=100", ALL)];
  const summary = { requests: 5, failed: 5, errors: { stream: 5 }, error_rate: 1, ttft_p95: NaN };
  const r = evaluate(t, summary);
  assert.equal(r[0]!.pass, false);
  assert.deepEqual(decide(r, {}, summary).reasons, [
    "SLA ttft_p95<=100 missed: no successful request to measure ttft_p95",
    "5 of 5 requests failed: 5 stream",
  ]);
});

Deno.test("run: a phase that sent no request (its duration over before the first) exits 1, FAIL", async () => {
  const server = rawServer(async () => {});
  const dir = await Deno.makeTempDir({ prefix: "loadgate_nodata_" });
  const out: string[] = [];
  try {
    const options = parseRunArgs([
      "--url",
      server.url,
      "-n",
      "5",
      "--sla",
      "error_rate<=0",
      "--out",
      dir,
      "-q",
    ]);
    if (options === "help") throw new Error("unreachable");
    for (const verdict of ["point", "interval"] as const) {
      const code = await runCommand(
        {
          ...options,
          durationMs: 0,
          uncertainty: { ...options.uncertainty!, verdict },
        },
        { out: (l) => out.push(l), err: () => {}, stop: new AbortController().signal },
      );
      const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
      assert.equal(json.summary.requests, 0);
      assert.equal(code, 1, `${verdict}: ${out.join("\n")}`);
      assert.equal(json.verdict, "fail");
      assert.ok(json.reasons.some((r: string) => /no request was measured/.test(r)), json.reasons);
    }
    assert.equal(server.accepted(), 0);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a latency threshold is a FAIL when every request failed, whatever the error-rate gate allows", async () => {
  const dead = closedPort();
  await Deno.mkdir("results", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "dead_" });
  try {
    const r = await runMain(
      [
        "run",
        "--url",
        `http://127.0.0.1:${dead}/x`,
        "-n",
        "5",
        "-c",
        "1",
        "--max-error-rate",
        "1",
        "--sla",
        "p95<=800",
        "--out",
        dir,
        "-q",
      ],
      ["--allow-net=127.0.0.1", "--allow-read", "--allow-write"],
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.equal(json.verdict, "fail");
    assert.ok(
      json.reasons.some((x: string) =>
        x.includes("every request failed, so p95 measures only failures")
      ),
      json.reasons.join("; "),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onlyFailuresReason() names all-request metrics only when every request failed", () => {
  const t = { expr: "p95<=800", metric: "p95" };
  assert.match(onlyFailuresReason(t, { requests: 3, failed: 3, errors: {} })!, /only failures/);
  assert.equal(onlyFailuresReason(t, { requests: 3, failed: 2, errors: {} }), null);
  assert.equal(
    onlyFailuresReason({ expr: "error_rate<=1", metric: "error_rate" }, {
      requests: 3,
      failed: 3,
      errors: {},
    }),
    null,
  );
  assert.equal(onlyFailuresReason(t, { requests: 0, failed: 0, errors: {} }), null);
});

Deno.test("run: a TPOT goodput SLO on answers that did not stream has no data: FAIL, exit 1, saying why", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1] });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "loadgate_goodput_" });
  try {
    const chat = stub.url.replace("/v1/infer", "/v1/chat/completions");
    const r = await runMain([
      "run",
      "--url",
      chat,
      "--api",
      "openai-chat",
      "--model",
      "m",
      "--synthetic",
      "input=4,output=3",
      "--goodput",
      "tpot<=0.001",
      "--sla",
      "goodput_ratio>=0.99",
      "-n",
      "10",
      "--out",
      dir,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /verdict: FAIL/);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.match(
      summary.reasons.join("\n"),
      /SLA goodput_ratio>=0.99 missed: no request had a value for every --goodput SLO/,
    );
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
