/**
 * Multi-turn conversations: sessions of user turns, each answered before the
 * next is sent after a think time, the whole history resent each turn (as a
 * chat client does, and as vLLM's multi-turn benchmark, guidellm and AIPerf
 * sessions replay them).
 *
 * @module
 */

/** One user turn of a session. */
export interface Turn {
  /** What the user says. */
  user: string;
  /** The dataset's recorded answer (ShareGPT's gpt turn, a loadgate JSONL `answer`), if any. */
  answer?: string;
  /** Output tokens asked (`max_tokens`), when the source says. */
  maxTokens?: number;
  /** Think time after this turn's answer, before the next turn, ms. */
  thinkMs: number;
}

/** A session: its turns in order. */
export interface Conversation {
  turns: Turn[];
}

/** Which answers the history resends: the model's own, or the dataset's recorded ones. */
export type HistoryMode = "actual" | "recorded";

/** The history modes, for validation and help text. */
export const HISTORY_MODES: readonly HistoryMode[] = ["actual", "recorded"];

/** A set of sessions with the digest that names it (turns, answers, think times). */
export interface ConversationSet {
  source: "sharegpt" | "jsonl" | "synthetic";
  sessions: Conversation[];
  digest: string;
}
