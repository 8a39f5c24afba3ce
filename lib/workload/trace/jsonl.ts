/**
 * JSONL traces: Mooncake's (also AIPerf's `mooncake_trace` dataset type) and
 * loadgate's own, with explicit prompts.
 *
 * - Mooncake (kvcache-ai/Mooncake `mooncake_trace.jsonl`): one object a line,
 *   `{"timestamp": 0, "input_length": 6755, "output_length": 500,
 *   "hash_ids": [0, 1, ...]}`; `timestamp` in ms from the first request,
 *   each hash id a 512-token block, equal ids an equal block (a shared prefix).
 * - loadgate: `{"timestamp": ms, "prompt": "..."}` or `{"timestamp": ms,
 *   "messages": [{"role", "content"}, ...]}`, with `"output_length": N`.
 *
 * @example
 * ```ts
 * const t = parseJsonlTrace('{"timestamp":0,"input_length":600,"output_length":8,"hash_ids":[1,2]}', "t", (s) => s.length);
 * t.entries[0]!.hashIds; // [1, 2]
 * ```
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import type { ChatMessage } from "../prompt.ts";
import { messagesText } from "../prompt.ts";
import type { Trace, TraceEntry } from "./entry.ts";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** True when a parsed line looks like a Mooncake record (lengths, not text). */
export function isMooncakeRecord(value: unknown): boolean {
  return isObject(value) && ("input_length" in value || "hash_ids" in value);
}

/**
 * Parses JSONL trace text (Mooncake or loadgate, told apart by the first
 * record). `count` measures an explicit prompt. Throws {@linkcode UsageError}
 * naming the line.
 */
export function parseJsonlTrace(
  text: string,
  name: string,
  count: (text: string) => number,
): Trace {
  const entries: TraceEntry[] = [];
  let mooncake: boolean | null = null;
  let skipped = 0;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const at = `Cannot use trace "${name}" line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${at}: not JSON`);
    }
    mooncake ??= isMooncakeRecord(value);
    const entry = mooncake ? mooncakeEntry(value, at) : loadgateEntry(value, at, count);
    if (entry.outputTokens < 1 || entry.inputTokens < 1) skipped++;
    else entries.push(entry);
  });
  return { format: mooncake === false ? "loadgate" : "mooncake", entries, skipped };
}

function field(value: Record<string, unknown>, key: string, at: string, integer: boolean): number {
  const v = value[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new UsageError(`${at}: "${key}" ${JSON.stringify(v)} is not a non-negative number`);
  }
  return v;
}

function mooncakeEntry(value: unknown, at: string): TraceEntry {
  if (!isObject(value)) throw new UsageError(`${at}: not a JSON object`);
  const entry: TraceEntry = {
    timestampMs: field(value, "timestamp", at, false),
    inputTokens: field(value, "input_length", at, true),
    outputTokens: field(value, "output_length", at, true),
  };
  if (value.hash_ids !== undefined) {
    const ids = value.hash_ids;
    if (!Array.isArray(ids) || !ids.every((h) => Number.isInteger(h) && h >= 0)) {
      throw new UsageError(`${at}: "hash_ids" is not a list of non-negative integers`);
    }
    entry.hashIds = ids as number[];
  }
  return entry;
}

function loadgateEntry(value: unknown, at: string, count: (text: string) => number): TraceEntry {
  if (!isObject(value)) throw new UsageError(`${at}: not a JSON object`);
  const timestampMs = field(value, "timestamp", at, false);
  const outputTokens = field(value, "output_length", at, true);
  if (typeof value.prompt === "string") {
    return { timestampMs, outputTokens, inputTokens: count(value.prompt), text: value.prompt };
  }
  if (Array.isArray(value.messages) && value.messages.length > 0) {
    const messages: ChatMessage[] = value.messages.map((m) => {
      if (!isObject(m) || typeof m.role !== "string" || typeof m.content !== "string") {
        throw new UsageError(`${at}: a message is not {"role": string, "content": string}`);
      }
      return { role: m.role, content: m.content };
    });
    const text = messagesText(messages);
    return { timestampMs, outputTokens, inputTokens: count(text), text, messages };
  }
  throw new UsageError(
    `${at}: has neither "input_length" (Mooncake) nor "prompt"/"messages" (loadgate)`,
  );
}
