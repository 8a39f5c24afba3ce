import assert from "node:assert/strict";
import {
  mergeCommand,
  type MergeOptions,
  mergeThresholds,
} from "../../../lib/commands/merge/command.ts";
import { parseMergeArgs } from "../../../lib/commands/merge/flags.ts";
import { closedLoopShare } from "../../../lib/load/shard.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { UsageError } from "../../../lib/base/errors.ts";
import { mulberry32 } from "../../../lib/stats/random.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import { summarize } from "../../../lib/stats/stats.ts";
import { LOAD, type ShardSpec, writeShard } from "../../_shards.ts";
import { makeSample, runMain } from "../../_helpers.ts";

/** The single run's 12 requests, seeded latencies, one failure. */
function runSamples(): Sample[] {
  const rand = mulberry32(11);
  return Array.from({ length: LOAD.requests }, (_, id) =>
    makeSample({
      phase: "run",
      requestId: id,
      latencyMs: Math.round(rand() * 400_000) / 1000,
      sentMs: id * 3,
      ...(id === 5 ? { ok: false, error: "http_5xx" as const, status: 503 } : {}),
    }));
}

/** Three shards of the closed loop, each with its share of ids. */
function shardSpecs(samples: Sample[], count = 3): ShardSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const share = closedLoopShare(LOAD, { index, count });
    return {
      index,
      count,
      samples: samples.slice(share.firstId, share.firstId + share.requests),
      offsetMs: index * 2,
    };
  });
}

async function merge(
  root: string,
  specs: ShardSpec[],
  over: Partial<MergeOptions> = {},
): Promise<{ code: number; lines: string[]; json: Record<string, unknown> }> {
  const r = await mergeRaw(root, specs, over);
  const json = JSON.parse(await Deno.readTextFile(`${r.outDir}/${r.phase}.json`));
  return { code: r.code, lines: r.lines, json };
}

/** Merges the shards; the merged files may be absent (a refused merge writes none). */
async function mergeRaw(
  root: string,
  specs: ShardSpec[],
  over: Partial<MergeOptions> = {},
): Promise<{ code: number; lines: string[]; outDir: string; phase: string }> {
  const dirs: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const dir = `${root}/shard-${i}`;
    await writeShard(dir, spec);
    dirs.push(dir);
  }
  const lines: string[] = [];
  const options: MergeOptions = {
    dirs,
    outDir: `${root}/merged`,
    phase: "merged",
    thresholds: mergeThresholds(["p95<=1000"], 0.5),
    maxSkewMs: 500,
    ...over,
  };
  await Deno.mkdir(options.outDir, { recursive: true });
  const code = await mergeCommand(options, {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  return { code, lines, outDir: options.outDir, phase: options.phase };
}

/** A refused merge: exit 1, one line naming why, and no merged file in the folder. */
async function refusedMerge(root: string, specs: ShardSpec[]): Promise<string> {
  const r = await mergeRaw(root, specs);
  assert.equal(r.code, 1);
  assert.equal(r.lines.length, 1, r.lines.join("\n"));
  assert.match(r.lines[0]!, /^loadgate merge: FAIL, nothing merged or written: /);
  assert.deepEqual([...Deno.readDirSync(r.outDir)], [], "no merged file");
  return r.lines[0]!;
}

async function inTemp(body: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await body(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("merge gives the percentiles of the union, one log of every request, and passes", () =>
  inTemp(async (root) => {
    const samples = runSamples();
    const { code, json, lines } = await merge(root, shardSpecs(samples));
    assert.equal(code, 0, lines.join("\n"));
    const expected = summarize(samples);
    const summary = json.summary as Record<string, number>;
    for (const k of ["requests", "ok", "failed", "p50", "p95", "p99", "ok_p95", "mean", "max"]) {
      assert.equal(summary[k], (expected as unknown as Record<string, number>)[k], k);
    }
    assert.equal(json.verdict, "pass");
    const checks = json.checks as Record<string, { ok: boolean; made: boolean }>;
    assert.ok(Object.values(checks).every((c) => c.ok), JSON.stringify(checks));
    assert.equal((json.merge as { skew_ms: number }).skew_ms, 4);
    const log = await readLog(`${root}/merged/merged.csv`);
    assert.deepEqual(
      log.map((s) => s.requestId).sort((a, b) => a - b),
      samples.map((s) => s.requestId),
    );
    assert.ok(log.every((s) => s.phase === "merged"));
    const last = log.find((s) => s.requestId === 11)!;
    assert.equal(
      last.sentMs,
      33 + 4,
      "send times on one timeline: shard 2 started 4 ms after shard 0",
    );
    assert.deepEqual(json.load, LOAD);
    await assert.rejects(
      () => Deno.stat(`${root}/merged/merged.csv.partial`),
      Deno.errors.NotFound,
    );
  }));

Deno.test("merge refuses a missing shard, naming it, and writes nothing", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    const line = await refusedMerge(root, [specs[0]!, specs[2]!]);
    assert.match(line, /check shards_present failed: shard 1 of 0\.\.2 missing/);
  }));

Deno.test("merge refuses a shard given twice (never a log with ids twice), and writes nothing", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    const line = await refusedMerge(root, [...specs, specs[1]!]);
    assert.match(line, /shard 1 given 2 times/);
  }));

Deno.test("merge refuses shards with another workload, load or target, and writes nothing", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    specs[2] = { ...specs[2]!, workloadDigest: "e".repeat(64), url: "http://127.0.0.1:9/x" };
    specs[1] = { ...specs[1]!, load: { ...LOAD, timeout_ms: 5 } };
    const line = await refusedMerge(root, specs);
    assert.match(line, /check same_workload failed: the shards differ in workload digest/);
    assert.match(line, /check same_load failed/);
    assert.match(line, /check same_target failed/);
    assert.doesNotMatch(line, /same_tool_version/);
  }));

Deno.test("merge fails on an interrupted shard", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    specs[0] = { ...specs[0]!, interrupted: true };
    const { code, json } = await merge(root, specs);
    assert.equal(code, 1);
    assert.match((json.reasons as string[]).join("\n"), /shard 0 was interrupted/);
  }));

Deno.test("merge warns on a late start without failing, and reports the skew", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    specs[1] = { ...specs[1]!, offsetMs: 1500 };
    const { code, json, lines } = await merge(root, specs);
    assert.equal(code, 0);
    const skew = (json.checks as Record<string, { detail: string; warning?: boolean }>).start_skew!;
    assert.equal(skew.warning, true);
    assert.match(skew.detail, /within 1500 ms .*above 500 ms/);
    assert.ok(lines.some((l) => /check start_skew: warn/.test(l)));
  }));

Deno.test("merge fails when the union misses the SLA", () =>
  inTemp(async (root) => {
    const { code, json } = await merge(root, shardSpecs(runSamples()), {
      thresholds: mergeThresholds(["p95<=10"], 0.5),
    });
    assert.equal(code, 1);
    assert.match((json.reasons as string[])[0]!, /SLA p95<=10 missed/);
  }));

Deno.test("merge refuses unreadable input with a usage error and leaves no merged log", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    await assert.rejects(() => merge(root, specs, { dirs: [`${root}/none`] }), UsageError);
    const whole = shardSpecs(runSamples(), 1)[0]!; // one shard of one: the logs are read
    await writeShard(`${root}/bad`, whole);
    await Deno.writeTextFile(`${root}/bad/run.csv`, "not,a,log\n");
    await Deno.mkdir(`${root}/out`);
    const io = { out: () => {}, err: () => {} };
    const base = {
      outDir: `${root}/out`,
      phase: "m",
      thresholds: mergeThresholds([], 0),
      maxSkewMs: 1,
    };
    await assert.rejects(() => mergeCommand({ ...base, dirs: [`${root}/bad`] }, io), /header/);
    await writeShard(`${root}/bad`, whole);
    await Deno.writeTextFile(`${root}/bad/run.json`, "{");
    await assert.rejects(
      () => mergeCommand({ ...base, dirs: [`${root}/bad`] }, io),
      /Cannot parse/,
    );
    await Deno.writeTextFile(`${root}/bad/run.json`, JSON.stringify({ manifest: { shard: {} } }));
    await assert.rejects(
      () => mergeCommand({ ...base, dirs: [`${root}/bad`] }, io),
      /manifest\.shard\.count is not an integer/,
    );
    assert.deepEqual([...Deno.readDirSync(`${root}/out`)], [], "nothing written");
  }));

Deno.test("parseMergeArgs() needs folders and refuses a metric a merge does not report", () => {
  assert.throws(() => parseMergeArgs([]), /give the shards' folders/);
  assert.throws(() => parseMergeArgs(["a", "--sla", "ttft_p95<=5"]), /unknown metric "ttft_p95"/);
  assert.throws(() => parseMergeArgs(["a", "--phase", "a/b"]), UsageError);
  const o = parseMergeArgs(["a", "b", "--sla", "p99<300", "--max-skew-ms", "50"]);
  assert.ok(o !== "help");
  assert.deepEqual([o.dirs, o.thresholds.map((t) => t.expr), o.maxSkewMs, o.outDir], [
    ["a", "b"],
    ["p99<300", "error_rate<=0"],
    50,
    "results/merged",
  ]);
});

Deno.test("loadgate merge exits 0 on a passing merge, compare reads its log, and merge exits 2 on a missing folder", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    for (const [i, spec] of specs.entries()) await writeShard(`${root}/shard-${i}`, spec);
    const dirs = specs.map((_, i) => `${root}/shard-${i}`);
    const perms = [`--allow-read=${root}`, `--allow-write=${root}`];
    const ok = await runMain(
      ["merge", ...dirs, "--out", `${root}/m`, "--sla", "p95<=1000", "--max-error-rate", "0.1"],
      perms,
    );
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /merged: 3 shards, 12 requests/);
    const merged = `${root}/m/merged.csv`;
    const compared = await runMain(
      [
        "compare",
        merged,
        merged,
        "--out",
        `${root}/c`,
        "--sla",
        "p95<=1000",
        "--max-error-rate",
        "0.1",
      ],
      perms,
    );
    assert.equal(compared.code, 0, "compare reads a merged run as either side: " + compared.stderr);
    const missing = await runMain(["merge", `${root}/none`, "--out", `${root}/m2`], perms);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^loadgate: Cannot read shard folder ".*none"/);
  }));

Deno.test("merge --json, --junit and --prom: the merged summary on stdout, every check a test case", () =>
  inTemp(async (root) => {
    const specs = shardSpecs(runSamples());
    for (const [i, spec] of specs.entries()) await writeShard(`${root}/shard-${i}`, spec);
    const dirs = specs.map((_, i) => `${root}/shard-${i}`);
    const r = await runMain(
      [
        "merge",
        ...dirs,
        "--out",
        `${root}/m`,
        "--sla",
        "p95<=1000",
        "--max-error-rate",
        "0.1",
        "--json",
        "--junit",
        `${root}/m.xml`,
        "--prom",
        `${root}/m.prom`,
      ],
      [`--allow-read=${root}`, `--allow-write=${root}`],
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.summary.requests, 12);
    assert.match(r.stderr, /merged: 3 shards, 12 requests/);
    const xml = await Deno.readTextFile(`${root}/m.xml`);
    assert.match(xml, /<testsuite name="loadgate\.merge" [^>]*failures="0"/);
    assert.match(xml, /classname="loadgate\.merge\.check" name="no_duplicate_ids"/);
    assert.match(await Deno.readTextFile(`${root}/m.prom`), /^loadgate_requests\{phase="merged",/m);
  }));
