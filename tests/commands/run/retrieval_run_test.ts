/**
 * `run --api openai-embeddings|tei-embed|rerank|tei-rerank` against the
 * stub: the inputs and tokens reported equal what was sent (inputs: requests
 * x batch; tokens: the tokenizer's count of every text sent, which the
 * stub's `usage` also gives), rates over the phase's duration.
 */
import assert from "node:assert/strict";
import { serveStub } from "../../../lib/stub/server.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { tokenizer } from "../../../lib/workload/tokens.ts";
import { runInProcess } from "../../_in_process.ts";

async function withStub(fn: (t: { base: string; dir: string }) => Promise<void>): Promise<void> {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 3] });
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "retrieval_run_" });
  try {
    await fn({ base: new URL(stub.url).origin, dir });
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The texts each logged request sent, from the bodies the run built (by the log's digests). */
function sentTexts(body: Record<string, unknown>): string[] {
  const list = (body.input ?? body.inputs ?? body.documents ?? body.texts) as string[];
  return typeof body.query === "string" ? [body.query, ...list] : list;
}

for (
  const [api, batch, usage] of [
    ["openai-embeddings", 4, true],
    ["tei-embed", 3, false],
    ["rerank", 5, true],
    ["tei-rerank", 2, false],
  ] as const
) {
  Deno.test(`run --api ${api}: inputs/s and tokens/s equal what was sent`, async () => {
    await withStub(async ({ base, dir }) => {
      const r = await runInProcess([
        ...["--url", base, "--api", api, "--batch-size", String(batch), "--input-tokens", "20"],
        ...["-n", "12", "-c", "3", "--out", dir, "--quiet", "--debug"],
      ]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const doc = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
      const t = doc.retrieval;
      const log = await readLog(`${dir}/run.csv`);
      assert.equal(log.length, 12);
      assert.ok(log.every((s) => s.ok));
      assert.equal(t.requests, 12);
      assert.equal(t.inputs, 12 * batch);
      // Rebuild what was sent from the run's own workload: the same seed gives the same bodies.
      const { retrievalWorkload } = await import("../../../lib/workload/retrieval/workload.ts");
      const w = await retrievalWorkload(
        { api, model: null, batch, inputTokens: 20 },
        { url: base, dataset: null, seed: 42, requests: 12 },
      );
      const tok = await tokenizer();
      const bodies = new Map(w.workload.inputSha256.map((d, i) => [d, w.workload.bodies[i]!]));
      let tokens = 0;
      for (const s of log) {
        const body = JSON.parse(new TextDecoder().decode(bodies.get(s.inputSha256)!));
        tokens += sentTexts(body).reduce((a, x) => a + tok.count(x), 0);
      }
      assert.equal(t.input_tokens, tokens);
      assert.equal(t.tokens_estimated, usage ? 0 : 12);
      const d = doc.summary.duration_s;
      assert.ok(Math.abs(t.inputs_per_s - t.inputs / d) < 0.01, `${t.inputs_per_s} vs ${d}`);
      assert.ok(Math.abs(t.tokens_per_s - tokens / d) < 0.01);
      assert.match(r.stdout, new RegExp(`${api}: ${12 * batch} inputs, ${tokens} tokens`));
    });
  });
}

Deno.test("run --api rerank: bad usage is one line and exit 2", async () => {
  await withStub(async ({ base, dir }) => {
    const r = await runInProcess(["--url", base, "--batch-size", "2", "--out", dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cannot use --batch-size without --api/);
    const s = await runInProcess(["--url", base, "--api", "rerank", "--stream", "--out", dir]);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /Cannot use --stream with --api rerank/);
  });
});
