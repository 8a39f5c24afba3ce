import assert from "node:assert/strict";
import {
  generatedText,
  inputTokens,
  outputTokens,
  parseUsage,
  tokenizer,
  TOKENIZER_NAME,
} from "../../lib/workload/tokens.ts";
import { SINGLE_TOKEN_WORDS, wordsText } from "../../lib/workload/vocabulary.ts";
import { mulberry32 } from "../../lib/stats/random.ts";

Deno.test("tokenizer() is gpt-tokenizer's o200k_base and counts known text", async () => {
  const t = await tokenizer();
  assert.equal(t.name, TOKENIZER_NAME);
  assert.match(t.name, /o200k_base/);
  assert.equal(t.count("hello world"), 2);
  assert.equal(t.decode(t.encode("the model answer")), "the model answer");
  assert.equal(await tokenizer(), t);
});

Deno.test("every vocabulary word is one token alone and after a space", async () => {
  const t = await tokenizer();
  const bad = SINGLE_TOKEN_WORDS.filter((w) => t.count(w) !== 1 || t.count(` ${w}`) !== 1);
  assert.deepEqual(bad, []);
  assert.equal(new Set(SINGLE_TOKEN_WORDS).size, SINGLE_TOKEN_WORDS.length);
});

Deno.test("wordsText() of n words is n tokens", async () => {
  const t = await tokenizer();
  const rand = mulberry32(3);
  for (const n of [1, 2, 17, 500]) assert.equal(t.count(wordsText(n, rand)), n);
});

Deno.test("parseUsage() reads a response's or chunk's usage, and nothing else", () => {
  const usage = { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 };
  assert.deepEqual(parseUsage({ usage }), { promptTokens: 5, completionTokens: 7 });
  assert.equal(parseUsage({ usage: null }), null);
  assert.equal(parseUsage({ choices: [] }), null);
  assert.equal(parseUsage({ usage: { prompt_tokens: "5", completion_tokens: 7 } }), null);
  assert.equal(parseUsage({ usage: { prompt_tokens: 5, completion_tokens: -1 } }), null);
  assert.equal(parseUsage("x"), null);
});

Deno.test("generatedText() reads chat deltas, chat messages and completion text", () => {
  assert.equal(generatedText({ choices: [{ delta: { content: "a" } }] }), "a");
  assert.equal(generatedText({ choices: [{ delta: { role: "assistant", content: "" } }] }), "");
  assert.equal(generatedText({ choices: [{ delta: {}, finish_reason: "stop" }] }), "");
  assert.equal(generatedText({ choices: [{ message: { content: "hi there" } }] }), "hi there");
  assert.equal(generatedText({ choices: [{ text: "x" }, { text: "y" }] }), "xy");
  assert.equal(generatedText({ choices: [], usage: {} }), "");
  assert.equal(generatedText(null), "");
});

Deno.test("outputTokens() and inputTokens() prefer usage and mark tokenizer counts estimated", async () => {
  const t = await tokenizer();
  const usage = { promptTokens: 9, completionTokens: 4 };
  assert.deepEqual(outputTokens(usage, "the of", t), { tokens: 4, estimated: false });
  assert.deepEqual(outputTokens(null, "the of", t), { tokens: 2, estimated: true });
  assert.deepEqual(inputTokens(usage, "x", t), { tokens: 9, estimated: false });
  assert.deepEqual(inputTokens(null, "the of and", t), { tokens: 3, estimated: true });
});
