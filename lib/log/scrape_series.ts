/**
 * What `--scrape` read of a server's Prometheus `/metrics`, made into the
 * summary's `server_metrics`: each counter (and a histogram's or summary's
 * `_count` and `_sum`) as its delta over the phase, last read minus first;
 * each gauge as a series of (time, value) points. Pure: snapshots in, JSON
 * out.
 *
 * @example
 * ```ts
 * scrapeSeries({ url, intervalS: 1, snapshots: [
 *   { atMs: 0, families: parsePrometheusText("# TYPE c counter\nc_total 2\n") },
 *   { atMs: 900, families: parsePrometheusText("# TYPE c counter\nc_total 7\n") },
 * ], failures: [] }).counters; // { c_total: 5 }
 * ```
 *
 * @module
 */

import { type PrometheusFamily, seriesKey } from "./prometheus_text.ts";

/** One successful read: when (ms from the phase start; negative before it) and what. */
export interface ScrapeSnapshot {
  atMs: number;
  families: PrometheusFamily[];
}

/** `server_metrics` of a phase summary (docs/json.md). */
export interface ScrapeJson {
  url: string;
  /** Seconds between reads during the phase. */
  interval_s: number;
  /** Successful reads (before, during, after). */
  scrapes: number;
  /** Reads that failed, each a warning; the run goes on. */
  failures: string[];
  /** Counter deltas over the phase (last read minus first), by series key. */
  counters: Record<string, number>;
  /** Gauge series by series key: `[t_ms, value]` points, t from the phase start. */
  gauges: Record<string, [number, number][]>;
}

const COUNTED = new Set(["_count", "_sum"]);

function isCounted(family: PrometheusFamily, name: string): boolean {
  if (family.type === "counter") return true;
  if (family.type !== "histogram" && family.type !== "summary") return false;
  return COUNTED.has(name.slice(family.name.length));
}

/** The reads of a phase as deltas and series. */
export function scrapeSeries(input: {
  url: string;
  intervalS: number;
  snapshots: readonly ScrapeSnapshot[];
  failures: readonly string[];
}): ScrapeJson {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const gauges: Record<string, [number, number][]> = {};
  for (const snap of input.snapshots) {
    for (const f of snap.families) {
      for (const s of f.samples) {
        const key = seriesKey(s);
        if (f.type === "gauge") (gauges[key] ??= []).push([round(snap.atMs), s.value]);
        else if (isCounted(f, s.name)) {
          if (!first.has(key)) first.set(key, s.value);
          last.set(key, s.value);
        }
      }
    }
  }
  const counters: Record<string, number> = {};
  for (const [key, v] of last) counters[key] = v - first.get(key)!;
  return {
    url: input.url,
    interval_s: input.intervalS,
    scrapes: input.snapshots.length,
    failures: [...input.failures],
    counters,
    gauges,
  };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
