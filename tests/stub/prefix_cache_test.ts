/**
 * The stub's prefix cache: blocks of the prompt's tokens in an LRU, cached
 * tokens not prefilled and reported as `usage.prompt_tokens_details.cached_tokens`
 * for a known sequence of requests; the hit rate in `run`'s summary.
 */
import assert from "node:assert/strict";
import { PrefixCache } from "../../lib/stub/prefix_cache.ts";
import { serveStub } from "../../lib/stub/server.ts";
import type { OpenAiRoutesOptions } from "../../lib/stub/openai/routes.ts";
import { SINGLE_TOKEN_WORDS } from "../../lib/workload/vocabulary.ts";
import { runInProcess } from "../_in_process.ts";

Deno.test("PrefixCache reuses whole leading blocks only, recomputes the last token, evicts the least recent", () => {
  const cache = new PrefixCache({ blockTokens: 4, capacityBlocks: 3 });
  const a = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  assert.equal(cache.admit(a), 0);
  assert.equal(cache.admit(a), 8); // two full blocks; the partial third is never cached
  assert.equal(cache.admit([1, 2, 3, 4, 5, 6, 7, 8]), 4); // the last token is computed again
  assert.equal(cache.admit([1, 2, 3, 9, 5, 6, 7, 8, 1]), 0); // the first block differs
  assert.equal(cache.admit([9, 9, 9, 9, 5, 6, 7, 8, 0]), 0); // same second block, other prefix
  // Capacity 3: the blocks of [1,2,3,9]... and [9,9,9,9]... pushed out a's first ones.
  assert.equal(cache.size, 3);
  assert.equal(cache.admit(a), 0);
  assert.equal(cache.hits, 12);
});

const OPTIONS: OpenAiRoutesOptions = {
  model: "stub-model",
  outputTokens: [2, 2],
  maxModelLen: 8192,
  inference: {
    mode: "concurrent",
    maxBatch: 8,
    prefillMsPerToken: 1,
    decodeMs: 1,
    batchCost: 0,
    kvCapacityTokens: 100_000,
  },
  prefixCache: { blockTokens: 16, capacityBlocks: 1024 },
};

/** `n` one-token words from the vocabulary, from word `from` on (n tokens). */
const words = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => SINGLE_TOKEN_WORDS[(from + i) % 50]).join(" ");

async function ask(url: string, content: string) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "stub-model", messages: [{ role: "user", content }] }),
  });
  const body = await res.json();
  return { usage: body.usage, timing: res.headers.get("server-timing") ?? "" };
}

Deno.test("the stub reports cached_tokens for a known sequence and prefills only the rest", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1], openai: OPTIONS });
  const url = new URL(stub.url).origin;
  try {
    const first = await ask(url, words(0, 40));
    assert.deepEqual(first.usage.prompt_tokens_details, { cached_tokens: 0 });
    assert.equal(first.usage.prompt_tokens, 40);
    // 40 + 10 tokens sharing the first 40: blocks 0 and 1 (32 tokens) are cached.
    const second = await ask(url, `${words(0, 40)} ${words(40, 10)}`);
    assert.equal(second.usage.prompt_tokens, 50);
    assert.equal(second.usage.prompt_tokens_details.cached_tokens, 32);
    // The same 50 again: 3 full blocks (48), the last token recomputed.
    const third = await ask(url, `${words(0, 40)} ${words(40, 10)}`);
    assert.equal(third.usage.prompt_tokens_details.cached_tokens, 48);
    // Prefill is 1 ms a token: 40, then 18, then 2 uncached tokens.
    const prefill = (t: string) => Number(/prefill;dur=([\d.]+)/.exec(t)![1]);
    assert.ok(prefill(first.timing) >= 40, first.timing);
    assert.ok(prefill(third.timing) < prefill(second.timing), `${second.timing} / ${third.timing}`);
    assert.ok(prefill(second.timing) < prefill(first.timing));
  } finally {
    await stub.shutdown();
  }
});

Deno.test("without the prefix cache the stub reports no cached_tokens and the run no hit rate", async () => {
  const stub = serveStub({
    mode: "concurrent",
    serviceMs: [1, 1],
    openai: { ...OPTIONS, prefixCache: null },
  });
  try {
    const r = await ask(new URL(stub.url).origin, words(0, 40));
    assert.equal(r.usage.prompt_tokens_details, undefined);
  } finally {
    await stub.shutdown();
  }
});

Deno.test("run logs cached_tokens and reports the hit rate of a conversation", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1], openai: OPTIONS });
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "prefix_cache_" });
  try {
    const r = await runInProcess([
      ...["--url", new URL(stub.url).origin, "--api", "openai-chat", "--quiet"],
      ...["--synthetic", "input=40,output=8", "--ignore-eos", "--turns", "3"],
      ...["--session-count", "2", "--sessions", "1", "--out", dir],
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /prefix cache \(the server's cached_tokens\): \d+ of \d+ prompt tokens/);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    const log = (await Deno.readTextFile(`${dir}/run.csv`)).trim().split("\n");
    const header = log[0]!.split(",");
    const col = (name: string) => header.indexOf(name);
    const rows = log.slice(1).map((l) => l.split(","));
    const cached = rows.map((r) => Number(r[col("cached_tokens")]));
    const input = rows.map((r) => Number(r[col("input_tokens")]));
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    assert.equal(json.summary.cached_tokens, sum(cached));
    assert.equal(json.summary.cache_hit_rate, sum(cached) / sum(input));
    // Turn 0 finds nothing; later turns find their history.
    const turn = rows.map((r) => Number(r[col("turn")]));
    assert.ok(rows.every((_, i) => turn[i] === 0 ? cached[i] === 0 : cached[i]! > 0));
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
