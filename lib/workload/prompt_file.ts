/**
 * Prompt files: JSONL of prompts and ShareGPT JSON, told apart by their
 * shape, parsed into {@linkcode Prompt}s with one digest naming the set.
 *
 * - JSONL: one object a line, `{"prompt": "..."}` or `{"messages": [{"role",
 *   "content"}, ...]}`, with an optional positive integer `"max_tokens"`.
 * - ShareGPT: a JSON array of records `{"conversations": [{"from": "human",
 *   "value": "..."}, {"from": "gpt", "value": "..."}, ...]}` (also accepted
 *   one record a line). The first human turn is the prompt; the turn after it
 *   (the reply), counted with the tokenizer, is that request's output length,
 *   as vLLM's `sharegpt` dataset does.
 *
 * @example
 * ```ts
 * const set = await parsePromptFile('{"prompt":"hi","max_tokens":8}\n', "p.jsonl", (s) => s.length);
 * set.source; // "jsonl"
 * set.prompts[0]; // { text: "hi", maxTokens: 8 }
 * ```
 *
 * @module
 */

import { readInputText } from "../base/read_text.ts";
import { UsageError } from "../base/errors.ts";
import { sha256Hex } from "../base/hash.ts";
import { type ChatMessage, messagesText, type Prompt } from "./prompt.ts";

/** Where a prompt set came from. */
export type PromptSource = "jsonl" | "sharegpt" | "synthetic" | "trace";

/** Prompts with the digest that names them (recorded in the manifest). */
export interface PromptSet {
  source: PromptSource;
  prompts: Prompt[];
  /** SHA-256 over the source and every prompt, in order. */
  digest: string;
}

/** Counts the tokens of a text (the tokenizer's `count`; injected). */
export type CountTokens = (text: string) => number;

/** The digest of a prompt set: SHA-256 of the source name and each prompt's JSON, one a line. */
export function promptSetDigest(source: PromptSource, prompts: readonly Prompt[]): Promise<string> {
  return sha256Hex([source, ...prompts.map((p) => JSON.stringify(p))].join("\n"));
}

const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);

/**
 * Parses a prompt file's text; `name` is used in error messages, `count`
 * measures ShareGPT replies. Throws {@linkcode UsageError} with one line: an
 * empty file, a line that is not JSON, a record that is neither shape, a
 * ShareGPT record without a human turn.
 */
export async function parsePromptFile(
  text: string,
  name: string,
  count: CountTokens,
): Promise<PromptSet> {
  const records = readRecords(text, name);
  if (records.length === 0) {
    throw new UsageError(`Cannot use prompts "${name}": it holds no prompts`);
  }
  const sharegpt = isShareGpt(records[0]!.value);
  const prompts = records.map(({ value, where }) => {
    const at = `Cannot use prompts "${name}" ${where}`;
    return sharegpt ? shareGptPrompt(value, at, count) : jsonlPrompt(value, at);
  });
  const source: PromptSource = sharegpt ? "sharegpt" : "jsonl";
  return { source, prompts, digest: await promptSetDigest(source, prompts) };
}

/** Reads and parses a prompt file. Throws {@linkcode UsageError}. */
export async function readPromptFile(path: string, count: CountTokens): Promise<PromptSet> {
  return parsePromptFile(await readInputText(path, "prompts"), path, count);
}

interface Located {
  value: unknown;
  /** "line N" or "record N", for messages. */
  where: string;
}

function readRecords(text: string, name: string): Located[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new UsageError(`Cannot parse prompts "${name}": it starts with "[" but is not JSON`);
    }
    return (value as unknown[]).map((v, i) => ({ value: v, where: `record ${i + 1}` }));
  }
  const out: Located[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    try {
      out.push({ value: JSON.parse(line), where: `line ${i + 1}` });
    } catch {
      throw new UsageError(
        `Cannot parse prompts "${name}" line ${i + 1}: ${shown(line)} is not JSON`,
      );
    }
  });
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function isShareGpt(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.conversations);
}

function maxTokensOf(value: Record<string, unknown>, at: string): number | undefined {
  const m = value.max_tokens;
  if (m === undefined) return undefined;
  if (typeof m === "number" && Number.isInteger(m) && m > 0) return m;
  throw new UsageError(`${at}: "max_tokens" ${JSON.stringify(m)} is not a positive integer`);
}

function jsonlPrompt(value: unknown, at: string): Prompt {
  if (!isObject(value)) throw new UsageError(`${at}: not a JSON object`);
  const maxTokens = maxTokensOf(value, at);
  const withMax = (p: Prompt): Prompt => (maxTokens === undefined ? p : { ...p, maxTokens });
  if (typeof value.prompt === "string") return withMax({ text: value.prompt });
  if (Array.isArray(value.messages) && value.messages.length > 0) {
    const messages: ChatMessage[] = value.messages.map((m) => {
      if (!isObject(m) || typeof m.role !== "string" || typeof m.content !== "string") {
        throw new UsageError(`${at}: a message is not {"role": string, "content": string}`);
      }
      return { role: m.role, content: m.content };
    });
    return withMax({ text: messagesText(messages), messages });
  }
  throw new UsageError(`${at}: has neither "prompt" (a string) nor "messages" (a list)`);
}

const HUMAN = new Set(["human", "user"]);

function shareGptPrompt(value: unknown, at: string, count: CountTokens): Prompt {
  if (!isShareGpt(value)) {
    throw new UsageError(`${at}: not a ShareGPT record {"conversations": [...]}`);
  }
  const turns = (value as { conversations: unknown[] }).conversations;
  const k = turns.findIndex((t) =>
    isObject(t) && typeof t.from === "string" && HUMAN.has(t.from) && typeof t.value === "string"
  );
  if (k < 0) throw new UsageError(`${at}: the conversation has no human turn`);
  const text = (turns[k] as { value: string }).value;
  const reply = turns[k + 1];
  if (!isObject(reply) || typeof reply.value !== "string") return { text };
  return { text, maxTokens: Math.max(1, count(reply.value)) };
}
