import assert from "node:assert/strict";
import {
  answerContent,
  generatedSha256,
  responseTokens,
} from "../../lib/workload/response_tokens.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const words = (s: string) => s.trim().split(/\s+/).length;
const byWords = { method: "tokenizer", count: words } as const;

Deno.test("responseTokens() reads a JSON answer's usage as exact counts", () => {
  const body = enc(
    '{"choices":[{"message":{"role":"assistant","content":"a b c"}}],' +
      '"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}',
  );
  assert.deepEqual(responseTokens(answerContent(body), 99, byWords, 1), {
    input: 7,
    output: 3,
    estimated: false,
    method: "usage",
  });
});

Deno.test("responseTokens() reads a stream's usage chunk; without one, estimates by chunks or tokenizer", () => {
  const stream = [
    'data: {"choices":[{"delta":{"role":"assistant","content":""}}]}',
    'data: {"choices":[{"delta":{"content":"one"}}]}',
    'data: {"choices":[{"delta":{"content":" two three"}}]}',
    'data: {"choices":[{"delta":{},"finish_reason":"length"}]}',
  ];
  const usage = 'data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}';
  const withUsage = answerContent(enc([...stream, usage, "data: [DONE]", ""].join("\n\n")));
  assert.deepEqual(responseTokens(withUsage, 9, byWords, 2), {
    input: 4,
    output: 2,
    estimated: false,
    method: "usage",
  });
  const without = answerContent(enc([...stream, "data: [DONE]", ""].join("\n\n")));
  assert.deepEqual(responseTokens(without, 9, byWords, 2), {
    input: 9,
    output: 3,
    estimated: true,
    method: "tokenizer",
  });
  assert.deepEqual(responseTokens(without, 9, { method: "chunks" }, 2), {
    input: 9,
    output: 2,
    estimated: true,
    method: "chunks",
  });
  assert.equal(without.text, "one two three");
});

Deno.test("answerContent() skips what is not JSON and reads JSON lines", () => {
  const lines = enc('{"choices":[{"text":"x"}]}\n{"choices":[{"text":"y"}]}\nnot json\n');
  assert.deepEqual(answerContent(lines), { usage: null, text: "xy", tokenIds: null, sse: false });
});

Deno.test("generatedSha256() digests the text, or the token ids where sent, never the framing", () => {
  const a = answerContent(
    enc('data: {"id":"a1","created":1,"choices":[{"delta":{"content":"hi"}}]}\n\n'),
  );
  const b = answerContent(
    enc('data: {"id":"b2","created":2,"choices":[{"delta":{"content":"hi"}}]}\n\n'),
  );
  assert.equal(generatedSha256(a), generatedSha256(b));
  const ids = answerContent(enc('{"id":"x","choices":[{"text":"hi","token_ids":[5,6]}]}'));
  assert.deepEqual(ids.tokenIds, [5, 6]);
  assert.notEqual(generatedSha256(ids), generatedSha256(a));
});
