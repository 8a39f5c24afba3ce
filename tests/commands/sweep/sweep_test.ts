/**
 * `sweep` against the stub with a fixed service time: serialized, S = 50 ms a
 * request, so its capacity is known: 1 / S = 20 requests/s (a little less by
 * the timer's overshoot). Steps are 1 s and few, so the file stays short; S
 * is long enough that a busy shared machine's jitter barely moves it.
 */
import assert from "node:assert/strict";
import { UsageError } from "../../../lib/base/errors.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { sweepCommand } from "../../../lib/commands/sweep/command.ts";
import { compareSweepsCommand } from "../../../lib/commands/compare/sweeps/command.ts";
import { parseSweepArgs } from "../../../lib/commands/sweep/flags.ts";
import type { SweepJson } from "../../../lib/commands/shared/result_json.ts";
import { startStubProcess } from "../../../lib/stub/spawn.ts";
import { runInProcess } from "../../_in_process.ts";

/** `loadgate sweep ARGS` in process; `onLine` sees each line printed (and may stop the sweep). */
async function sweep(
  args: string[],
  onLine: (line: string, stop: AbortController) => void = () => {},
): Promise<{ code: number; out: string[] }> {
  const options = parseSweepArgs(args);
  if (options === "help") throw new Error("help");
  const stop = new AbortController();
  const out: string[] = [];
  const code = await sweepCommand(options, {
    out: (l) => {
      out.push(l);
      onLine(l, stop);
    },
    err: () => {},
    stop: stop.signal,
  });
  return { code, out };
}

/** Top-level fields docs/json-sweep.md lists in the first table under `## heading`. */
async function documented(heading: string): Promise<Set<string>> {
  const text = await Deno.readTextFile("docs/json-sweep.md");
  const rest = text.slice(text.indexOf(`## ${heading}\n`) + 3);
  const table = rest.slice(0, rest.search(/\n##/) < 0 ? undefined : rest.search(/\n##/));
  return new Set(
    [...table.matchAll(/^\| `([a-z_]+)`(?:, `([a-z_]+)`)? +\|/gm)].flatMap((m) =>
      m.slice(1).filter((x): x is string => x !== undefined)
    ),
  );
}

const readSweep = async (dir: string): Promise<SweepJson> =>
  JSON.parse(await Deno.readTextFile(`${dir}/sweep.json`));

/** S = 50 ms; each 1 s step, no cool-down; the sweeps gate on P95 within 8 S (p95<=400). */
const STUB = ["--mode", "serialized", "--service-ms", "50:50"];
const STEPS = ["--step-duration", "1", "--cool-down", "0"];

Deno.test("sweep: the search finds the serialized stub's capacity within its resolution, and every step's log holds every request", async () => {
  const stub = await startStubProcess(STUB);
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "sweep_" });
  try {
    // Gated on p95<=400 (8 S; was 150, 3 S): the lowest step's P95 is the slowest of its 5
    // requests, and one starved request missed 150 (186.7 ms at 5/s with the suite in eight parts).
    const args = ["--url", stub.url, "--out", `${dir}/a`, ...STEPS, "--sla", "p95<=400"];
    const r = await sweep([
      ...args,
      "--search",
      "--min-rate",
      "5",
      "--max-rate",
      "40",
      "--resolution",
      "4",
    ]);
    assert.equal(r.code, 0, r.out.join("\n"));
    const j = await readSweep(`${dir}/a`);
    assert.ok(j.capacity !== null && j.lowest_failed !== null, JSON.stringify(j));
    // Bracketed within the stated resolution, a little above 1/S = 20/s: a 1 s step at r/s
    // queues (r - 20) requests, the last waiting about (r - 20) x S, past 8 S near 28/s; the
    // timer's overshoot lowers the real capacity a little, and a busy shared machine slows the
    // stub's real pace further (11.6/s seen at load 18 on 2 cores).
    assert.ok(j.lowest_failed - j.capacity <= 4, `bracket [${j.capacity}, ${j.lowest_failed})`);
    assert.ok(j.capacity >= 10 && j.capacity <= 34, `capacity ${j.capacity}`);
    assert.ok(j.lowest_failed >= 12 && j.lowest_failed <= 38, `lowest failed ${j.lowest_failed}`);
    assert.equal(j.steps[0]!.load, 5);
    assert.equal(j.steps[1]!.load, 40);
    assert.ok(j.steps[1]!.overloaded, "40/s is clearly overloaded");
    assert.ok(j.steps.length <= 2 + Math.ceil(Math.log2(35 / 4)), `${j.steps.length} steps`);
    for (const s of j.steps) {
      const log = await readLog(`${dir}/a/${s.dir}/${s.dir}.csv`);
      const measured = log.filter((x) => !x.warmup);
      assert.equal(log.length - measured.length, 5, `${s.dir}: 5 warm-up requests`);
      assert.equal(measured.length, s.requests, `${s.dir}: every measured request logged`);
      if (!s.cut_short) assert.equal(s.requests, Math.ceil(s.load), `${s.dir}: a 1 s step`);
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/a/${s.dir}/${s.dir}.json`));
      assert.equal(summary.summary.requests, s.requests);
      assert.equal(summary.load.rate, s.load);
    }
    assert.match(
      r.out.join("\n"),
      /each step: 5 warm-up requests \(not measured\), then 1 s; 0 s cool-down/,
    );
    assert.match(await Deno.readTextFile(`${dir}/a/summary.md`), /capacity at the SLA: /);
    const fields = await documented("sweep.json");
    for (const key of Object.keys(j)) {
      assert.ok(fields.has(key), `docs/json-sweep.md lists "${key}"`);
    }

    // Compared with itself: the capacity held, every step is a shared load.
    const same = await compareSweepsCommand({
      before: `${dir}/a`,
      after: `${dir}/a`,
      outDir: `${dir}/cmp`,
    }, { out: () => {} });
    assert.equal(same, 0);
    const cmp = JSON.parse(await Deno.readTextFile(`${dir}/cmp/sweep_comparison.json`));
    assert.equal(cmp.steps.length, new Set(j.steps.map((s) => s.load)).size);
    assert.ok(
      cmp.steps.every((s: { p95_diff: { estimate: number } }) => s.p95_diff.estimate === 0),
    );
    // The same sweep, but its lowest step failed after: the capacity dropped.
    await Deno.mkdir(`${dir}/b`);
    for (const s of j.steps) {
      await Deno.mkdir(`${dir}/b/${s.dir}`);
      await Deno.copyFile(`${dir}/a/${s.dir}/${s.dir}.csv`, `${dir}/b/${s.dir}/${s.dir}.csv`);
    }
    const worse = { ...j, steps: j.steps.map((s, i) => (i === 0 ? { ...s, sla: "fail" } : s)) };
    await Deno.writeTextFile(`${dir}/b/sweep.json`, JSON.stringify(worse));
    const dropped = await compareSweepsCommand({
      before: `${dir}/a`,
      after: `${dir}/b`,
      outDir: `${dir}/cmp`,
    }, { out: () => {} });
    assert.equal(dropped, 1);
  } finally {
    await stub.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sweep: --min-capacity passes below the known capacity and fails above it; an interrupted sweep keeps its finished steps", async () => {
  const stub = await startStubProcess(STUB);
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "sweep_" });
  try {
    const args = ["--url", stub.url, ...STEPS];
    // Gated on p95<=400 (8 S): at 5/s, a quarter of the capacity, P95 of
    // 5 requests is their slowest, and one starved request on a busy machine passed 150 (162 and
    // 255 ms seen; 10/s missed it at 171 ms). At 40/s, twice the capacity, a 1 s step queues
    // 20 requests (P95 near 950 ms).
    const gate = ["--sla", "p95<=400"];
    const pass = await sweep([
      ...args,
      ...gate,
      "--rates",
      "5",
      "--min-capacity",
      "5",
      "--out",
      `${dir}/p`,
    ]);
    assert.equal(pass.code, 0, pass.out.join("\n"));
    assert.match(pass.out.at(-2)!, /^verdict: PASS/);
    const fail = await sweep([
      ...args,
      ...gate,
      "--rates",
      "40",
      "--min-capacity",
      "40",
      "--out",
      `${dir}/f`,
    ]);
    assert.equal(fail.code, 1, fail.out.join("\n"));
    assert.match(
      fail.out.at(-2)!,
      /^verdict: FAIL \(the SLA failed at 40\/s <= --min-capacity 40\/s\)/,
    );
    assert.equal((await readSweep(`${dir}/f`)).gate?.state, "fail");

    // Stopped as soon as step 1 has finished: step 1 kept, stopped in step 2.
    const stopped = await sweep(
      [...args, "--rates", "10,15,20", "--cool-down", "5", "--out", `${dir}/s`],
      (line, stop) => line.startsWith("step 1 ") && stop.abort(),
    );
    assert.equal(stopped.code, 130);
    const j = await readSweep(`${dir}/s`);
    assert.equal(j.steps.length, 1);
    assert.deepEqual(j.stopped, { step: 2, load: 15 });
    assert.equal(j.verdict, "interrupted");
    assert.match(stopped.out.join("\n"), /stopped in step 2 \(15 req\/s\)/);
    assert.equal((await readLog(`${dir}/s/step-01-10/step-01-10.csv`)).length, 15);
  } finally {
    await stub.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run --stages logs the stage of every request and gives percentiles per stage", async () => {
  const stub = await startStubProcess(STUB);
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "stages_" });
  try {
    const r = await runInProcess([
      "--url",
      stub.url,
      "--stages",
      "0.5s:20,0.5s:20,0.5s:0",
      // At 20/s the serialized 50 ms stub is at its capacity: its queue, not the stages, sets
      // P95 (923 ms once, with the client starved on a busy machine). The stages are the point.
      "--sla",
      "p95<=5000",
      "--out",
      dir,
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const log = await readLog(`${dir}/run.csv`);
    // 0 -> 20/s over 0.5 s: 5 arrivals; 20/s for 0.5 s: 10; 20 -> 0/s over 0.5 s: 5.
    const counts = [0, 1, 2].map((k) => log.filter((s) => s.stage === k).length);
    assert.deepEqual(counts, [5, 10, 5]);
    assert.ok(log.every((s) => s.stage !== undefined));
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.deepEqual(json.stages.map((s: { requests: number }) => s.requests), [5, 10, 5]);
    assert.equal(json.load.load_model, "stages");
    assert.ok(json.stages.every((s: { p95: number }) => s.p95 >= 50));
    assert.match(r.stdout, /stage 1 \(0\.5-1\.0 s, 20->20\/s\): 10 requests, p50 /);
  } finally {
    await stub.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sweep: bad input is one usage error before anything runs", () => {
  const url = ["--url", "http://127.0.0.1:9/v1/infer"];
  const cases: [string[], RegExp][] = [
    [["--rates", ""], /Cannot parse --rates "": no rate given/],
    [["--rates", "40,20"], /rates must ascend \(40 then 20\)/],
    [
      ["--search", "--min-rate", "50", "--max-rate", "10", "--sla", "p95<=60"],
      /Cannot search from --min-rate 50 up to --max-rate 10/,
    ],
    [["--rates", "0.5", "--step-duration", "1"], /a step would hold no request/],
    [["--search", "--min-rate", "10", "--max-rate", "50"], /Cannot --search without --sla/],
    [["--rates", "10", "--rate", "5"], /Cannot use --rate with sweep/],
    [["--rates", "10", "--sweep-concurrency", "1,2"], /choose one/],
    [["--sweep-concurrency", "1,2.5"], /not an integer/],
  ];
  for (const [args, expect] of cases) {
    assert.throws(
      () => parseSweepArgs([...url, ...args]),
      (e: unknown) => e instanceof UsageError && expect.test(e.message),
      args.join(" "),
    );
  }
});
