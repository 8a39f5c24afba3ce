/**
 * Shared-prefix prompts: G prefixes of exactly P tokens, byte-identical across
 * the prompts of a group, drawn from the seed; against the stub's prefix cache
 * every prompt but each group's first finds its prefix.
 */
import assert from "node:assert/strict";
import { UsageError } from "../../lib/base/errors.ts";
import { serveStub } from "../../lib/stub/server.ts";
import { tokenizer } from "../../lib/workload/tokens.ts";
import { syntheticPrompts } from "../../lib/workload/synthetic_prompts.ts";
import { parseSharedPrefix, withSharedPrefixes } from "../../lib/workload/shared_prefix.ts";
import { runInProcess } from "../_in_process.ts";

Deno.test("withSharedPrefixes puts one of G exact P-token prefixes before each prompt, seeded", async () => {
  const t = await tokenizer();
  const set = await syntheticPrompts({
    input: { mean: 8 },
    output: { mean: 4 },
    count: 30,
    seed: 3,
  });
  const spec = { groups: 3, tokens: 48, seed: 3 };
  const shared = await withSharedPrefixes(set, spec);
  assert.deepEqual([...new Set(shared.groupOf)].sort(), [0, 1, 2]);
  for (const [i, p] of shared.prompts.entries()) {
    assert.equal(t.count(p.text), 48 + 8, `prompt ${i}`);
    const head = p.text.split(" ").slice(0, 48).join(" ");
    const twin = shared.prompts.findIndex((_q, j) => shared.groupOf[j] === shared.groupOf[i]);
    assert.ok(shared.prompts[twin]!.text.startsWith(head));
  }
  const again = await withSharedPrefixes(set, spec);
  assert.equal(again.digest, shared.digest);
  assert.notEqual((await withSharedPrefixes(set, { ...spec, seed: 4 })).digest, shared.digest);
  assert.deepEqual(parseSharedPrefix("groups=4,tokens=256", 1), {
    groups: 4,
    tokens: 256,
    seed: 1,
  });
  assert.throws(() => parseSharedPrefix("groups=4", 1), UsageError);
  assert.throws(() => parseSharedPrefix("groups=0,tokens=5", 1), UsageError);
});

Deno.test("run --shared-prefix against the stub: every prompt but each group's first is a cache hit", async () => {
  const stub = serveStub({
    mode: "concurrent",
    serviceMs: [1, 1],
    openai: {
      model: "stub-model",
      outputTokens: [2, 2],
      maxModelLen: 8192,
      inference: {
        mode: "concurrent",
        maxBatch: 8,
        prefillMsPerToken: 0.01,
        decodeMs: 0.5,
        batchCost: 0,
        kvCapacityTokens: 100_000,
      },
      prefixCache: { blockTokens: 16, capacityBlocks: 4096 },
    },
  });
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "shared_prefix_" });
  try {
    const r = await runInProcess([
      ...["--url", new URL(stub.url).origin, "--api", "openai-chat", "--quiet", "--out", dir],
      ...["--synthetic", "input=40,output=2", "--shared-prefix", "groups=4,tokens=256"],
      ...["-n", "40", "-c", "1"],
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    // 256 tokens = 16 blocks; the 36 prompts after each group's first find all of them.
    assert.equal(json.summary.cached_tokens, 36 * 256);
    assert.equal(json.summary.cache_hit_rate, (36 * 256) / (40 * 296));
    assert.deepEqual(json.manifest.shared_prefix, { groups: 4, tokens: 256, seed: 42 });
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
