import assert from "node:assert/strict";
import {
  discoverModel,
  encodeRequestBody,
  endpointUrl,
  type FetchLike,
  modelsUrl,
  parseApi,
  requestBody,
} from "../../lib/workload/openai_request.ts";
import { UsageError } from "../../lib/base/errors.ts";

Deno.test("requestBody() builds a chat body, streamed with usage", () => {
  const body = requestBody({ text: "hi" }, {
    api: "openai-chat",
    model: "m",
    maxTokens: 64,
    temperature: 0,
    ignoreEos: true,
    stream: true,
  });
  assert.deepEqual(body, {
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 64,
    temperature: 0,
    ignore_eos: true,
    stream: true,
    stream_options: { include_usage: true },
  });
});

Deno.test("requestBody() keeps a prompt's messages and its own max_tokens", () => {
  const messages = [{ role: "system", content: "s" }, { role: "user", content: "u" }];
  const body = requestBody({ text: "s\nu", messages, maxTokens: 7 }, {
    api: "openai-chat",
    model: "m",
    maxTokens: 64,
  });
  assert.deepEqual(body, { model: "m", messages, max_tokens: 7 });
});

Deno.test("requestBody() builds a completions body from the prompt's text", () => {
  const messages = [{ role: "user", content: "u" }];
  assert.deepEqual(
    requestBody({ text: "u", messages }, { api: "openai-completions", model: "m" }),
    { model: "m", prompt: "u" },
  );
  const bytes = encodeRequestBody({ text: "x" }, { api: "openai-completions", model: "m" });
  assert.equal(new TextDecoder().decode(bytes), '{"model":"m","prompt":"x"}');
});

Deno.test("endpointUrl() puts the API's path on a base URL and keeps a full one", () => {
  const cases: Array<[string, string, string]> = [
    ["http://h:8000", "openai-chat", "http://h:8000/v1/chat/completions"],
    ["http://h:8000/", "openai-completions", "http://h:8000/v1/completions"],
    ["http://h:8000/v1", "openai-chat", "http://h:8000/v1/chat/completions"],
    ["http://h:8000/v1/", "openai-chat", "http://h:8000/v1/chat/completions"],
    ["https://gw/team/llm", "openai-chat", "https://gw/team/llm/v1/chat/completions"],
    ["http://h/v1/chat/completions", "openai-chat", "http://h/v1/chat/completions"],
    ["http://h/anything", "raw", "http://h/anything"],
  ];
  for (const [url, api, want] of cases) {
    assert.equal(endpointUrl(url, api as "openai-chat"), want, `${url} ${api}`);
  }
  assert.throws(() => endpointUrl("ftp://h", "openai-chat"), UsageError);
});

Deno.test("modelsUrl() finds /v1/models from a base or an endpoint URL", () => {
  assert.equal(modelsUrl("http://h:8000"), "http://h:8000/v1/models");
  assert.equal(modelsUrl("http://h:8000/v1/chat/completions?x=1"), "http://h:8000/v1/models");
  assert.equal(modelsUrl("http://gw/p/v1"), "http://gw/p/v1/models");
});

Deno.test("parseApi() takes the three APIs and names them when given another", () => {
  assert.equal(parseApi("openai-chat"), "openai-chat");
  assert.equal(parseApi("raw"), "raw");
  assert.throws(
    () => parseApi("anthropic"),
    (e: unknown) =>
      e instanceof UsageError && /openai-chat, openai-completions, raw/.test(e.message),
  );
});

const fakeFetch = (status: number, body: string, seen: string[] = []): FetchLike => (url) => {
  seen.push(url);
  return Promise.resolve(new Response(body, { status }));
};

Deno.test("discoverModel() takes the first id of GET /v1/models", async () => {
  const seen: string[] = [];
  const list = JSON.stringify({ object: "list", data: [{ id: "llama" }, { id: "other" }] });
  assert.equal(await discoverModel("http://h:8000", fakeFetch(200, list, seen)), "llama");
  assert.deepEqual(seen, ["http://h:8000/v1/models"]);
});

Deno.test("discoverModel() asks for --model when the server cannot say", async () => {
  const cases: FetchLike[] = [
    fakeFetch(404, "no"),
    fakeFetch(200, "not json"),
    fakeFetch(200, JSON.stringify({ data: [] })),
    () => Promise.reject(new TypeError("connection refused")),
  ];
  for (const f of cases) {
    await assert.rejects(
      discoverModel("http://h", f),
      (e: unknown) => e instanceof UsageError && /give --model$/.test(e.message),
    );
  }
});
