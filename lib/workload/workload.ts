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

import { sha256HexSync } from "../base/hash.ts";
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

/** Bound on a seeded body's size: 31 words of at most 9 letters, spaces and the parameters. */
const MAX_BODY_BYTES = 512;

/**
 * Builds `requests` distinct JSON bodies `{"inputs": ..., "parameters": ...}` from `seed`
 * (at most {@linkcode MAX_DISTINCT_BODIES}; the runner cycles through them).
 *
 * Lean on memory, since every run builds one: the bodies are encoded into one
 * buffer (each a view of it) and told apart by their digests, which the
 * workload keeps anyway, so no text outlives its own iteration.
 */
export async function buildWorkload(options: WorkloadOptions): Promise<Workload> {
  const rand = mulberry32(options.seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const count = Math.min(options.requests, MAX_DISTINCT_BODIES);
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(count * MAX_BODY_BYTES);
  const bodies: Uint8Array<ArrayBuffer>[] = [];
  const inputSha256: string[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (bodies.length < count) {
    const words = Array.from({ length: 4 + pick(28) }, () => WORDS[pick(WORDS.length)]);
    const inputs = words.join(" ");
    const parameters = { max_new_tokens: 16 + pick(113), temperature: 0 };
    const text = JSON.stringify({ inputs, parameters });
    const { written } = encoder.encodeInto(text, buffer.subarray(at, at + MAX_BODY_BYTES));
    const body = buffer.subarray(at, at + written);
    const digest = sha256HexSync(body);
    if (seen.has(digest)) continue; // the same text again: drawn over
    seen.add(digest);
    bodies.push(body);
    inputSha256.push(digest);
    at += written;
  }
  return await Promise.resolve(workloadOf(bodies, inputSha256, options.seed));
}

/** A workload of `bodies` whose digests are `inputSha256`. */
function workloadOf(
  bodies: Uint8Array<ArrayBuffer>[],
  inputSha256: string[],
  seed: number | null,
): Workload {
  return { seed, bodies, inputSha256, digest: sha256HexSync(inputSha256.join("\n")) };
}

/** Wraps bodies given by the caller (a dataset, a fixed body) as a workload. */
export async function workloadFromBodies(
  bodies: Uint8Array<ArrayBuffer>[],
  seed: number | null = null,
): Promise<Workload> {
  return await Promise.resolve(workloadOf(bodies, bodies.map((b) => sha256HexSync(b)), seed));
}
