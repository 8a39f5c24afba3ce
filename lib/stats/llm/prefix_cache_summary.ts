/**
 * How much of the prompts a server's prefix cache served, from the
 * `cached_tokens` it reported (`usage.prompt_tokens_details.cached_tokens`,
 * vLLM's and OpenAI's field): the hit rate is cached over prompt tokens, over
 * the successful requests that carried the field. NaN when none did (the
 * server says nothing about a cache: a threshold on it then fails for want of
 * data, never passes).
 *
 * @module
 */

import type { Sample } from "../sample.ts";

/** The prefix cache's figures. */
export interface PrefixCacheSummary {
  /** Prompt tokens served from the cache, over the requests that reported it. */
  cached_tokens: number;
  /** `cached_tokens` over those requests' prompt tokens (0..1); NaN when none reported it. */
  cache_hit_rate: number;
}

/** The prefix-cache figures of `samples`. */
export function prefixCacheSummary(samples: readonly Sample[]): PrefixCacheSummary {
  let cached = 0;
  let prompt = 0;
  let reported = 0;
  for (const s of samples) {
    if (!s.ok || s.tokens?.cached === undefined) continue;
    reported++;
    cached += s.tokens.cached;
    prompt += s.tokens.input;
  }
  return {
    cached_tokens: cached,
    cache_hit_rate: reported === 0 || prompt === 0 ? NaN : cached / prompt,
  };
}
