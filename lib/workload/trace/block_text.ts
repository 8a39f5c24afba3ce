/**
 * Prompt text of a given token length built from numbered blocks, so that
 * equal block ids give byte-identical text (a server's prefix cache sees the
 * prefix the trace recorded) and different ids give different text.
 *
 * Each block is {@linkcode BLOCK_TOKENS} words of the one-token vocabulary
 * (`vocabulary.ts`) drawn from a generator seeded by (seed, block id); words
 * are joined by single spaces, so the text of n words is n tokens in
 * `o200k_base`. The prompt is its blocks in order, cut to its length; tokens
 * past its blocks (or all of them, for a trace without `hash_ids`) come from
 * the request's own generator, so no two requests share them.
 *
 * @example
 * ```ts
 * const blocks = new BlockTexts(42);
 * const a = blocks.prompt(600, [7, 8], 0);
 * const b = blocks.prompt(700, [7, 9], 1);
 * a.slice(0, 100) === b.slice(0, 100); // true: block 7 is shared
 * ```
 *
 * @module
 */

import { mulberry32 } from "../../stats/random.ts";
import { SINGLE_TOKEN_WORDS } from "../vocabulary.ts";
import { BLOCK_TOKENS } from "./entry.ts";

/** A 32-bit mix of two integers (seeds of the block and request generators). */
function mix(a: number, b: number): number {
  let h = Math.imul((a ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ Math.imul(b >>> 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The words of blocks, made once per id and kept (a trace reuses its blocks). */
export class BlockTexts {
  #seed: number;
  #blocks = new Map<number, string[]>();

  constructor(seed: number) {
    this.#seed = seed >>> 0;
  }

  /** The words of block `id`. */
  block(id: number): string[] {
    let words = this.#blocks.get(id);
    if (!words) {
      words = drawWords(BLOCK_TOKENS, mulberry32(mix(this.#seed, id)));
      this.#blocks.set(id, words);
    }
    return words;
  }

  /**
   * A prompt of `tokens` tokens: the blocks of `ids` in order, then words of
   * the request's own (`request`, a distinct number per request) up to the length.
   */
  prompt(tokens: number, ids: readonly number[], request: number): string {
    const words: string[] = [];
    for (const id of ids) {
      if (words.length >= tokens) break;
      const block = this.block(id);
      const take = Math.min(block.length, tokens - words.length);
      for (let i = 0; i < take; i++) words.push(block[i]!);
    }
    if (words.length < tokens) {
      const rand = mulberry32(mix(this.#seed ^ 0x51ed270b, request));
      words.push(...drawWords(tokens - words.length, rand));
    }
    return words.join(" ");
  }
}

function drawWords(n: number, rand: () => number): string[] {
  const words: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    words[i] = SINGLE_TOKEN_WORDS[Math.floor(rand() * SINGLE_TOKEN_WORDS.length)]!;
  }
  return words;
}
