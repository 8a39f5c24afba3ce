import assert from "node:assert/strict";
import { summarize } from "../../../lib/stats/stats.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { UsageError } from "../../../lib/base/errors.ts";
import { JOB_DEFAULTS, runJob } from "../../../lib/commands/job/command.ts";
import { compareCommand } from "../../../lib/commands/compare/command.ts";
import { parseCompareArgs } from "../../../lib/commands/compare/flags.ts";
import { DURATION_REQUEST_CAP, runCommand } from "../../../lib/commands/run/command.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { startStubProcess } from "../../../lib/stub/spawn.ts";
import { serveStub } from "../../../lib/stub/server.ts";
import { mainCaptured } from "../../_main_captured.ts";
import { compareInProcess, runInProcess } from "../../_in_process.ts";

/** A plain HTTP server that is not loadgate's stub: echoes the body length, after `delayMs`. */
function plainServer(delayMs = 0): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.arrayBuffer();
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    return Response.json({ length: body.byteLength });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/echo`, close: () => server.shutdown() };
}

Deno.test("run against a plain server writes a valid log and summary, and compare gates two runs", async () => {
  const server = plainServer();
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    for (const [phase, reuse] of [["before", "--no-reuse"], ["after", "--reuse"]]) {
      const r = await mainCaptured([
        "run",
        "--url",
        server.url,
        "-n",
        "20",
        "-c",
        "3",
        "--phase",
        phase!,
        reuse!,
        "--out",
        dir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const log = await readLog(`${dir}/${phase}.csv`);
      assert.equal(log.length, 20);
      assert.ok(log.every((s) => s.ok && s.phase === phase && s.serverQueueMs === null));
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/${phase}.json`));
      assert.equal(summary.summary.requests, 20);
      // A plain closed loop keeps no per-request objects: its summary comes from the
      // sample store, and must equal the one computed from its log.
      const fromLog = summarize(log);
      for (const k of ["p50", "p95", "p99", "mean"] as const) {
        assert.ok(Math.abs(summary.summary[k] - fromLog[k]) <= 0.001, `${phase} ${k}`);
      }
      assert.ok(summary.uncertainty.intervals.p50.lower <= summary.summary.p50);
      assert.equal(summary.load.concurrency, 3);
    }
    const cmp = await mainCaptured([
      "compare",
      `${dir}/before.csv`,
      `${dir}/after.csv`,
      "--out",
      `${dir}/cmp`,
    ]);
    assert.equal(cmp.code, 0, cmp.stderr + cmp.stdout);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/cmp/comparison.json`));
    assert.equal(json.checks.outputs_identical.compared, 20);
    assert.doesNotMatch(cmp.stderr, /replaced/);

    const strict = await mainCaptured([
      "compare",
      `${dir}/before.csv`,
      `${dir}/after.csv`,
      "--out",
      `${dir}/cmp`,
      "--sla",
      "p50<0",
    ]);
    assert.equal(strict.code, 1);
    // A second compare into the same folder says what it replaced, as run does.
    assert.match(
      strict.stderr,
      new RegExp(`replaced the earlier ${dir}/cmp/comparison.json, ${dir}/cmp/comparison.csv`),
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compare refuses logs run under different load, unless forced", async () => {
  const server = plainServer();
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    const run = (concurrency: string, phase: string) =>
      mainCaptured([
        "run",
        "--url",
        server.url,
        "-n",
        "6",
        "-c",
        concurrency,
        "--phase",
        phase,
        "--out",
        dir,
      ]);
    await run("2", "a");
    await run("3", "b");
    const refused = await mainCaptured([
      "compare",
      `${dir}/a.csv`,
      `${dir}/b.csv`,
      "--out",
      `${dir}/cmp`,
    ]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Refusing to compare .*concurrency: 2 vs 3.*--force/);
    const forced = await mainCaptured([
      "compare",
      `${dir}/a.csv`,
      `${dir}/b.csv`,
      "--out",
      `${dir}/cmp`,
      "--force",
    ]);
    assert.equal(forced.code, 1, "forced, the conditions check still fails the verdict");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run rejects a malformed URL or unsupported scheme with exit 2", async () => {
  for (const url of ["not a url", "ftp://127.0.0.1/x", ""]) {
    const r = await mainCaptured(["run", "--url", url]);
    assert.equal(r.code, 2, url);
    assert.match(r.stderr, /^loadgate: (Cannot parse --url|Missing --url)/);
  }
});

/** A plain streaming server, not loadgate's stub: three SSE chunks, then usage and [DONE]. */
function plainStreamingServer(): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const { prompt } = await req.json();
    const enc = new TextEncoder();
    const words = String(prompt).split(" ");
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        for (const w of words) {
          await new Promise((r) => setTimeout(r, 5));
          c.enqueue(enc.encode(`data: {"choices":[{"delta":{"content":"${w}"}}]}\n\n`));
        }
        const usage = { completion_tokens: words.length * 2 };
        c.enqueue(
          enc.encode(`data: {"choices":[],"usage":${JSON.stringify(usage)}}\n\ndata: [DONE]\n\n`),
        );
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/v1/chat`, close: () => server.shutdown() };
}

Deno.test("run against a plain streaming server with a dataset, warm-up and --stream logs and summarizes it", async () => {
  const server = plainStreamingServer();
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    await Deno.writeTextFile(
      `${dir}/prompts.jsonl`,
      '{"prompt":"one two three"}\n{"prompt":"four five"}\n{"prompt":"six"}\n',
    );
    const r = await runInProcess([
      "--url",
      server.url,
      "--dataset",
      `${dir}/prompts.jsonl`,
      "-n",
      "9",
      "-c",
      "3",
      "--warmup",
      "2",
      "--stream",
      "--out",
      dir,
      "--sla",
      "ttft_p95<10000",
      "--sla",
      "output_tokens>=12",
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /streaming: TTFT p50 [\d.]+ ms/);
    const log = await readLog(`${dir}/run.csv`);
    assert.equal(log.length, 11);
    assert.equal(log.filter((s) => s.warmup).length, 2, "warm-ups are logged and flagged");
    const kept = log.filter((s) => !s.warmup);
    assert.deepEqual(kept.map((s) => s.requestId).sort((a, b) => a - b), [...Array(9).keys()]);
    assert.ok(kept.every((s) => s.ok && s.stream && s.stream.ttftMs !== null));
    // Dataset in order: request i sends line i % 3; tokens come from the server's usage.
    assert.deepEqual(kept.map((s) => s.stream!.tokens).sort(), [2, 2, 2, 4, 4, 4, 6, 6, 6]);
    assert.deepEqual(kept.map((s) => s.stream!.chunks).sort(), [1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.equal(json.summary.requests, 9, "warm-ups are not in the statistics");
    assert.equal(json.warmup_requests, 2);
    assert.equal(json.summary.output_tokens, 36);
    assert.equal(json.summary.streamed, 9);
    for (const k of ["ttft_p50", "ttft_p95", "ttft_p99", "itl_p95", "tpot_p50"]) {
      assert.equal(typeof json.summary[k], "number", k);
    }
    assert.equal(json.load.warmup, 2);
    assert.equal(json.load.stream, true);
    assert.equal(json.sla_met, true);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run bounded by time, closed and open loop; compare accepts two time-bounded runs", async () => {
  // 10 ms a request: 2 workers send at most 2 x (200 / 10 + 1) requests in 0.2 s, under -n.
  const server = plainServer(10);
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    for (const phase of ["t1", "t2"]) {
      const r = await runInProcess([
        "--url",
        server.url,
        "-d",
        "0.2",
        "-n",
        "1000",
        "-c",
        "2",
        "--phase",
        phase,
        "--out",
        dir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(await Deno.readTextFile(`${dir}/${phase}.json`));
      assert.equal(json.load.duration_s, 0.2);
      assert.ok(json.summary.requests > 0 && json.summary.requests < 1000, "time ended the run");
      assert.equal(json.interrupted, false);
    }
    const cmp = await compareInProcess([`${dir}/t1.csv`, `${dir}/t2.csv`, "--out", `${dir}/cmp`]);
    assert.equal(cmp.code, 0, cmp.stderr + cmp.stdout);
    assert.match(cmp.stdout, /bounded by time/);

    const open = await runInProcess([
      "--url",
      server.url,
      "-d",
      "0.2",
      "--rate",
      "50",
      "--phase",
      "o",
      "--out",
      dir,
    ]);
    assert.equal(open.code, 0, open.stderr);
    const log = await readLog(`${dir}/o.csv`);
    assert.equal(log.length, 10, "50/s for 0.2 s: arrivals at 0, 20, ..., 180 ms");
    assert.ok(log.every((s) => s.scheduledMs !== undefined && s.sentMs >= s.scheduledMs - 0.001));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a malformed, mistyped or inapplicable threshold exits 2 before anything runs", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["--sla", "p95<<800"], /expected METRIC OP VALUE/],
    [["--sla", "p59<800"], /unknown metric "p59"/],
    [["--sla", "ttft_p95<300"], /reports no streaming metrics \(they need --stream\)/],
  ];
  for (const [i, [args, pattern]] of cases.entries()) {
    // Port 9: nothing is sent, so nothing may listen there. The first goes through the CLI.
    const url = ["--url", "http://127.0.0.1:9/x"];
    const r = i === 0
      ? await mainCaptured(["run", ...url, ...args])
      : await runInProcess([...url, ...args]);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
  const cmp = await mainCaptured(["compare", "a.csv", "b.csv", "--sla", "p95=800"]);
  assert.equal(cmp.code, 2);
  assert.match(cmp.stderr, /Cannot parse --sla "p95=800"/);
});

Deno.test("parseRunArgs() refuses flags that do not go together or are out of range", () => {
  const url = ["--url", "http://127.0.0.1:9/x"];
  const cases: Array<[string[], RegExp]> = [
    [["--arrival", "poisson"], /--arrival without --rate/],
    [["--max-in-flight", "4"], /--max-in-flight without --rate/],
    [["--body", "{}", "--dataset", "d.jsonl"], /--body with --dataset/],
    [["--dataset-order", "random"], /--dataset-order without --dataset/],
    [["--rate", "0"], /--rate: "0" is not a positive number/],
    [["--rate", "fast"], /--rate: "fast"/],
    [
      ["--rate", "10", "--arrival", "bursty"],
      /--arrival: "bursty" is not one of constant, poisson/,
    ],
    [["--rate", "10", "--max-in-flight", "0"], /--max-in-flight: "0"/],
    [["--duration=-1"], /--duration: "-1" is not a duration/],
    [["--duration", "-1"], /--duration/],
    [["--warmup=-2"], /--warmup: "-2"/],
    [["--dataset", "d.jsonl", "--dataset-order", "shuffled"], /--dataset-order: "shuffled"/],
    [["--stream=yes"], /stream/],
  ];
  for (const [args, pattern] of cases) {
    assert.throws(
      () => parseRunArgs([...url, ...args]),
      (e) => e instanceof UsageError && pattern.test(e.message),
      args.join(" "),
    );
  }
  const ok = parseRunArgs([...url, "--rate", "20", "--arrival", "poisson", "-d", "2", "--stream"]);
  assert.ok(ok !== "help");
  assert.equal(ok.rate, 20);
  assert.equal(ok.durationMs, 2000);
  assert.equal(ok.requests, DURATION_REQUEST_CAP, "a run bounded by time alone is still bounded");
});

Deno.test("run refuses a dataset that is not JSON lines with exit 2 naming the line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  try {
    await Deno.writeTextFile(`${dir}/bad.jsonl`, '{"a":1}\nnot json\n');
    const r = await runInProcess([
      "--url",
      "http://127.0.0.1:9/x",
      "--dataset",
      `${dir}/bad.jsonl`,
      "--out",
      dir,
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.jsonl" line 2: "not json" is not JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compare gives the same outputs and exit codes on a main-job log and a run log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_run_" });
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: () => {} };
  try {
    const job = await runJob(
      {
        ...JOB_DEFAULTS,
        requests: 24,
        concurrency: 4,
        serviceMs: [1, 4],
        outDir: `${dir}/job`,
        skipTests: true,
      },
      {
        ...io,
        startStub: (args) => startStubProcess(args),
        runTests: () => Promise.reject(new Error("not run")),
        stop: new AbortController().signal,
      },
    );
    assert.equal(job, 0);
    const stub = serveStub({ mode: "concurrent", serviceMs: [1, 4] });
    await Deno.mkdir(`${dir}/run`);
    try {
      const options = parseRunArgs([
        "--url",
        stub.url,
        "-n",
        "24",
        "-c",
        "4",
        "--out",
        `${dir}/run`,
      ]);
      assert.ok(options !== "help");
      assert.equal(await runCommand(options, { ...io, stop: new AbortController().signal }), 0);
    } finally {
      await stub.shutdown();
    }
    const compare = async (after: string, sla: string[]) => {
      const options = parseCompareArgs([
        `${dir}/job/baseline.csv`,
        after,
        "--out",
        `${dir}/cmp`,
        ...sla,
      ], false);
      assert.ok(options !== "help");
      return await compareCommand(options, io);
    };
    assert.equal(await compare(`${dir}/run/run.csv`, []), 0);
    const fromRun = JSON.parse(await Deno.readTextFile(`${dir}/cmp/comparison.json`));
    const fromJob = JSON.parse(await Deno.readTextFile(`${dir}/job/comparison.json`));
    assert.equal(fromRun.checks.conditions_match.ok, true, fromRun.checks.conditions_match.detail);
    assert.equal(fromRun.checks.outputs_identical.compared, 24);
    for (const key of ["baseline", "optimized", "delta", "checks", "sla", "sla_met", "verdict"]) {
      assert.ok(key in fromRun && key in fromJob, key);
    }
    assert.deepEqual(Object.keys(fromRun.optimized).sort(), Object.keys(fromJob.optimized).sort());
    const csvHeader = async (d: string) =>
      (await Deno.readTextFile(`${d}/comparison.csv`)).split("\n")[0];
    assert.equal(await csvHeader(`${dir}/cmp`), await csvHeader(`${dir}/job`));
    assert.equal(await compare(`${dir}/run/run.csv`, ["--sla", "p50<0"]), 1);
    await assert.rejects(
      compare(`${dir}/run/run.csv`, ["--sla", "ttft_p95<300"]),
      /no streaming metrics/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
