/**
 * The stub's OpenAI API, driven by the official `openai` npm client (a
 * client no one here wrote), streamed and not, and by hand for vLLM's
 * framing, Server-Timing with known timings, errors and `/metrics`.
 */
import assert from "node:assert/strict";
// Pinned here, in the test only: the stub must satisfy a client it does not ship.
// deno-lint-ignore no-import-prefix
import OpenAI from "npm:openai@7.59.0";
import { createStubHandler, serveStub } from "../../lib/stub/server.ts";
import { parseStubArgs } from "../../lib/stub/stub_args.ts";
import { parseLlmStubArgs } from "../../lib/stub/llm_args.ts";
import type { OpenAiRoutesOptions } from "../../lib/stub/openai/routes.ts";
import { parseServerTiming } from "../../lib/load/server_timing.ts";
import { parsePrometheusText } from "../../lib/log/prometheus_text.ts";
import { tokenizer } from "../../lib/workload/tokens.ts";
import { virtualClock } from "../_virtual_clock.ts";

const FAST: OpenAiRoutesOptions = {
  model: "stub-model",
  outputTokens: [8, 24],
  maxModelLen: 4096,
  inference: {
    mode: "batched",
    maxBatch: 4,
    prefillMsPerToken: 0.01,
    decodeMs: 1,
    batchCost: 0.1,
    kvCapacityTokens: 10_000,
  },
};

function startStub(openai: OpenAiRoutesOptions = FAST) {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 1], openai });
  const base = new URL(stub.url).origin;
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: "none", maxRetries: 0 });
  return { stub, base, client };
}

Deno.test("the openai client reads the stub's chat completion, whole and streamed, alike", async () => {
  const { stub, client } = startStub();
  try {
    const messages = [{ role: "user" as const, content: "the model answer" }];
    const whole = await client.chat.completions.create({
      model: "stub-model",
      messages,
      max_tokens: 12,
    });
    const text = whole.choices[0]!.message.content!;
    assert.equal(whole.object, "chat.completion");
    assert.equal(whole.choices[0]!.message.role, "assistant");
    assert.equal(whole.usage!.prompt_tokens, 3);
    assert.equal((await tokenizer()).count(text), whole.usage!.completion_tokens);
    assert.ok(whole.usage!.completion_tokens <= 12);

    const stream = await client.chat.completions.create({
      model: "stub-model",
      messages,
      max_tokens: 12,
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = "";
    let role: string | undefined;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      role ??= choice?.delta.role ?? undefined;
      streamed += choice?.delta.content ?? "";
      finish = choice?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(role, "assistant");
    assert.equal(streamed, text);
    assert.equal(finish, whole.choices[0]!.finish_reason);
    assert.deepEqual(usage, whole.usage);
  } finally {
    await stub.shutdown();
  }
});

Deno.test("the openai client reads the stub's completions and model list", async () => {
  const { stub, client } = startStub();
  try {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ["stub-model"]);
    const whole = await client.completions.create({
      model: "stub-model",
      prompt: "the of and",
      max_tokens: 30,
      ignore_eos: true,
    } as OpenAI.CompletionCreateParamsNonStreaming);
    assert.equal(whole.usage!.completion_tokens, 30);
    assert.equal(whole.choices[0]!.finish_reason, "length");
    const stream = await client.completions.create({
      model: "stub-model",
      prompt: "the of and",
      max_tokens: 30,
      ignore_eos: true,
      stream: true,
    } as OpenAI.CompletionCreateParamsStreaming);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    assert.equal(text, whole.choices[0]!.text);
  } finally {
    await stub.shutdown();
  }
});

Deno.test("the openai client sees the stub's 404 for another model and 400 for a bad request", async () => {
  const { stub, client } = startStub();
  try {
    await assert.rejects(
      client.chat.completions.create({
        model: "gpt-9",
        messages: [{ role: "user", content: "x" }],
      }),
      (err: unknown) => err instanceof OpenAI.NotFoundError && /gpt-9/.test(err.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: "stub-model", messages: [], max_tokens: 3 }),
      (err: unknown) => err instanceof OpenAI.BadRequestError,
    );
  } finally {
    await stub.shutdown();
  }
});

const INFO = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 40003 } } as const;
const info = INFO as unknown as Deno.ServeHandlerInfo;
const post = (path: string, body: unknown) =>
  new Request(`http://stub${path}`, { method: "POST", body: JSON.stringify(body) });

function handlerWith(mode: "serialized" | "batched", clock = virtualClock()) {
  const openai: OpenAiRoutesOptions = {
    ...FAST,
    outputTokens: [5, 5],
    inference: { ...FAST.inference, mode, prefillMsPerToken: 2, decodeMs: 10, clock },
  };
  return createStubHandler({ mode, serviceMs: [1, 1], openai });
}

function events(text: string): unknown[] {
  return text.split("\n\n").filter((e) => e !== "").map((e) => {
    assert.ok(e.startsWith("data: "), e);
    const data = e.slice(6);
    return data === "[DONE]" ? "[DONE]" : JSON.parse(data);
  });
}

Deno.test("a streamed chat answer has vLLM's framing: role, content, finish, usage, [DONE]", async () => {
  const { handler } = handlerWith("serialized");
  const res = await handler(
    post("/v1/chat/completions", {
      model: "stub-model",
      messages: [{ role: "user", content: "the of" }],
      stream: true,
      stream_options: { include_usage: true },
    }),
    info,
  );
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const evs = events(await res.text()) as Array<Record<string, unknown>>;
  const deltas = evs.slice(0, -2).map((e) => (e.choices as Array<Record<string, unknown>>)[0]);
  assert.deepEqual(deltas[0], {
    index: 0,
    delta: { role: "assistant", content: "" },
    logprobs: null,
    finish_reason: null,
  });
  assert.equal(deltas.length, 1 + 5 + 1);
  for (const d of deltas.slice(1, 6)) {
    assert.equal(typeof (d!.delta as { content: string }).content, "string");
    assert.equal(d!.finish_reason, null);
  }
  assert.deepEqual(deltas[6]!.delta, {});
  assert.equal(deltas[6]!.finish_reason, "stop");
  assert.deepEqual(evs.at(-2)!.choices, []);
  assert.deepEqual(evs.at(-2)!.usage, { prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 });
  assert.equal(evs.at(-1), "[DONE]");
  assert.ok(evs.slice(0, -1).every((e) => e.object === "chat.completion.chunk"));
});

Deno.test("a streamed answer without include_usage has no usage chunk", async () => {
  const { handler } = handlerWith("serialized");
  const res = await handler(
    post("/v1/completions", { prompt: "the", max_tokens: 2, stream: true }),
    info,
  );
  const evs = events(await res.text()) as Array<Record<string, unknown>>;
  assert.equal(evs.length, 2 + 1 + 1); // two tokens, finish, [DONE]
  assert.ok(evs.slice(0, -1).every((e) => e.object === "text_completion" && !("usage" in e)));
});

Deno.test("equal requests get byte-equal answers", async () => {
  const { handler } = handlerWith("batched");
  const body = { model: "stub-model", prompt: "the of and to", max_tokens: 4 };
  const a = await (await handler(post("/v1/completions", body), info)).text();
  const b = await (await handler(post("/v1/completions", body), info)).text();
  assert.equal(a, b);
});

Deno.test("Server-Timing gives queue, prefill and decode of the modelled server", async () => {
  // Prompts of 4 tokens (8 ms prefill), 5 output tokens (4 decode steps of 10 ms).
  const { handler } = handlerWith("serialized");
  const body = (p: string) => ({ model: "stub-model", prompt: p, max_tokens: 5 });
  const [a, b] = await Promise.all([
    handler(post("/v1/completions", body("the of and to")), info),
    handler(post("/v1/completions", body("in is that for")), info),
  ]);
  const ta = parseServerTiming(a.headers.get("server-timing"));
  const tb = parseServerTiming(b.headers.get("server-timing"));
  assert.deepEqual([...ta], [["queue", 0], ["prefill", 8], ["decode", 40], ["infer", 48]]);
  assert.deepEqual([...tb], [["queue", 48], ["prefill", 8], ["decode", 40], ["infer", 48]]);
  await a.body?.cancel();
  await b.body?.cancel();
});

Deno.test("a streamed answer's Server-Timing gives queue and prefill with its first token", async () => {
  const clock = virtualClock();
  const { handler } = handlerWith("batched", clock);
  const res = await handler(
    post("/v1/completions", { prompt: "the of and to", max_tokens: 5, stream: true }),
    info,
  );
  assert.equal(clock.t, 8);
  assert.deepEqual([...parseServerTiming(res.headers.get("server-timing"))], [
    ["queue", 0],
    ["prefill", 8],
  ]);
  await res.text();
  assert.equal(clock.t, 48);
});

Deno.test("/metrics serves vLLM's gauges and counters as Prometheus text", async () => {
  const { handler } = handlerWith("batched");
  const res = await handler(post("/v1/completions", { prompt: "the of and", max_tokens: 3 }), info);
  await res.text();
  const metrics = await handler(new Request("http://stub/metrics"), info);
  assert.match(metrics.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const families = new Map(parsePrometheusText(await metrics.text()).map((f) => [f.name, f]));
  const value = (name: string) => families.get(name)!.samples[0]!.value;
  assert.equal(families.get("vllm:num_requests_running")!.type, "gauge");
  assert.equal(value("vllm:num_requests_running"), 0);
  assert.equal(value("vllm:num_requests_waiting"), 0);
  assert.equal(value("vllm:kv_cache_usage_perc"), 0);
  assert.equal(families.get("vllm:prompt_tokens")!.type, "counter");
  assert.equal(value("vllm:prompt_tokens"), 3);
  assert.equal(value("vllm:generation_tokens"), 3);
  const success = families.get("vllm:request_success")!.samples;
  assert.equal(success.find((s) => s.labels.finished_reason === "length")!.value, 1);
});

Deno.test("the OpenAI API answers bad bodies with OpenAI-shaped errors", async () => {
  const { handler } = handlerWith("batched");
  const cases: Array<[string, unknown, number, RegExp]> = [
    ["/v1/completions", { max_tokens: 3 }, 400, /prompt/],
    ["/v1/completions", { prompt: "x", max_tokens: 0 }, 400, /max_tokens/],
    ["/v1/chat/completions", { messages: [{ role: "user" }] }, 400, /content/],
    ["/v1/completions", { prompt: "x", max_tokens: 5000 }, 400, /maximum context length/],
    ["/v1/completions", { model: "other", prompt: "x" }, 404, /other/],
  ];
  for (const [path, body, status, message] of cases) {
    const res = await handler(post(path, body), info);
    assert.equal(res.status, status, JSON.stringify(body));
    const { error } = await res.json();
    assert.match(error.message, message);
  }
  const notJson = await handler(
    new Request("http://stub/v1/completions", { method: "POST", body: "{" }),
    info,
  );
  assert.equal(notJson.status, 400);
  await notJson.body?.cancel();
  const get = await handler(new Request("http://stub/v1/completions"), info);
  assert.equal(get.status, 405);
  await get.body?.cancel();
});

Deno.test("parseStubArgs() takes --mode batched and the model's flags", () => {
  const args = parseStubArgs(["--mode", "batched", "--max-batch", "16", "--decode-ms", "5"]);
  assert.ok(args !== "help");
  assert.equal(args.openai!.inference.mode, "batched");
  assert.equal(args.openai!.inference.maxBatch, 16);
  assert.equal(args.openai!.inference.decodeMs, 5);
  assert.throws(() => parseLlmStubArgs({ "output-tokens": "0:4" }, "batched"), /output-tokens/);
  assert.throws(() => parseStubArgs(["--mode", "pipelined"]), /--mode/);
});

Deno.test("a streamed client that goes away frees its place for the next sequence", async () => {
  const clock = virtualClock();
  const { handler } = handlerWith("serialized", clock);
  const long = { prompt: "the of and to", max_tokens: 100, ignore_eos: true, stream: true };
  const res = await handler(post("/v1/completions", long), info);
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  const next = await handler(post("/v1/completions", { prompt: "the", max_tokens: 1 }), info);
  const queue = parseServerTiming(next.headers.get("server-timing")).get("queue")!;
  assert.ok(queue <= 10, `queued ${queue} ms behind a cancelled sequence of 1000 ms`);
  await next.body?.cancel();
});
