import assert from "node:assert/strict";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { parseSynthetic } from "../../../lib/commands/run/llm/flags.ts";
import { UsageError } from "../../../lib/base/errors.ts";

Deno.test("parseSynthetic() reads each length with its options", () => {
  assert.deepEqual(parseSynthetic("input=512,spread=64,max=1024,output=128,min=8"), {
    input: { mean: 512, spread: 64, max: 1024 },
    output: { mean: 128, min: 8 },
  });
  assert.throws(() => parseSynthetic("spread=3,input=4,output=2"), UsageError);
  assert.throws(() => parseSynthetic("input=4,output=2,input=5"), /given twice/);
});

Deno.test("run --api takes a base URL, and the LLM flags land in the options", () => {
  const o = parseRunArgs([
    "--url",
    "http://127.0.0.1:8000",
    "--api",
    "openai-completions",
    "--model",
    "m",
    "--synthetic",
    "input=8,output=4",
    "--max-tokens",
    "16",
    "--temperature",
    "0",
    "--ignore-eos",
    "--stream",
    "--goodput",
    "ttft<=200,e2e<=2000",
    "--scrape",
    "http://127.0.0.1:8000/metrics",
    "--scrape-interval",
    "0.5",
  ]);
  assert.ok(o !== "help");
  assert.equal(o.url, "http://127.0.0.1:8000/v1/completions");
  assert.deepEqual(o.llm, {
    api: "openai-completions",
    model: "m",
    ignoreEos: true,
    synthetic: { input: { mean: 8 }, output: { mean: 4 } },
    maxTokens: 16,
    temperature: 0,
  });
  assert.deepEqual(o.goodput, [{ metric: "ttft", maxMs: 200 }, { metric: "e2e", maxMs: 2000 }]);
  assert.deepEqual(o.scrape, { url: "http://127.0.0.1:8000/metrics", intervalMs: 500 });
});

Deno.test("run without --api keeps today's raw behaviour and URL", () => {
  const o = parseRunArgs(["--url", "http://127.0.0.1:8000/v1/infer"]);
  assert.ok(o !== "help");
  assert.equal(o.url, "http://127.0.0.1:8000/v1/infer");
  assert.equal(o.llm, null);
  assert.equal(o.goodput, null);
});
