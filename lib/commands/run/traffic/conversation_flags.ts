/**
 * `run`'s multi-turn flags: `--conversations FILE` or synthetic sessions
 * (`--turns N` with `--synthetic`), `--sessions N` (closed) or
 * `--session-rate R` (open), `--session-count`, `--think-ms`, `--session-history`.
 *
 * @module
 */

import { choice, type FlagSpec, type FlagValues, int, num, str } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { HISTORY_MODES } from "../../../workload/sessions/conversation.ts";
import type { ConversationOptions } from "./options.ts";

/** The flags, to spread into RUN_FLAGS. */
export const CONVERSATION_FLAGS: FlagSpec = {
  conversations: {
    type: "string",
    arg: "FILE",
    help: "--api openai-chat: multi-turn sessions, ShareGPT or loadgate\n" +
      'JSONL ({"turns": [{"prompt", "answer", "think_ms"}]})',
  },
  turns: { type: "string", arg: "N", help: "--synthetic: sessions of N turns each" },
  "session-count": {
    type: "string",
    arg: "N",
    help: "sessions: synthetic ones made (default 16), or the file's first N",
  },
  sessions: { type: "string", arg: "N", help: "sessions: N at once, closed (default 8)" },
  "session-rate": { type: "string", arg: "R", help: "sessions: R arriving per second (open)" },
  "think-ms": {
    type: "string",
    arg: "MS",
    help: "sessions: think time between an answer and the next turn\n" +
      "(synthetic: exponential of mean MS; default 0)",
  },
  "session-history": {
    type: "string",
    arg: "H",
    help: "sessions: resend the model's actual answers (default) or the\ndataset's recorded ones",
  },
};

const SESSION_ONLY = [
  "session-count",
  "sessions",
  "session-rate",
  "think-ms",
  "session-history",
] as const;
const NOT_WITH_SESSIONS = [
  "rate",
  "stages",
  "trace",
  "dataset",
  "requests",
  "duration",
  "warmup",
  "shard",
] as const;

/** Parses the multi-turn flags; null when neither `--conversations` nor `--turns` is given. */
export function parseConversationFlags(values: FlagValues): ConversationOptions | null {
  if (values.conversations === undefined && values.turns === undefined) {
    for (const flag of SESSION_ONLY) {
      if (values[flag] !== undefined) {
        throw new UsageError(`Cannot use --${flag} without --conversations or --turns`);
      }
    }
    return null;
  }
  if (values.api !== "openai-chat") {
    throw new UsageError("Cannot run sessions without --api openai-chat (they resend messages)");
  }
  for (const flag of NOT_WITH_SESSIONS) {
    if (values[flag] !== undefined) throw new UsageError(`Cannot use --${flag} with sessions`);
  }
  if (values.conversations !== undefined && values.turns !== undefined) {
    throw new UsageError("Cannot use --turns with --conversations (the file has its turns)");
  }
  if (values.turns !== undefined && values.synthetic === undefined) {
    throw new UsageError("Cannot use --turns without --synthetic (the turns' lengths)");
  }
  if (values.sessions !== undefined && values["session-rate"] !== undefined) {
    throw new UsageError("Cannot use --sessions with --session-rate (closed or open, not both)");
  }
  const rate = values["session-rate"] === undefined ? null : num(values, "session-rate", 1);
  return {
    path: values.conversations === undefined ? null : str(values, "conversations", ""),
    turns: int(values, "turns", 1),
    count: values["session-count"] === undefined
      ? (values.conversations === undefined ? 16 : null)
      : int(values, "session-count", 1),
    concurrency: rate === null ? int(values, "sessions", 8) : null,
    rate,
    thinkMs: num(values, "think-ms", 0, true),
    history: choice(values, "session-history", HISTORY_MODES, "actual"),
  };
}
