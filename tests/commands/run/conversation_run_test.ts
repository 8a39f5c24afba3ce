/**
 * `run` with multi-turn sessions: turn k+1 leaves only after turn k's answer
 * plus its think time, with the earlier turns (the model's answers, or the
 * dataset's with --session-history recorded) in its messages; TTFT by turn and the
 * per-session figures are reported.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { serveStub } from "../../../lib/stub/server.ts";
import { runInProcess } from "../../_in_process.ts";

const SESSIONS = [
  {
    turns: [
      { prompt: "hello there", answer: "recorded one", think_ms: 60 },
      { prompt: "and then", answer: "recorded two", think_ms: 40 },
      { prompt: "finally" },
    ],
  },
  { turns: [{ prompt: "solo question", think_ms: 0 }, { prompt: "second", think_ms: 0 }] },
].map((s) => JSON.stringify(s)).join("\n");

/** An OpenAI chat server that records each request's messages and answers "answer N". */
function recordingServer() {
  const seen: { messages: { role: string; content: string }[] }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json();
    seen.push(body);
    const n = seen.length;
    await new Promise((r) => setTimeout(r, 5));
    return Response.json({
      id: `c${n}`,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: `answer ${n}` } }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });
  return { server, seen, base: `http://127.0.0.1:${server.addr.port}` };
}

async function tempDir(): Promise<string> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: "results/.tmp", prefix: "conv_run_" });
}

Deno.test("turn k+1 leaves after turn k's answer plus its think time, its messages the history", async () => {
  const { server, seen, base } = recordingServer();
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/s.jsonl`, SESSIONS);
    const r = await runInProcess([
      ...["--url", base, "--api", "openai-chat", "--model", "m", "--quiet"],
      ...["--conversations", `${dir}/s.jsonl`, "--sessions", "1", "--out", `${dir}/out`],
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const rows = (await readLog(`${dir}/out/run.csv`)).sort((a, b) => a.requestId - b.requestId);
    assert.deepEqual(rows.map((s) => [s.session?.id, s.session?.turn]), [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
    ]);
    for (const [k, think] of [[0, 60], [1, 40]] as const) {
      const end = rows[k]!.sentMs + rows[k]!.latencyMs;
      // Less 1 ms: the think time is a setTimeout, which can end a fraction of a millisecond early
      // on the client's clock.
      const sent = rows[k + 1]!.sentMs;
      assert.ok(
        sent >= end + think - 1,
        `turn ${k + 1} left too early: ${sent} < ${end} + ${think}`,
      );
    }
    // One session at a time: the requests arrive in order; turn 2 holds both earlier turns
    // and the model's actual answers to them.
    assert.deepEqual(seen[2]!.messages, [
      { role: "user", content: "hello there" },
      { role: "assistant", content: "answer 1" },
      { role: "user", content: "and then" },
      { role: "assistant", content: "answer 2" },
      { role: "user", content: "finally" },
    ]);
    assert.deepEqual(seen[3]!.messages, [{ role: "user", content: "solo question" }]);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/out/run.json`));
    assert.equal(json.sessions.sessions, 2);
    assert.equal(json.sessions.completed, 2);
    assert.deepEqual(json.sessions.by_turn.map((t: { requests: number }) => t.requests), [2, 2, 1]);
    assert.equal(json.load.load_model, "sessions");
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--session-history recorded resends the dataset's answers; a session without them is refused", async () => {
  const { server, seen, base } = recordingServer();
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/s.jsonl`, SESSIONS.split("\n")[0]!);
    const args = [
      ...["--url", base, "--api", "openai-chat", "--model", "m", "--quiet", "--out", `${dir}/o`],
      ...["--conversations", `${dir}/s.jsonl`, "--session-history", "recorded"],
    ];
    const r = await runInProcess(args);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(seen[2]!.messages.map((m) => m.content), [
      "hello there",
      "recorded one",
      "and then",
      "recorded two",
      "finally",
    ]);
    await Deno.writeTextFile(`${dir}/s.jsonl`, SESSIONS);
    const bad = await runInProcess(args);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /session 2 has a turn without a recorded answer/);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("synthetic sessions against the stub report TTFT by turn as the history grows", async () => {
  const stub = serveStub({
    mode: "concurrent",
    serviceMs: [1, 1],
    openai: {
      model: "stub-model",
      outputTokens: [4, 4],
      maxModelLen: 8192,
      inference: {
        mode: "concurrent",
        maxBatch: 8,
        prefillMsPerToken: 0.05,
        decodeMs: 1,
        batchCost: 0,
        kvCapacityTokens: 100_000,
      },
    },
  });
  const dir = await tempDir();
  try {
    const r = await runInProcess([
      ...["--url", new URL(stub.url).origin, "--api", "openai-chat", "--stream", "--quiet"],
      ...["--synthetic", "input=40,output=4", "--ignore-eos", "--turns", "3"],
      ...["--session-count", "4", "--session-rate", "50", "--out", `${dir}/out`],
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /sessions: 4 \(4 completed, 0 failed\)/);
    assert.match(r.stdout, /turn 2: 4 requests, \d+\.\d prompt tokens; TTFT p50 \d/);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/out/run.json`));
    const inputs = json.sessions.by_turn.map((t: { input_tokens_mean: number }) =>
      t.input_tokens_mean
    );
    assert.ok(inputs[0] < inputs[1] && inputs[1] < inputs[2], `history grows: ${inputs}`);
    assert.ok(json.sessions.by_turn.every((t: { ttft_p50: number }) => t.ttft_p50 > 0));
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
