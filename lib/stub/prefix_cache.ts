/**
 * The stub's prefix cache, as vLLM's automatic prefix caching works: the
 * prompt's tokens (the stub's own tokenization, `o200k_base`, of the prompt
 * text: messages' contents joined by newlines) are cut into blocks of
 * `blockTokens`; each full block is named by a hash of every token up to its
 * end (so a block is reused only after the same whole prefix); the cached
 * prefix is the run of leading blocks found, and those tokens are not
 * prefilled again. Blocks are kept in a least-recently-used list of
 * `capacityBlocks`; a request's full blocks are inserted (or refreshed) after
 * the lookup. A partial last block is never cached, as in vLLM.
 *
 * @example
 * ```ts
 * const cache = new PrefixCache({ blockTokens: 2, capacityBlocks: 8 });
 * cache.admit([1, 2, 3, 4, 5]); // 0: nothing cached yet
 * cache.admit([1, 2, 3, 4, 9]); // 4: two blocks reused
 * ```
 *
 * @module
 */

/** Options of {@linkcode PrefixCache}. */
export interface PrefixCacheOptions {
  /** Tokens in a block (vLLM's default block size is 16). */
  blockTokens: number;
  /** Blocks kept; the least recently used go first. */
  capacityBlocks: number;
}

/** FNV-1a over 32-bit words, chained from the previous block's hash. */
function chain(previous: number, tokens: readonly number[], from: number, to: number): number {
  let h = (previous ^ 0x811c9dc5) >>> 0;
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ (tokens[i]! & 0xffff), 0x01000193) >>> 0;
    h = Math.imul(h ^ (tokens[i]! >>> 16), 0x01000193) >>> 0;
  }
  return h;
}

/** An LRU cache of prompt blocks. */
export class PrefixCache {
  readonly options: PrefixCacheOptions;
  /** Block key -> nothing; a Map keeps insertion order, refreshed on use (the LRU order). */
  #blocks = new Map<string, true>();
  /** Prompt tokens looked up and found, over all requests. */
  queried = 0;
  hits = 0;

  constructor(options: PrefixCacheOptions) {
    this.options = options;
  }

  /** Keys of the full blocks of `tokens`: each names its block and the whole prefix before it. */
  #keys(tokens: readonly number[]): string[] {
    const size = this.options.blockTokens;
    const keys: string[] = [];
    let h = 0;
    let h2 = 0x9747b28c;
    for (let end = size; end <= tokens.length; end += size) {
      h = chain(h, tokens, end - size, end);
      h2 = chain(h2, tokens, end - size, end);
      keys.push(`${h.toString(36)}.${h2.toString(36)}.${end}`);
    }
    return keys;
  }

  /** Looks up `tokens`' prefix, then caches its full blocks; returns the cached prompt tokens. */
  admit(tokens: readonly number[]): number {
    const keys = this.#keys(tokens);
    // At least the last token is computed again (its logits start the answer), as in vLLM.
    const most = Math.floor((tokens.length - 1) / this.options.blockTokens);
    let found = 0;
    while (found < Math.min(most, keys.length) && this.#blocks.has(keys[found]!)) found++;
    // Tails first, so the prefix blocks are the most recent and are evicted last.
    for (let i = keys.length - 1; i >= 0; i--) {
      this.#blocks.delete(keys[i]!);
      this.#blocks.set(keys[i]!, true);
    }
    while (this.#blocks.size > this.options.capacityBlocks) {
      this.#blocks.delete(this.#blocks.keys().next().value!);
    }
    const cached = found * this.options.blockTokens;
    this.queried += tokens.length;
    this.hits += cached;
    return cached;
  }

  /** Blocks held now. */
  get size(): number {
    return this.#blocks.size;
  }
}
