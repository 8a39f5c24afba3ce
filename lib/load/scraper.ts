/**
 * `--scrape`: reads a Prometheus `/metrics` endpoint before the phase, every
 * interval during it, and after it. A read that fails (refused, timed out,
 * not 2xx, not the text format) is a warning, never a failed run. Bounded:
 * one read in flight, each with a timeout.
 *
 * @example
 * ```ts
 * const s = await startScraper({ url, intervalMs: 1000, now, fetch });
 * // ... the phase ...
 * const json = await s.stop();
 * ```
 *
 * @module
 */

import { parsePrometheusText } from "../log/prometheus_text.ts";
import { type ScrapeJson, scrapeSeries, type ScrapeSnapshot } from "../log/scrape_series.ts";

/** Options of {@linkcode startScraper}. */
export interface ScraperOptions {
  url: string;
  intervalMs: number;
  /** Monotonic clock, ms. */
  now: () => number;
  /** Injected for tests. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Per-read limit, ms (default: the interval, at most 5000). */
  timeoutMs?: number;
}

/** A running scraper. */
export interface Scraper {
  /** Marks the phase's start: later reads are timed from it. */
  phaseStarted(): void;
  /** Reads once more, stops, and gives what was read. */
  stop(): Promise<ScrapeJson>;
}

/** Reads once (the "before" read), then every interval until stopped. */
export async function startScraper(options: ScraperOptions): Promise<Scraper> {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? Math.min(5000, Math.max(100, options.intervalMs));
  const snapshots: ScrapeSnapshot[] = [];
  const failures: string[] = [];
  let origin = options.now();
  let busy: Promise<void> | null = null;
  const read = async (): Promise<void> => {
    const at = options.now() - origin;
    try {
      const res = await fetchFn(options.url, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      snapshots.push({ atMs: at, families: parsePrometheusText(text) });
    } catch (err) {
      const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
      failures.push(`scrape of ${options.url} at ${(at / 1000).toFixed(1)} s failed: ${why}`);
    }
  };
  const tick = (): void => {
    if (busy) return; // one read in flight
    busy = read().finally(() => (busy = null));
  };
  await read();
  const timer = setInterval(tick, options.intervalMs);
  return {
    phaseStarted: () => {
      const shift = options.now() - origin;
      origin += shift;
      for (const s of snapshots) s.atMs -= shift;
    },
    stop: async () => {
      clearInterval(timer);
      await busy;
      await read();
      return scrapeSeries({
        url: options.url,
        intervalS: options.intervalMs / 1000,
        snapshots,
        failures,
      });
    },
  };
}
