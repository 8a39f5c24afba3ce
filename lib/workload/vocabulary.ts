/**
 * A vocabulary of English words each of which is exactly one token in
 * `o200k_base` (GPT-4o's encoding), alone and after a space. Text of n of
 * them joined by single spaces is therefore exactly n tokens: the pre-tokenizer
 * splits at each space-led word, and every piece is one token
 * (tests/workload/tokens_test.ts holds this). Synthetic prompts and the stub's replies
 * are built from it, so a tokenizer counts what was asked.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "../stats/random.ts";
 * wordsText(3, mulberry32(1)); // three words, three tokens
 * ```
 *
 * @module
 */

/** Words that are one `o200k_base` token each, alone and after a space. */
export const SINGLE_TOKEN_WORDS: readonly string[] = (
  "the of and to in is that for it as was with be by on not he this are or his from at " +
  "which but have an they you were her she there been one all we their has would when if " +
  "so no will more can who out about some them time only new like other then into two its " +
  "first any these may after most over also made such did just where through back well " +
  "years much before your good very used our being under make many know same three while " +
  "last might great still since should because each found those both between own life work " +
  "down long even here world take state part place small every large number point hand " +
  "high year day give people water head word light house group problem fact power money " +
  "story family body music color market order table plan model value system answer " +
  "question cache queue token batch memory kernel vector stream signal window river garden " +
  "yellow silver winter summer city country paper letter energy method result process " +
  "service simple public common"
).split(" ");

/** Text of `n` vocabulary words drawn from `rand` (uniform in [0, 1)), joined by spaces. */
export function wordsText(n: number, rand: () => number): string {
  const words: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    words[i] = SINGLE_TOKEN_WORDS[Math.floor(rand() * SINGLE_TOKEN_WORDS.length)]!;
  }
  return words.join(" ");
}
