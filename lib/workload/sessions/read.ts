/**
 * Conversation files: ShareGPT (`{"conversations": [{"from": "human",
 * "value"}, {"from": "gpt", "value"}, ...]}`, as one JSON array or one a
 * line), each human turn a turn and the gpt turn after it its recorded
 * answer; or loadgate JSONL sessions, one a line: `{"turns": [{"prompt":
 * "...", "answer": "...", "think_ms": 800, "max_tokens": 64}, ...]}`
 * (`answer`, `think_ms`, `max_tokens` optional). A turn without `think_ms`
 * thinks `defaultThinkMs`.
 *
 * @example
 * ```ts
 * const set = await parseConversations('{"turns":[{"prompt":"hi"},{"prompt":"and?"}]}', "s.jsonl", 500);
 * set.sessions[0]!.turns.length; // 2
 * ```
 *
 * @module
 */

import { readInputText } from "../../base/read_text.ts";
import { UsageError } from "../../base/errors.ts";
import { sha256Hex } from "../../base/hash.ts";
import type { Conversation, ConversationSet, Turn } from "./conversation.ts";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The digest of sessions: SHA-256 of the source and each session's JSON, one a line. */
export function conversationDigest(source: string, sessions: Conversation[]): Promise<string> {
  return sha256Hex([source, ...sessions.map((s) => JSON.stringify(s))].join("\n"));
}

/** Parses conversation text. Throws {@linkcode UsageError} naming the record. */
export async function parseConversations(
  text: string,
  name: string,
  defaultThinkMs: number,
): Promise<ConversationSet> {
  const records = recordsOf(text, name);
  if (records.length === 0) throw new UsageError(`Cannot use conversations "${name}": it is empty`);
  const sharegpt = isObject(records[0]) && Array.isArray(records[0].conversations);
  const sessions = records.map((r, i) => {
    const at = `Cannot use conversations "${name}" record ${i + 1}`;
    return sharegpt ? shareGptSession(r, at, defaultThinkMs) : jsonlSession(r, at, defaultThinkMs);
  });
  const source = sharegpt ? "sharegpt" : "jsonl";
  return { source, sessions, digest: await conversationDigest(source, sessions) };
}

/** Reads and parses a conversation file. */
export async function readConversations(
  path: string,
  defaultThinkMs: number,
): Promise<ConversationSet> {
  return parseConversations(await readInputText(path, "conversations"), path, defaultThinkMs);
}

function recordsOf(text: string, name: string): unknown[] {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith("[")) return JSON.parse(trimmed) as unknown[];
    return trimmed.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  } catch {
    throw new UsageError(`Cannot parse conversations "${name}": not JSON lines or a JSON array`);
  }
}

function shareGptSession(value: unknown, at: string, thinkMs: number): Conversation {
  const turns: Turn[] = [];
  const list = isObject(value) ? value.conversations : undefined;
  if (!Array.isArray(list)) throw new UsageError(`${at}: not {"conversations": [...]}`);
  for (const t of list) {
    if (!isObject(t) || typeof t.value !== "string") {
      throw new UsageError(`${at}: a turn is not {"from": string, "value": string}`);
    }
    if (t.from === "human" || t.from === "user") turns.push({ user: t.value, thinkMs });
    else if (turns.length > 0 && turns[turns.length - 1]!.answer === undefined) {
      turns[turns.length - 1]!.answer = t.value;
    }
  }
  if (turns.length === 0) throw new UsageError(`${at}: it has no human turn`);
  return { turns };
}

function jsonlSession(value: unknown, at: string, defaultThinkMs: number): Conversation {
  const list = isObject(value) ? value.turns : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError(`${at}: not {"turns": [{"prompt": ...}, ...]} (nor ShareGPT)`);
  }
  const turns = list.map((t, k): Turn => {
    if (!isObject(t) || typeof t.prompt !== "string") {
      throw new UsageError(`${at} turn ${k + 1}: has no "prompt" string`);
    }
    const think = t.think_ms ?? defaultThinkMs;
    if (typeof think !== "number" || !(think >= 0)) {
      throw new UsageError(`${at} turn ${k + 1}: "think_ms" is not a non-negative number`);
    }
    const turn: Turn = { user: t.prompt, thinkMs: think };
    if (typeof t.answer === "string") turn.answer = t.answer;
    if (t.max_tokens !== undefined) {
      if (!Number.isInteger(t.max_tokens) || (t.max_tokens as number) < 1) {
        throw new UsageError(`${at} turn ${k + 1}: "max_tokens" is not a positive integer`);
      }
      turn.maxTokens = t.max_tokens as number;
    }
    return turn;
  });
  return { turns };
}
