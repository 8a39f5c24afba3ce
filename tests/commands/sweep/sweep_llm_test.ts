/**
 * `sweep --api openai-chat --stream` against the stub's OpenAI API (prefill
 * 1 ms a prompt token, so TTFT is at least 20 ms for 20-token prompts): each
 * step's line, table, summary.md and sweep.json carry TTFT, TPOT and ITL, a
 * step that misses `ttft_p95<=5` says so by name, and the knee is on TTFT P95.
 */
import assert from "node:assert/strict";
import { sweepCommand } from "../../../lib/commands/sweep/command.ts";
import { parseSweepArgs } from "../../../lib/commands/sweep/flags.ts";
import type { SweepJson } from "../../../lib/commands/shared/result_json.ts";
import { stepJsonOf } from "../../../lib/commands/sweep/json.ts";
import { serveStub } from "../../../lib/stub/server.ts";
import { openAiStubOptions } from "../../_helpers.ts";

async function sweep(args: string[]): Promise<{ code: number; out: string[] }> {
  const options = parseSweepArgs(args);
  if (options === "help") throw new Error("help");
  const out: string[] = [];
  const stop = new AbortController();
  const code = await sweepCommand(options, {
    out: (l) => out.push(l),
    err: () => {},
    stop: stop.signal,
  });
  return { code, out };
}

const f1 = (v: number) => v.toFixed(1);

Deno.test("a sweep under a TTFT SLO prints TTFT, TPOT and ITL a step and names the threshold a step missed", async () => {
  const stub = serveStub({
    mode: "concurrent",
    serviceMs: [1, 1],
    openai: openAiStubOptions([4, 4], { decodeMs: 5 }),
  });
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "sweep_llm_" });
  try {
    const base = new URL(stub.url).origin;
    const common = [
      ...["--url", base, "--api", "openai-chat", "--model", "stub-model", "--stream"],
      ...["--synthetic", "input=20,output=6", "--ignore-eos", "--warmup", "1"],
      ...["--rates", "4,8", "--step-requests", "6", "--cool-down", "0"],
    ];
    const r = await sweep([...common, "--sla", "ttft_p95<=5", "--out", `${dir}/tight`]);
    assert.equal(r.code, 0, "no --min-capacity: a measurement");
    const j: SweepJson = JSON.parse(await Deno.readTextFile(`${dir}/tight/sweep.json`));
    assert.equal(j.knee.metric, "ttft_p95", "the knee is on the metric the SLA names");
    assert.equal(j.capacity, null);
    for (const s of j.steps) {
      const phase = JSON.parse(await Deno.readTextFile(`${dir}/tight/${s.dir}/${s.dir}.json`));
      const ttft = phase.summary.ttft_p95 as number;
      assert.ok(ttft >= 20, `TTFT ${ttft} ms holds the 20 ms prefill`);
      assert.equal(s.llm?.ttft.p95, ttft, "sweep.json's TTFT P95 is the step's own");
      assert.equal(s.llm?.tpot.p50, phase.summary.tpot_p50);
      assert.equal(s.llm?.itl.p99, phase.summary.itl_p99);
      assert.equal(s.llm?.output_tokens_per_s, phase.summary.output_tokens_per_s);
      assert.deepEqual(s.missed, [`ttft_p95<=5 (measured ${Number(ttft.toPrecision(4))})`]);
      const line = r.out.find((l) => l.startsWith(`step ${s.step} `));
      assert.ok(line, r.out.join("\n"));
      assert.ok(
        line.includes(`ttft p50/p95/p99 ${f1(phase.summary.ttft_p50)}/${f1(ttft)}/`),
        line,
      );
      assert.match(line, /, tpot [\d.]+\/[\d.]+\/[\d.]+ ms, itl [\d.]+\/[\d.]+\/[\d.]+ ms, /);
      assert.ok(line.endsWith(`: FAIL (${s.missed[0]})`), line);
    }
    const header = r.out.find((l) => l.startsWith("offered/s"))!;
    assert.match(header, /ttft p50\/p95\/p99 +tpot p50\/p95\/p99 +itl p50\/p95\/p99 +out tok\/s/);
    assert.equal(r.out.filter((l) => /FAIL \(ttft_p95<=5\)$/.test(l)).length, 2, r.out.join("\n"));
    assert.match(r.out.join("\n"), /knee: .*TTFT P95/);
    const md = await Deno.readTextFile(`${dir}/tight/summary.md`);
    assert.match(md, /\| ttft p50\/p95\/p99 \|/);
    assert.match(md, /\| FAIL \(ttft_p95<=5\) \|/);

    const loose = await sweep([...common, "--sla", "ttft_p95<=5000", "--out", `${dir}/loose`]);
    const k: SweepJson = JSON.parse(await Deno.readTextFile(`${dir}/loose/sweep.json`));
    assert.equal(k.capacity, 8, loose.out.join("\n"));
    assert.deepEqual(k.steps.map((s) => s.missed), [[], []]);
    assert.equal(loose.out.filter((l) => /^step \d .*: PASS$/.test(l)).length, 2);
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stepJsonOf(): a streamed step carries its TTFT/TPOT/ITL, an unstreamed LLM step its tokens/s only", () => {
  const record = {
    rate: 4,
    achievedRate: 4,
    requests: 10,
    p50Ms: 100,
    p95Ms: 120,
    p99Ms: 130,
    errorRate: 0,
    scheduleLagMs: 1,
    sla: "pass" as const,
    overloaded: null,
    conclusive: true,
    counted: "pass" as const,
  };
  const plain = stepJsonOf({ ...record, metrics: { p95: 120 } }, undefined, 1);
  assert.equal(plain.llm, null);
  const unstreamed = stepJsonOf({ ...record, metrics: { output_tokens_per_s: 50 } }, undefined, 1);
  assert.deepEqual(unstreamed.llm?.ttft, { p50: null, p95: null, p99: null });
  assert.equal(unstreamed.llm?.output_tokens_per_s, 50);
  const streamed = stepJsonOf(
    { ...record, metrics: { ttft_p50: 10, ttft_p95: 20, ttft_p99: NaN, tpot_p50: 5 } },
    undefined,
    1,
  );
  assert.deepEqual(streamed.llm?.ttft, { p50: 10, p95: 20, p99: null }, "NaN is null: no data");
  assert.equal(streamed.llm?.output_tokens_per_s, null);
});
