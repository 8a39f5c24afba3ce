/**
 * One prompt, as every prompt source gives it and every request builder
 * takes it.
 *
 * @module
 */

/** A chat message (`{"role": "user", "content": "..."}`). */
export interface ChatMessage {
  role: string;
  content: string;
}

/** A prompt: its text, the chat messages when the source gave messages, an output length. */
export interface Prompt {
  /** The prompt's text; for messages, their contents joined by newlines. */
  text: string;
  /** The chat messages, when the source gave them. */
  messages?: ChatMessage[];
  /** Output tokens asked for this prompt (a JSONL line's `max_tokens`, a ShareGPT reply's). */
  maxTokens?: number;
}

/** The text of chat messages: their contents joined by newlines. */
export function messagesText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => m.content).join("\n");
}
