/**
 * Trace files as the published datasets lay them out (Mooncake / AIPerf
 * JSONL, Azure LLM inference CSV, BurstGPT CSV, loadgate JSONL): detected,
 * parsed, windowed and scaled; equal `hash_ids` give equal prefix text.
 */
import assert from "node:assert/strict";
import { UsageError } from "../../../lib/base/errors.ts";
import { BLOCK_TOKENS } from "../../../lib/workload/trace/entry.ts";
import { azureTimeMs } from "../../../lib/workload/trace/csv.ts";
import { parseTrace, traceReplay } from "../../../lib/workload/trace/replay.ts";
import { tokenizer } from "../../../lib/workload/tokens.ts";
import { AZURE, BURSTGPT, MOONCAKE } from "../../_traces.ts";

const count = (s: string) => s.split(" ").length;

Deno.test("parseTrace detects each format and reads its columns", () => {
  const m = parseTrace(MOONCAKE, "m.jsonl", null, count);
  assert.equal(m.format, "mooncake");
  assert.deepEqual(m.entries[3], {
    timestampMs: 27482,
    inputTokens: 1100,
    outputTokens: 4,
    hashIds: [46, 48, 49],
  });
  const a = parseTrace(AZURE, "a.csv", null, count);
  assert.equal(a.format, "azure");
  // Epoch ms in a double keep the 100 ns ticks to within 0.25 µs.
  assert.ok(Math.abs(a.entries[1]!.timestampMs - a.entries[0]!.timestampMs - 4314.579) < 1e-3);
  assert.deepEqual([a.entries[2]!.inputTokens, a.entries[2]!.outputTokens], [1200, 7]);
  const b = parseTrace(BURSTGPT, "b.csv", null, count);
  assert.equal(b.format, "burstgpt");
  assert.deepEqual(b.entries.map((e) => e.timestampMs), [5000, 45000, 118000]);
  assert.equal(b.skipped, 1);
  const l = parseTrace(
    '{"timestamp": 0, "prompt": "a b c", "output_length": 3}\n' +
      '{"timestamp": 20, "messages": [{"role": "user", "content": "x y"}], "output_length": 2}\n',
    "l.jsonl",
    null,
    count,
  );
  assert.equal(l.format, "loadgate");
  assert.deepEqual(l.entries.map((e) => [e.inputTokens, e.text]), [[3, "a b c"], [2, "x y"]]);
});

Deno.test("azureTimeMs keeps the 100 ns ticks of the Azure trace", () => {
  const a = azureTimeMs("2023-11-16 18:15:46.6805900");
  assert.ok(Math.abs(a - (Date.UTC(2023, 10, 16, 18, 15, 46) + 680.59)) < 1e-3);
  assert.ok(Number.isNaN(azureTimeMs("yesterday")));
});

Deno.test("a bad trace is a usage error naming the file and line", () => {
  assert.throws(() => parseTrace("x,y\n1,2\n", "t.csv", null, count), UsageError);
  assert.throws(
    () => parseTrace('{"timestamp": 0, "input_length": -1, "output_length": 2}', "t", null, count),
    /t" line 1: "input_length" -1/,
  );
  assert.throws(() => parseTrace(AZURE, "a.csv", "burstgpt", count), /not a burstgpt trace/);
  assert.throws(() => parseTrace(MOONCAKE, "m", "loadgate", count), /it is mooncake/);
  assert.throws(
    () => parseTrace("TIMESTAMP,ContextTokens,GeneratedTokens\nnow,1,2\n", "a", null, count),
    /row 2: "now" is not a TIMESTAMP/,
  );
});

Deno.test("traceReplay scales the clock and keeps the window, from the first kept request", () => {
  const trace = parseTrace(BURSTGPT, "b.csv", null, count);
  const all = traceReplay(trace, { speed: 10, startMs: 0, durationMs: null, seed: 1 });
  assert.deepEqual(Array.from(all.schedule), [0, 4000, 11300]);
  assert.deepEqual(all.prompts.map((p) => p.maxTokens), [18, 230, 276]);
  const window = traceReplay(trace, { speed: 1, startMs: 30_000, durationMs: 60_000, seed: 1 });
  assert.deepEqual(Array.from(window.schedule), [0]);
  assert.equal(window.prompts[0]!.maxTokens, 230);
  assert.throws(
    () => traceReplay(trace, { speed: 1, startMs: 500_000, durationMs: null, seed: 1 }),
    /keep no request/,
  );
});

Deno.test("equal hash_ids give byte-identical prefix blocks; the prompts have their exact lengths", async () => {
  const t = await tokenizer();
  const trace = parseTrace(MOONCAKE, "m.jsonl", null, t.count);
  const r = traceReplay(trace, { speed: 1, startMs: 0, durationMs: null, seed: 7 });
  const words = r.prompts.map((p) => p.text.split(" "));
  // Entries 0 and 2 are the same record: the same text.
  assert.equal(r.prompts[0]!.text, r.prompts[2]!.text);
  // Entry 1 shares blocks 46 and 47: its first 655 words (the blocks' part) are entry 0's.
  assert.deepEqual(words[1]!.slice(0, 655), words[0]);
  // Entry 3 shares block 46 only.
  assert.deepEqual(words[3]!.slice(0, BLOCK_TOKENS), words[0]!.slice(0, BLOCK_TOKENS));
  assert.notDeepEqual(words[3]!.slice(BLOCK_TOKENS, 655), words[0]!.slice(BLOCK_TOKENS));
  for (const [k, p] of r.prompts.entries()) {
    assert.equal(t.count(p.text), r.inputTokens[k], `prompt ${k}`);
  }
  // Another seed, other words.
  const other = traceReplay(trace, { speed: 1, startMs: 0, durationMs: null, seed: 8 });
  assert.notEqual(other.prompts[0]!.text, r.prompts[0]!.text);
});
