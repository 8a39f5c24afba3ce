/**
 * Gate integrity of streamed answers (issue 12, items 2 and 3): an error
 * inside a stream, or a stream cut before its end, fails the request as
 * `stream`; TTFT is the first chunk with generated text, and role-only or
 * empty chunks are neither tokens nor ITL samples.
 */
import assert from "node:assert/strict";
import { StreamParser } from "../../lib/load/stream_parser.ts";
import { classifyEvent } from "../../lib/load/stream_events.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";
import { runClosedFetch, streamed } from "../_helpers.ts";

const sse = (v: unknown) => `data: ${JSON.stringify(v)}\n\n`;
const delta = (d: Record<string, unknown>, finish: string | null = null) =>
  sse({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

function parse(parts: [string, number][]): StreamParser {
  const p = new StreamParser();
  for (const [text, at] of parts) p.feed(text, at);
  p.end(parts.at(-1)?.[1] ?? 0);
  return p;
}

Deno.test("a role-only first chunk is not the first token: TTFT is the first chunk with text", () => {
  const p = parse([
    [delta({ role: "assistant", content: "" }), 3],
    [delta({ content: "He" }), 80],
    [delta({ content: "llo" }), 90],
    [delta({}, "stop"), 91],
    ["data: [DONE]\n\n", 91],
  ]);
  assert.deepEqual(p.result(), { ttftMs: 80, chunks: 2, tokens: 2, itlMs: [10] });
  assert.equal(p.failure(), null);
});

Deno.test("reasoning content and completion text count as generated text", () => {
  const p = parse([
    [delta({ role: "assistant" }), 1],
    [delta({ reasoning_content: "think" }), 5],
    [sse({ choices: [{ index: 0, text: "x", finish_reason: null }] }), 7],
    [delta({ content: "" }), 8],
    ["data: [DONE]\n\n", 9],
  ]);
  assert.deepEqual(p.result(), { ttftMs: 5, chunks: 2, tokens: 2, itlMs: [2] });
});

Deno.test("in-stream errors fail the stream: error event, event: error, finish_reason error/abort", () => {
  const cases: [string, string[]][] = [
    ["data error", [delta({ content: "a" }), sse({ error: { message: "boom", code: 500 } })]],
    ["event: error", [delta({ content: "a" }), 'event: error\ndata: {"message":"x"}\n\n']],
    ["finish error", [delta({ content: "a" }, "error")]],
    ["finish abort", [delta({ content: "a" }, "abort")]],
  ];
  for (const [label, parts] of cases) {
    const p = parse([...parts, "data: [DONE]\n\n"].map((t, i) => [t, i]));
    assert.notEqual(p.failure(), null, label);
  }
  assert.equal(classifyEvent('{"error":{"message":"boom"}}').error, "boom");
});

Deno.test("a stream cut before [DONE] fails; a complete one and a plain JSON body do not", () => {
  assert.equal(
    parse([[delta({ content: "a" }), 1], [delta({ content: "b" }), 2]]).failure(),
    "stream cut before its end",
  );
  assert.equal(
    parse([['{"response":"a","done":false}\n', 1]]).failure(),
    "stream cut before its end",
  );
  assert.equal(parse([['{"response":"a","done":false}\n{"done":true}\n', 1]]).failure(), null);
  assert.equal(parse([['{"outputs": [1, 2]}', 1]]).failure(), null);
});

Deno.test("the runner logs an HTTP 200 stream with an error event, or cut, as a failed `stream` row", async () => {
  const workload = await buildWorkload({ seed: 1, requests: 3 });
  const bodies = [
    [delta({ content: "a" }), sse({ error: { message: "overloaded" } }), "data: [DONE]\n\n"],
    [delta({ content: "a" })],
    [delta({ content: "a" }, "stop"), "data: [DONE]\n\n"],
  ];
  const samples: Sample[] = [];
  let i = 0;
  let t = 0;
  await runClosedFetch({
    phase: "s",
    url: "http://127.0.0.1:9/x",
    method: "POST",
    headers: {},
    workload,
    requests: 3,
    concurrency: 1,
    timeoutMs: 1000,
    stream: true,
  }, {
    fetch: () => Promise.resolve(streamed(bodies[i++]!)),
    now: () => (t += 5),
    onSample: (s) => samples.push(s),
  });
  assert.deepEqual(samples.map((s) => [s.status, s.ok, s.error]), [
    [200, false, "stream"],
    [200, false, "stream"],
    [200, true, ""],
  ]);
});

Deno.test("Anthropic and OpenAI Responses streams: text deltas are tokens, their stop event ends the stream", () => {
  const anthropic = parse([
    ['event: message_start\ndata: {"type":"message_start","message":{"role":"assistant"}}\n\n', 1],
    [sse({ type: "content_block_delta", delta: { type: "text_delta", text: "Hi" } }), 20],
    [sse({ type: "content_block_delta", delta: { type: "text_delta", text: "!" } }), 25],
    ['event: message_stop\ndata: {"type":"message_stop"}\n\n', 26],
  ]);
  assert.deepEqual(anthropic.result(), { ttftMs: 20, chunks: 2, tokens: 2, itlMs: [5] });
  assert.equal(anthropic.failure(), null);
  const responses = parse([
    [sse({ type: "response.output_text.delta", delta: "a" }), 7],
    [sse({ type: "response.completed", response: {} }), 9],
  ]);
  assert.deepEqual(responses.result(), { ttftMs: 7, chunks: 1, tokens: 1, itlMs: [] });
  assert.equal(responses.failure(), null);
});
