/**
 * Output identity on an LLM API: two runs against an OpenAI-compatible
 * server whose every chunk carries a random `id` and `created` compare equal
 * on the generated text (the default for such logs), differ byte for byte
 * (`--output-check exact`), are not checked with `none`; a server that
 * changed one answer fails, naming that request.
 */
import assert from "node:assert/strict";
import { compareInProcess, runInProcess } from "../../_in_process.ts";
import { serveOpenAi } from "../../_openai_server.ts";

async function tempDir(): Promise<string> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: "results/.tmp", prefix: "llm_outputs_" });
}

// deno-lint-ignore no-explicit-any
async function readJson(path: string): Promise<Record<string, any>> {
  return JSON.parse(await Deno.readTextFile(path));
}

/** Runs one phase of 6 sequential chat requests against `base` into `dir/<phase>.csv`. */
async function phase(base: string, dir: string, name: string): Promise<void> {
  const r = await runInProcess([
    ...["--url", base, "--api", "openai-chat", "--model", "test-model", "--stream"],
    ...["--synthetic", "input=6,output=5", "-n", "6", "-c", "1", "-q"],
    ...["--phase", name, "--out", dir],
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
}

Deno.test("two runs of a deterministic server with random ids compare text-identical (exit 0)", async () => {
  await using server = serveOpenAi({ ttftMs: 2, itlMs: 1, chunks: 5 });
  const dir = await tempDir();
  try {
    await phase(server.base, dir, "before");
    await phase(server.base, dir, "after");
    const c = await compareInProcess([`${dir}/before.csv`, `${dir}/after.csv`, "--out", dir]);
    assert.equal(c.code, 0, c.stdout + c.stderr);
    assert.match(c.stdout, /6 of 6 outputs text-identical/);
    const json = await readJson(`${dir}/comparison.json`);
    const check = json.checks.outputs_identical;
    assert.equal(check.mode, "text");
    assert.equal(check.identical, 6);
    assert.equal(check.compared, 6);
    // The bytes differ in every chunk's id and created: the exact check fails, naming requests.
    const exact = await compareInProcess([
      ...[`${dir}/before.csv`, `${dir}/after.csv`, "--out", dir],
      ...["--output-check", "exact"],
    ]);
    assert.equal(exact.code, 1, exact.stdout);
    assert.match(exact.stdout, /6 of 6 outputs differ in response bytes/);
    const none = await compareInProcess([
      ...[`${dir}/before.csv`, `${dir}/after.csv`, "--out", dir],
      ...["--output-check", "none"],
    ]);
    assert.equal(none.code, 0, none.stdout);
    assert.match(none.stdout, /outputs_identical.*--output-check none/);
    assert.equal((await readJson(`${dir}/comparison.json`)).checks.outputs_identical.mode, "none");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server that changed one answer fails the comparison, naming that request", async () => {
  await using same = serveOpenAi({ ttftMs: 2, itlMs: 1, chunks: 5 });
  await using changed = serveOpenAi({ ttftMs: 2, itlMs: 1, chunks: 5, changeNth: 3 });
  const dir = await tempDir();
  try {
    await phase(same.base, dir, "before");
    await phase(changed.base, dir, "after");
    const c = await compareInProcess([`${dir}/before.csv`, `${dir}/after.csv`, "--out", dir]);
    assert.equal(c.code, 1, c.stdout + c.stderr);
    assert.match(c.stdout, /1 of 6 outputs differ in generated text \(request 3\)/);
    const json = await readJson(`${dir}/comparison.json`);
    assert.deepEqual(
      json.checks.outputs_identical.mismatches.map((m: { request_id: number }) => m.request_id),
      [3],
    );
    assert.equal(json.checks.outputs_identical.identical, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--output-check takes exact, text or none; anything else is a usage error", async () => {
  const r = await compareInProcess(["a.csv", "b.csv", "--output-check", "loose"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Cannot parse --output-check: "loose" is not one of exact, text, none/);
});
