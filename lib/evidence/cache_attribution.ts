/**
 * Which part of a TTFT change a prefix cache made: for a before/after pair of
 * multi-turn runs (the same sessions, a server without and with a prefix
 * cache), the cache hit rate of each, TTFT P50 by turn (later turns resend a
 * longer history, which only a cache spares), and the mean TTFT split into
 * queue (Server-Timing) and prefill (TTFT minus queue). The cache is named the
 * contributor when the optimized phase hit its cache, the baseline did not,
 * and the prefill's drop accounts for at least half of the TTFT's.
 *
 * @module
 */

import type { Sample } from "../stats/sample.ts";
import { percentile, sortedCopy } from "../stats/stats.ts";
import { prefixCacheSummary } from "../stats/llm/prefix_cache_summary.ts";

/** One phase's figures. */
export interface CachePhaseFigures {
  cache_hit_rate: number;
  cached_tokens: number;
  ttft_mean_ms: number;
  queue_mean_ms: number;
  prefill_mean_ms: number;
  /** TTFT P50 by turn index (ms). */
  ttft_p50_by_turn: number[];
}

/** The attribution. */
export interface CacheAttribution {
  baseline: CachePhaseFigures;
  optimized: CachePhaseFigures;
  /** Share of the mean TTFT drop that the prefill's drop accounts for (NaN: no drop). */
  prefill_share_of_ttft_drop: number;
  /** "prefix cache hits", or why the cache is not named. */
  contributor: string;
}

const mean = (v: number[]) => (v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length);

function figures(samples: readonly Sample[]): CachePhaseFigures {
  const timed = samples.filter((s) => s.ok && s.stream?.ttftMs != null);
  const ttft = timed.map((s) => s.stream!.ttftMs!);
  const queue = timed.map((s) => s.serverQueueMs ?? 0);
  const turns = new Map<number, number[]>();
  for (const s of timed) {
    const k = s.session?.turn ?? 0;
    turns.set(k, [...(turns.get(k) ?? []), s.stream!.ttftMs!]);
  }
  const byTurn = [...turns.keys()].sort((a, b) => a - b).map((k) =>
    percentile(sortedCopy(turns.get(k)!), 50)
  );
  const cache = prefixCacheSummary(samples);
  return {
    cache_hit_rate: cache.cache_hit_rate,
    cached_tokens: cache.cached_tokens,
    ttft_mean_ms: mean(ttft),
    queue_mean_ms: mean(queue),
    prefill_mean_ms: mean(ttft.map((t, i) => Math.max(0, t - queue[i]!))),
    ttft_p50_by_turn: byTurn,
  };
}

/** The attribution of the TTFT change between `baseline` and `optimized`. */
export function cacheAttribution(
  baseline: readonly Sample[],
  optimized: readonly Sample[],
): CacheAttribution {
  const b = figures(baseline);
  const o = figures(optimized);
  const ttftDrop = b.ttft_mean_ms - o.ttft_mean_ms;
  const prefillDrop = b.prefill_mean_ms - o.prefill_mean_ms;
  const share = ttftDrop > 0 ? prefillDrop / ttftDrop : NaN;
  const hit = (r: number) => Number.isFinite(r) && r > 0;
  const contributor = !hit(o.cache_hit_rate)
    ? "not the prefix cache: the optimized phase reported no cache hits"
    : hit(b.cache_hit_rate)
    ? "not told apart: the baseline hit a prefix cache too"
    : !(ttftDrop > 0)
    ? "none: TTFT did not drop"
    : share >= 0.5
    ? "prefix cache hits"
    : "not the prefix cache alone: the prefill's drop is under half of TTFT's";
  return { baseline: b, optimized: o, prefill_share_of_ttft_drop: share, contributor };
}

/** Lines for the terminal and summary. */
export function cacheAttributionLines(a: CacheAttribution): string[] {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "none reported");
  const turns = a.baseline.ttft_p50_by_turn.map((t, k) =>
    `turn ${k} ${f(t)} -> ${f(a.optimized.ttft_p50_by_turn[k] ?? NaN)}`
  );
  return [
    `prefix cache: hit rate baseline ${pct(a.baseline.cache_hit_rate)}, optimized ${
      pct(a.optimized.cache_hit_rate)
    } (${a.optimized.cached_tokens} cached prompt tokens)`,
    `TTFT p50 by turn (ms, baseline -> optimized): ${turns.join(", ")}`,
    `TTFT mean ${f(a.baseline.ttft_mean_ms)} -> ${f(a.optimized.ttft_mean_ms)} ms: prefill ${
      f(a.baseline.prefill_mean_ms)
    } -> ${f(a.optimized.prefill_mean_ms)} ms, queue ${f(a.baseline.queue_mean_ms)} -> ${
      f(a.optimized.queue_mean_ms)
    } ms; the prefill accounts for ${
      Number.isFinite(a.prefill_share_of_ttft_drop)
        ? `${(a.prefill_share_of_ttft_drop * 100).toFixed(0)}%`
        : "-"
    } of the drop`,
    `contributor: ${a.contributor}`,
  ];
}
