import assert from "node:assert/strict";
import { readStreamedBody, StreamParser } from "../../lib/load/stream_parser.ts";
import { runClosedFetch, streamed } from "../_helpers.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";

const chunk = (content: string) =>
  `data: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`;

Deno.test("StreamParser times OpenAI-style SSE chunks: TTFT at the first, ITL between the next", () => {
  const p = new StreamParser();
  p.feed(chunk("Hel"), 100);
  p.feed(chunk("lo"), 140);
  p.feed(chunk(" world"), 185);
  p.feed('data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":7}}\n\n', 186);
  p.feed("data: [DONE]\n\n", 186);
  p.end(187);
  assert.deepEqual(p.result(), { ttftMs: 100, chunks: 3, tokens: 7, itlMs: [40, 45] });
});

Deno.test("StreamParser counts chunks as tokens when the server sends no count", () => {
  const p = new StreamParser();
  for (const [i, t] of [10, 20, 35].entries()) p.feed(chunk(`w${i}`), t);
  p.end(40);
  assert.deepEqual(p.result(), { ttftMs: 10, chunks: 3, tokens: 3, itlMs: [10, 15] });
});

Deno.test("StreamParser handles events split across reads, CRLF, comments and multi-line data", () => {
  const p = new StreamParser();
  const text = `: keep-alive\r\nevent: message\r\nid: 1\r\n${chunk("a").replaceAll("\n", "\r\n")}`;
  p.feed(text.slice(0, 17), 5);
  p.feed(text.slice(17, 40), 8);
  p.feed(text.slice(40), 12); // the event completes in this read
  p.feed('data: {"choices":\ndata: [{"delta":{"content":"b"}}]}\n', 20);
  p.feed("\n", 30); // the blank line dispatches the two-line event
  p.end(31);
  assert.deepEqual(p.result(), { ttftMs: 12, chunks: 2, tokens: 2, itlMs: [18] });
});

Deno.test("StreamParser reads JSON lines (Ollama) and llama.cpp events, skipping final stats", () => {
  const ollama = new StreamParser();
  ollama.feed('{"response":"a","done":false}\n{"response":"b","done":false}\n', 50);
  ollama.feed('{"response":"","done":true,"eval_count":2}', 90);
  ollama.end(91); // a last line without newline still counts
  assert.deepEqual(ollama.result(), { ttftMs: 50, chunks: 2, tokens: 2, itlMs: [0] });

  const llama = new StreamParser();
  llama.feed('data: {"content":"x","stop":false}\n\n', 5);
  llama.feed('data: {"content":"y","stop":false}\n\n', 9);
  llama.feed('data: {"content":"","stop":true,"tokens_predicted":2}\n\n', 9);
  llama.end(10);
  assert.deepEqual(llama.result(), { ttftMs: 5, chunks: 2, tokens: 2, itlMs: [4] });
});

Deno.test("StreamParser reports no TTFT when nothing but [DONE] came", () => {
  const p = new StreamParser();
  p.feed("data: [DONE]\n\n", 3);
  p.end(3);
  assert.deepEqual(p.result(), { ttftMs: null, chunks: 0, tokens: 0, itlMs: [] });
});

Deno.test("readStreamedBody() times each read with the injected clock and keeps the whole body", async () => {
  let t = 1000;
  const now = () => (t += 30); // each read arrives 30 ms after the last
  const parts = [chunk("a"), chunk("b"), chunk("c"), "data: [DONE]\n\n"];
  const read = await readStreamedBody(streamed(parts), 1 << 20, now, 1000);
  assert.deepEqual(read.stream, { ttftMs: 30, chunks: 3, tokens: 3, itlMs: [30, 30] });
  assert.equal(new TextDecoder().decode(read.body!), parts.join(""));
  assert.equal(read.bytes, read.body!.byteLength);
});

Deno.test("readStreamedBody() gives up past the size limit", async () => {
  const read = await readStreamedBody(streamed([chunk("a"), chunk("b")]), 10, () => 0, 0);
  assert.equal(read.body, null);
});

Deno.test("the runner parses streams only when streaming is on", async () => {
  const workload = await buildWorkload({ seed: 1, requests: 2 });
  const base = {
    phase: "s",
    url: "http://127.0.0.1:9/x",
    method: "POST",
    headers: {},
    workload,
    requests: 2,
    concurrency: 1,
    timeoutMs: 1000,
  };
  for (const stream of [false, true]) {
    const samples: Sample[] = [];
    let t = 0;
    await runClosedFetch({ ...base, stream }, {
      fetch: () => Promise.resolve(streamed([chunk("a"), chunk("b"), "data: [DONE]\n\n"])),
      now: () => (t += 5),
      onSample: (s) => samples.push(s),
    });
    assert.equal(samples.length, 2);
    for (const s of samples) {
      assert.equal(s.ok, true);
      if (stream) assert.deepEqual(s.stream, { ttftMs: 10, chunks: 2, tokens: 2, itlMs: [5] });
      else assert.equal(s.stream, undefined);
    }
  }
});
