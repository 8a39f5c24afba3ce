import assert from "node:assert/strict";
import { parsePromptFile, readPromptFile } from "../../lib/workload/prompt_file.ts";
import {
  drawLength,
  parseTokenLength,
  syntheticPrompts,
} from "../../lib/workload/synthetic_prompts.ts";
import { tokenizer } from "../../lib/workload/tokens.ts";
import { promptWorkload } from "../../lib/workload/prompt_workload.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { mulberry32 } from "../../lib/stats/random.ts";

const words = (s: string) => s.split(/\s+/).filter((w) => w !== "").length;

Deno.test("parsePromptFile() reads JSONL prompts and messages with their max_tokens", async () => {
  const text = '{"prompt":"a b","max_tokens":8}\n\n' +
    '{"messages":[{"role":"system","content":"s"},{"role":"user","content":"u"}]}\n';
  const set = await parsePromptFile(text, "p.jsonl", words);
  assert.equal(set.source, "jsonl");
  assert.deepEqual(set.prompts, [
    { text: "a b", maxTokens: 8 },
    {
      text: "s\nu",
      messages: [{ role: "system", content: "s" }, { role: "user", content: "u" }],
    },
  ]);
  assert.match(set.digest, /^[0-9a-f]{64}$/);
  assert.equal((await parsePromptFile(text, "other name", words)).digest, set.digest);
  const changed = await parsePromptFile(text.replace("a b", "a c"), "p.jsonl", words);
  assert.notEqual(changed.digest, set.digest);
});

const SHAREGPT = JSON.stringify([
  {
    id: "1",
    conversations: [
      { from: "human", value: "what is a queue" },
      { from: "gpt", value: "a line of things waiting" },
      { from: "human", value: "thanks" },
    ],
  },
  { id: "2", conversations: [{ from: "system", value: "x" }, { from: "human", value: "hi" }] },
]);

Deno.test("parsePromptFile() recognizes ShareGPT: first human turn, the reply's length", async () => {
  const set = await parsePromptFile(SHAREGPT, "sg.json", words);
  assert.equal(set.source, "sharegpt");
  assert.deepEqual(set.prompts, [{ text: "what is a queue", maxTokens: 5 }, { text: "hi" }]);
  const lines = (JSON.parse(SHAREGPT) as unknown[]).map((r) => JSON.stringify(r)).join("\n");
  const asJsonl = await parsePromptFile(lines, "sg.jsonl", words);
  assert.equal(asJsonl.source, "sharegpt");
  assert.equal(asJsonl.digest, set.digest);
});

Deno.test("ShareGPT reply lengths are counted with the tokenizer given", async () => {
  const t = await tokenizer();
  const set = await parsePromptFile(SHAREGPT, "sg.json", t.count);
  assert.equal(set.prompts[0]!.maxTokens, t.count("a line of things waiting"));
});

Deno.test("bad prompt files get one line each", async () => {
  const cases: Array<[string, RegExp]> = [
    ["", /holds no prompts/],
    ["\n  \n", /holds no prompts/],
    ["[]", /holds no prompts/],
    ['{"prompt":"a"}\nnot json\n', /line 2: "not json" is not JSON/],
    ["[{", /starts with "\[" but is not JSON/],
    ['{"input":"a"}', /line 1: has neither "prompt"/],
    ['{"prompt":"a","max_tokens":0}', /"max_tokens" 0 is not a positive integer/],
    ['{"messages":[{"role":"user"}]}', /a message is not/],
    [
      '[{"conversations":[{"from":"gpt","value":"x"}]}]',
      /record 1: the conversation has no human turn/,
    ],
    ['[{"conversations":[]},{"prompt":"x"}]', /record 1: the conversation has no human turn/],
    [
      '[{"conversations":[{"from":"human","value":"x"}]},{"prompt":"x"}]',
      /record 2: not a ShareGPT/,
    ],
  ];
  for (const [text, message] of cases) {
    await assert.rejects(
      parsePromptFile(text, "f", words),
      (e: unknown) =>
        e instanceof UsageError && message.test(e.message) && !e.message.includes("\n"),
      text,
    );
  }
  await assert.rejects(readPromptFile("tests/fixtures/no_such_prompts.jsonl", words), UsageError);
});

Deno.test("synthetic prompts have exactly the token lengths drawn, reproducibly", async () => {
  const t = await tokenizer();
  const options = {
    input: { mean: 200, spread: 50, min: 100, max: 260 },
    output: { mean: 64, spread: 8 },
    count: 40,
    seed: 7,
  };
  const set = await syntheticPrompts(options);
  assert.equal(set.source, "synthetic");
  assert.equal(set.prompts.length, 40);
  const lengths = mulberry32(7);
  for (const p of set.prompts) {
    const input = drawLength(options.input, lengths);
    const output = drawLength(options.output, lengths);
    assert.equal(t.count(p.text), input);
    assert.equal(p.maxTokens, output);
    assert.ok(input >= 100 && input <= 260);
  }
  assert.ok(new Set(set.prompts.map((p) => t.count(p.text))).size > 10);
  assert.equal((await syntheticPrompts(options)).digest, set.digest);
  assert.notEqual((await syntheticPrompts({ ...options, seed: 8 })).digest, set.digest);
});

Deno.test("a synthetic length without spread is the mean every time", async () => {
  const set = await syntheticPrompts({
    input: { mean: 12 },
    output: { mean: 3 },
    count: 5,
    seed: 1,
  });
  const t = await tokenizer();
  assert.deepEqual(set.prompts.map((p) => [t.count(p.text), p.maxTokens]), Array(5).fill([12, 3]));
});

Deno.test("drawLength() clamps to min and max and never goes below 1", () => {
  const rand = mulberry32(1);
  for (let i = 0; i < 200; i++) {
    const n = drawLength({ mean: 5, spread: 100 }, rand);
    assert.ok(n >= 1 && Number.isInteger(n));
    const m = drawLength({ mean: 50, spread: 100, min: 40, max: 60 }, rand);
    assert.ok(m >= 40 && m <= 60);
  }
});

Deno.test("parseTokenLength() reads MEAN[,spread=S][,min=A][,max=B] and refuses others", () => {
  assert.deepEqual(parseTokenLength("512", "input-tokens"), { mean: 512 });
  assert.deepEqual(parseTokenLength("512,spread=64,min=128,max=1024", "input-tokens"), {
    mean: 512,
    spread: 64,
    min: 128,
    max: 1024,
  });
  for (const bad of ["", "0", "-3", "1.5", "512,width=3", "512,min=9,max=3", "512,spread=-1"]) {
    assert.throws(
      () => parseTokenLength(bad, "input-tokens"),
      (e: unknown) => e instanceof UsageError && /--input-tokens/.test(e.message),
      bad,
    );
  }
});

Deno.test("promptWorkload() sends each prompt as a request and knows its prompt tokens", async () => {
  const t = await tokenizer();
  const set = await syntheticPrompts({
    input: { mean: 20, spread: 5 },
    output: { mean: 4 },
    count: 5,
    seed: 3,
  });
  const params = { api: "openai-chat", model: "m", stream: true } as const;
  const seq = await promptWorkload(
    set,
    params,
    { order: "sequential", seed: 1, requests: 5 },
    t.count,
  );
  assert.equal(seq.workload.bodies.length, 5);
  const first = JSON.parse(new TextDecoder().decode(seq.workload.bodies[0]));
  assert.deepEqual(first.messages, [{ role: "user", content: set.prompts[0]!.text }]);
  assert.equal(first.max_tokens, 4);
  assert.equal(seq.inputTokens.get(seq.workload.inputSha256[0]!), t.count(set.prompts[0]!.text));
  const random = await promptWorkload(
    set,
    params,
    { order: "random", seed: 9, requests: 50 },
    t.count,
  );
  assert.equal(random.workload.bodies.length, 50);
  for (let i = 0; i < 50; i++) {
    const body = JSON.parse(new TextDecoder().decode(random.workload.bodies[i]));
    const tokens = random.inputTokens.get(random.workload.inputSha256[i]!);
    assert.equal(tokens, t.count(body.messages[0].content));
  }
  const again = await promptWorkload(
    set,
    params,
    { order: "random", seed: 9, requests: 50 },
    t.count,
  );
  assert.equal(again.workload.digest, random.workload.digest);
  const other = await promptWorkload(set, { ...params, model: "n" }, {
    order: "random",
    seed: 9,
    requests: 50,
  }, t.count);
  assert.notEqual(other.workload.digest, random.workload.digest);
});
