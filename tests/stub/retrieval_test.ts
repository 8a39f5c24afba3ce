/** The stub's embeddings and rerank routes: answer shapes, usage, and pure functions of the texts. */
import assert from "node:assert/strict";
import { createRetrievalRoutes, relevanceOf } from "../../lib/stub/retrieval/routes.ts";
import { tokenizer } from "../../lib/workload/tokens.ts";

const routes = createRetrievalRoutes({ serviceMs: [0, 0], sleep: () => Promise.resolve() });

async function post(path: string, body: unknown): Promise<Response> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  return await routes.handle(
    new Request(`http://x${path}`, { method: "POST", body: bytes }),
    () => Promise.resolve(bytes),
    {},
  );
}

Deno.test("stub embeddings: one vector an input, the same for the same text; usage counts tokens", async () => {
  const t = await tokenizer();
  const a = await (await post("/v1/embeddings", { model: "e", input: ["one two", "three"] }))
    .json();
  assert.equal(a.data.length, 2);
  assert.equal(a.usage.prompt_tokens, t.count("one two") + t.count("three"));
  const b = await (await post("/embed", { inputs: "one two" })).json();
  assert.deepEqual(b[0], a.data[0].embedding);
});

Deno.test("stub rerank: documents ranked by a pure score, Cohere and TEI shapes", async () => {
  const docs = ["a b", "c", "d e f"];
  const v = await (await post("/v1/rerank", { query: "q", documents: docs })).json();
  assert.equal(v.results.length, 3);
  const scores = v.results.map((r: { relevance_score: number }) => r.relevance_score);
  assert.deepEqual(scores, [...scores].sort((x, y) => y - x));
  assert.equal(v.results[0].relevance_score, relevanceOf("q", docs[v.results[0].index]!));
  const tei = await (await post("/rerank", { query: "q", texts: docs })).json();
  assert.deepEqual(
    tei.map((r: { index: number }) => r.index),
    v.results.map((r: { index: number }) => r.index),
  );
  assert.equal((await post("/v1/rerank", { documents: docs })).status, 400);
});
