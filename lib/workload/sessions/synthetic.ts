/**
 * Synthetic sessions: `count` sessions of `turns` turns, each user turn of a
 * drawn input length (one-token words) asking a drawn output length, think
 * times exponential of mean `thinkMs` (0: none), all from one seed.
 *
 * @example
 * ```ts
 * const set = await syntheticSessions({ count: 2, turns: 3, input: { mean: 8 },
 *   output: { mean: 4 }, thinkMs: 100, seed: 1 });
 * set.sessions[1]!.turns.length; // 3
 * ```
 *
 * @module
 */

import { mulberry32 } from "../../stats/random.ts";
import { drawLength, type TokenLength } from "../synthetic_prompts.ts";
import { wordsText } from "../vocabulary.ts";
import type { Conversation, ConversationSet } from "./conversation.ts";
import { conversationDigest } from "./read.ts";

/** Options of {@linkcode syntheticSessions}. */
export interface SyntheticSessionOptions {
  count: number;
  turns: number;
  input: TokenLength;
  output: TokenLength;
  /** Mean think time, ms (exponential); 0 for none. */
  thinkMs: number;
  seed: number;
}

/** Sessions drawn from the seed. */
export async function syntheticSessions(o: SyntheticSessionOptions): Promise<ConversationSet> {
  const lengths = mulberry32(o.seed);
  const words = mulberry32((o.seed ^ 0x2545f491) >>> 0);
  const think = mulberry32((o.seed ^ 0x68e31da4) >>> 0);
  const sessions: Conversation[] = [];
  for (let s = 0; s < o.count; s++) {
    const turns = Array.from({ length: o.turns }, () => {
      const input = drawLength(o.input, lengths);
      const maxTokens = drawLength(o.output, lengths);
      const thinkMs = o.thinkMs > 0
        ? Math.round(-Math.log(1 - think()) * o.thinkMs * 1000) / 1000
        : 0;
      return { user: wordsText(input, words), maxTokens, thinkMs };
    });
    sessions.push({ turns });
  }
  return { source: "synthetic", sessions, digest: await conversationDigest("synthetic", sessions) };
}
