import assert from "node:assert/strict";
import { answerContent, responseTokens } from "../../lib/workload/response_tokens.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const words = (s: string) => s.trim().split(/\s+/).length;

Deno.test("responseTokens() reads a JSON answer's usage as exact counts", () => {
  const body = enc(
    '{"choices":[{"message":{"role":"assistant","content":"a b c"}}],' +
      '"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}',
  );
  assert.deepEqual(responseTokens(body, 99, words), { input: 7, output: 3, estimated: false });
});

Deno.test("responseTokens() reads a stream's usage chunk, and counts text when there is none", () => {
  const stream = [
    'data: {"choices":[{"delta":{"role":"assistant","content":""}}]}',
    'data: {"choices":[{"delta":{"content":"one"}}]}',
    'data: {"choices":[{"delta":{"content":" two"}}]}',
    'data: {"choices":[{"delta":{},"finish_reason":"length"}]}',
  ];
  const usage = 'data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}';
  const withUsage = enc([...stream, usage, "data: [DONE]", ""].join("\n\n"));
  assert.deepEqual(responseTokens(withUsage, 9, words), { input: 4, output: 2, estimated: false });
  const without = enc([...stream, "data: [DONE]", ""].join("\n\n"));
  assert.deepEqual(responseTokens(without, 9, words), { input: 9, output: 2, estimated: true });
  assert.equal(answerContent(without).text, "one two");
});

Deno.test("answerContent() skips what is not JSON and reads JSON lines", () => {
  const lines = enc('{"choices":[{"text":"x"}]}\n{"choices":[{"text":"y"}]}\nnot json\n');
  assert.deepEqual(answerContent(lines), { usage: null, text: "xy" });
  assert.deepEqual(responseTokens(enc(""), 3, words), { input: 3, output: 0, estimated: true });
});
