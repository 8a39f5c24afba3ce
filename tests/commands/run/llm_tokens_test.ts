/**
 * Tokens the way the server counts them, against an OpenAI-compatible test
 * server with known timings: `usage` when sent; without it one token a content
 * chunk (so TPOT is the server's ITL, not o200k's count of the text), or the
 * `--tokenizer` file's count; always marked estimated with the method.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { readTokenizerFile } from "../../../lib/workload/tokenizer_file.ts";
import { runInProcess } from "../../_in_process.ts";
import { serveOpenAi } from "../../_openai_server.ts";

/** A word-level tokenizer.json: the test server's words w0..w49, split on whitespace. */
export function wordTokenizerJson(): string {
  const vocab: Record<string, number> = { "[UNK]": 0 };
  for (let i = 0; i < 50; i++) vocab[`w${i}`] = i + 1;
  return JSON.stringify({
    version: "1.0",
    added_tokens: [{ id: 0, content: "[UNK]", special: true }],
    normalizer: null,
    pre_tokenizer: { type: "Whitespace" },
    post_processor: null,
    decoder: null,
    model: { type: "WordLevel", vocab, unk_token: "[UNK]" },
  });
}

async function tempDir(): Promise<string> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: "results/.tmp", prefix: "llm_tokens_" });
}

// deno-lint-ignore no-explicit-any
async function readJson(path: string): Promise<Record<string, any>> {
  return JSON.parse(await Deno.readTextFile(path));
}

function chatRun(base: string, dir: string, extra: string[] = [], n = 6): string[] {
  return [
    ...["--url", base, "--api", "openai-chat", "--model", "test-model"],
    ...["--synthetic", "input=8,output=16", "--stream", "-n", String(n), "-c", "2", "-q"],
    ...["--out", dir, ...extra],
  ];
}

Deno.test("no usage: output tokens are the content chunks, marked estimated, TPOT within 5 % of the server's ITL", async () => {
  // 40 ms gaps: a busy machine delays reads by a few ms, well inside 5 % of a 600 ms decode.
  await using server = serveOpenAi({ ttftMs: 20, itlMs: 40, chunks: 16, wordsPerChunk: 2 });
  const dir = await tempDir();
  try {
    const r = await runInProcess(chatRun(server.base, dir, [], 4));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const json = await readJson(`${dir}/run.json`);
    assert.equal(json.summary.output_tokens, 4 * 16);
    assert.equal(json.summary.tokens_estimated, 1);
    assert.equal(json.llm.tokens_method, "chunks");
    assert.match(json.manifest.tokens_estimated_by.output, /^chunks/);
    // Medians over the same requests: the server's own chunk gaps against the client's TPOT.
    const truth = server.truthTpotMedianMs();
    const tpot = json.summary.tpot_p50;
    assert.ok(Math.abs(tpot / truth - 1) < 0.05, `TPOT ${tpot} ms vs the server's ${truth} ms`);
    for (const s of await readLog(`${dir}/run.csv`)) {
      assert.equal(s.tokens?.output, 16);
      assert.equal(s.tokens?.estimated, true);
    }
    assert.match(r.stdout, /100\.0% of requests estimated, one token a content chunk/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--tokenizer FILE counts the generated text with the model's tokenizer.json", async () => {
  await using server = serveOpenAi({ ttftMs: 5, itlMs: 2, chunks: 8, wordsPerChunk: 2 });
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/tokenizer.json`, wordTokenizerJson());
    const r = await runInProcess(
      chatRun(server.base, dir, ["--tokenizer", `${dir}/tokenizer.json`]),
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const json = await readJson(`${dir}/run.json`);
    assert.equal(json.summary.output_tokens, 6 * 8 * 2, "two words a chunk, one token a word");
    assert.equal(json.llm.tokens_method, "tokenizer");
    assert.match(json.manifest.tokenizer, /@huggingface\/tokenizers@0\.2\.0/);
    // Input tokens: the same tokenizer's count of each prompt.
    const t = await readTokenizerFile(`${dir}/tokenizer.json`);
    assert.equal(t.count("w1 w2 w3"), 3);
    assert.match(r.stdout, /estimated, with --tokenizer/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("usage when the server sends it: exact, not estimated", async () => {
  await using server = serveOpenAi({ ttftMs: 5, itlMs: 2, chunks: 8, usage: true });
  const dir = await tempDir();
  try {
    const r = await runInProcess(chatRun(server.base, dir));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const json = await readJson(`${dir}/run.json`);
    assert.equal(json.summary.tokens_estimated, 0);
    assert.equal(json.llm.tokens_method, "usage");
    assert.equal(json.summary.output_tokens, 6 * 8);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a --tokenizer that is not a tokenizer.json is a usage error", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, '{"vocab": {}}');
    const r = await runInProcess(
      chatRun("http://127.0.0.1:9", dir, ["--tokenizer", `${dir}/bad.json`]),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cannot read --tokenizer .*bad\.json.*not a tokenizer\.json/);
    const missing = await runInProcess(
      chatRun("http://127.0.0.1:9", dir, ["--tokenizer", `${dir}/none.json`]),
    );
    assert.equal(missing.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
