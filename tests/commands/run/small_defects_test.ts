/**
 * Smaller defects, each held: a streaming request answered whole is not
 * taken as streamed (no TTFT = E2E); an open loop's report names the phase
 * as a phase and shows no "concurrency 0".
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { runInProcess } from "../../_in_process.ts";
import { serveOpenAi } from "../../_openai_server.ts";

async function tempDir(): Promise<string> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: "results/.tmp", prefix: "small_defects_" });
}

Deno.test("a streaming request answered whole has no TTFT (not its latency) and is warned about", async () => {
  await using server = serveOpenAi({ ttftMs: 20, itlMs: 5, chunks: 4, wholeAnswers: true });
  const dir = await tempDir();
  try {
    const r = await runInProcess([
      ...["--url", server.base, "--api", "openai-chat", "--model", "test-model", "--stream"],
      ...["--synthetic", "input=4,output=4", "-n", "3", "-c", "1", "-q", "--out", dir],
    ]);
    assert.match(r.stdout, /no response carried a token chunk/);
    for (const s of await readLog(`${dir}/run.csv`)) {
      assert.equal(s.ok, true);
      assert.equal(s.stream?.ttftMs, null, "no TTFT: the answer came whole");
      assert.equal(s.stream?.chunks, 0);
      assert.equal(s.tokens?.output, 1, "one token a content chunk: the whole answer is one");
    }
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.equal(json.summary.streamed, 0);
    // A TTFT threshold has no data behind it: it fails, saying why.
    const gated = await runInProcess([
      ...["--url", server.base, "--api", "openai-chat", "--model", "test-model", "--stream"],
      ...["--synthetic", "input=4,output=4", "-n", "2", "-c", "1", "-q", "--out", dir],
      ...["--sla", "ttft_p95<=100000"],
    ]);
    assert.equal(gated.code, 1, gated.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an open loop's report: 'The htmlrun phase misses', no 'concurrency 0'", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      await req.arrayBuffer();
      return new Response("{}");
    },
  );
  const dir = await tempDir();
  try {
    const r = await runInProcess([
      ...["--url", `http://127.0.0.1:${server.addr.port}/v1/infer`, "--rate", "50", "-n", "5"],
      ...["--html", "-q", "--out", dir, "--phase", "htmlrun", "--sla", "p95<=0.001"],
    ]);
    assert.equal(r.code, 1);
    const html = await Deno.readTextFile(`${dir}/report.html`);
    assert.match(html, /The htmlrun phase misses the SLA/);
    assert.doesNotMatch(html, /Htmlrun/);
    assert.doesNotMatch(html, /<td>concurrency<\/td><td>0<\/td>/);
    assert.match(html, /<td>rate<\/td><td>50<\/td>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
