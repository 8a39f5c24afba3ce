/**
 * The workload: a seeded, deterministic list of distinct request bodies, so
 * that every phase sends exactly the same inputs in the same order.
 *
 * @example
 * ```ts
 * const w = await buildWorkload({ seed: 42, requests: 3 });
 * w.bodies.length; // 3
 * ```
 *
 * @module
 */

import { sha256Hex } from "../base/hash.ts";
import { mulberry32 } from "../stats/random.ts";

/** Request bodies with their digests. */
export interface Workload {
  /** Seed the bodies came from, or null for bodies given by the user. */
  seed: number | null;
  /** Encoded request bodies, one per request. */
  bodies: Uint8Array<ArrayBuffer>[];
  /** SHA-256 of each body, same order. */
  inputSha256: string[];
  /** SHA-256 over all body digests in order: one value naming the workload. */
  digest: string;
}

const WORDS = [
  "latency",
  "model",
  "token",
  "batch",
  "summarize",
  "translate",
  "explain",
  "service",
  "queue",
  "cache",
  "gradient",
  "vector",
  "prompt",
  "answer",
  "context",
  "request",
  "window",
  "kernel",
  "memory",
  "shard",
  "replica",
  "stream",
  "decode",
  "encode",
];

/** Options for {@linkcode buildWorkload}. */
export interface WorkloadOptions {
  /** 32-bit seed. */
  seed: number;
  /** Number of bodies. */
  requests: number;
}

/**
 * Most distinct bodies a seeded workload holds. Past it, request i sends body
 * i modulo this many, so a million-request run does not keep a million bodies
 * (and their digests) in memory.
 */
export const MAX_DISTINCT_BODIES = 10_000;

/**
 * Builds `requests` distinct JSON bodies `{"inputs": ..., "parameters": ...}` from `seed`
 * (at most {@linkcode MAX_DISTINCT_BODIES}; the runner cycles through them).
 */
export async function buildWorkload(options: WorkloadOptions): Promise<Workload> {
  const rand = mulberry32(options.seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const seen = new Set<string>();
  const encoder = new TextEncoder();
  const bodies: Uint8Array<ArrayBuffer>[] = [];
  const count = Math.min(options.requests, MAX_DISTINCT_BODIES);
  while (bodies.length < count) {
    const words = Array.from({ length: 4 + pick(28) }, () => WORDS[pick(WORDS.length)]);
    const inputs = words.join(" ");
    const parameters = { max_new_tokens: 16 + pick(113), temperature: 0 };
    const text = JSON.stringify({ inputs, parameters });
    if (seen.has(text)) continue;
    seen.add(text);
    bodies.push(encoder.encode(text));
  }
  return await workloadFromBodies(bodies, options.seed);
}

/** Wraps bodies given by the caller (a dataset, a fixed body) as a workload. */
export async function workloadFromBodies(
  bodies: Uint8Array<ArrayBuffer>[],
  seed: number | null = null,
): Promise<Workload> {
  const inputSha256 = await Promise.all(bodies.map((b) => sha256Hex(b)));
  return { seed, bodies, inputSha256, digest: await sha256Hex(inputSha256.join("\n")) };
}
