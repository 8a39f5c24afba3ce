/**
 * The stub's embeddings and rerank routes: OpenAI `POST /v1/embeddings` (as
 * vLLM serves it), Hugging Face TEI's `POST /embed` and `POST /rerank`, and
 * the vLLM/Cohere-style `POST /v1/rerank` (also `/rerank` with `documents`).
 * Vectors and scores are pure functions of the texts; tokens are counted
 * with the shared tokenizer and sent as `usage` where the API has it (TEI
 * does not). Each request is answered after `serviceTimeMs(sha256(body))`,
 * all at once (no queue).
 *
 * @module
 */

import { sha256Hex, sha256HexSync } from "../../base/hash.ts";
import { tokenizer } from "../../workload/tokens.ts";
import { serviceTimeMs } from "../infer_route.ts";
import type { V2Routes } from "../kserve/routes.ts";

/** Options of {@linkcode createRetrievalRoutes}. */
export interface RetrievalRoutesOptions {
  serviceMs: [number, number];
  sleep: (ms: number) => Promise<void>;
  /** Length of each embedding. */
  dimensions?: number;
}

const PATHS = ["/v1/embeddings", "/embed", "/rerank", "/v1/rerank"];

/** The routes, for the server to hook in (as the v2 routes, without a scheduler). */
export type RetrievalRoutes = Omit<V2Routes, "scheduler" | "infer">;

/** A text's embedding: `dimensions` values in [-1, 1) from its digest. */
export function embeddingOf(text: string, dimensions: number): number[] {
  const d = sha256HexSync(text);
  return Array.from({ length: dimensions }, (_, i) => {
    const j = (i * 2) % 62;
    return Math.round((parseInt(d.slice(j, j + 2), 16) / 128 - 1) * 1e4) / 1e4;
  });
}

/** A document's relevance to a query, in [0, 1): from their digest. */
export function relevanceOf(query: string, document: string): number {
  return parseInt(sha256HexSync(`${query}\n${document}`).slice(0, 8), 16) / 0x1_0000_0000;
}

const texts = (v: unknown): string[] | null =>
  typeof v === "string"
    ? [v]
    : Array.isArray(v) && v.every((t) => typeof t === "string")
    ? v as string[]
    : null;

/** Builds the routes. */
export function createRetrievalRoutes(options: RetrievalRoutesOptions): RetrievalRoutes {
  const dims = options.dimensions ?? 8;
  const bad = (error: string) => Response.json({ error }, { status: 400 });
  return {
    handles: (pathname) => PATHS.includes(pathname),
    async handle(req, readBody, headers) {
      const path = new URL(req.url).pathname;
      if (req.method !== "POST") {
        return new Response("method not allowed\n", { status: 405, headers: { allow: "POST" } });
      }
      const body = await readBody();
      if (typeof body === "string") return bad(`request body ${body}`);
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(new TextDecoder().decode(body));
      } catch {
        return bad("the body is not JSON");
      }
      const t = await tokenizer();
      const count = (list: string[]) => list.reduce((a, s) => a + t.count(s), 0);
      await options.sleep(serviceTimeMs(await sha256Hex(body), options.serviceMs));
      const json = (v: unknown) => Response.json(v, { headers });
      if (path === "/v1/embeddings" || path === "/embed") {
        const input = texts(path === "/embed" ? value?.inputs : value?.input);
        if (input === null) return bad("input must be a string or an array of strings");
        const vectors = input.map((s) => embeddingOf(s, dims));
        if (path === "/embed") return json(vectors);
        const tokens = count(input);
        return json({
          object: "list",
          model: value.model ?? "loadgate-stub",
          data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        });
      }
      const query = value?.query;
      const docs = texts(value?.documents ?? value?.texts);
      if (typeof query !== "string" || docs === null) {
        return bad("a rerank needs a query and documents (or texts)");
      }
      const scored = docs.map((d, index) => ({ index, score: relevanceOf(query, d) }))
        .sort((a, b) => b.score - a.score);
      if (path === "/rerank" && value.texts !== undefined) return json(scored);
      const tokens = count([query, ...docs]);
      return json({
        id: `rerank-${sha256HexSync(body).slice(0, 16)}`,
        model: value.model ?? "loadgate-stub",
        usage: { total_tokens: tokens },
        results: scored.map(({ index, score }) => ({
          index,
          document: { text: docs[index] },
          relevance_score: score,
        })),
      });
    },
  };
}
