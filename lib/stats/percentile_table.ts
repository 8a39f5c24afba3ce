/**
 * Chosen percentiles of every latency metric a phase has (`--percentiles
 * 50,90,95,99,99.9`, vLLM's `--metric-percentiles`): `latency` (every
 * measured request, loadgate's headline), `e2el` (successful requests,
 * vLLM's E2EL), and when streamed `ttft`, `itl`, `tpot` (vLLM's
 * definitions, `llm_metrics.ts`), and for an open loop `sched` (latency
 * from the scheduled time). Percentiles as everywhere in loadgate: linear
 * between closest ranks (numpy's default).
 *
 * @example
 * ```ts
 * percentileTable(samples, [50, 99.9]).metrics.e2el; // { count: 10, p50: 12.5, "p99.9": 40.1 }
 * ```
 *
 * @module
 */

import { llmRequest } from "./llm/summary.ts";
import { tpotMs } from "./llm/metrics.ts";
import type { Sample } from "./sample.ts";
import { percentile, sortedCopy } from "./stats.ts";

/** The percentiles reported when none are chosen. */
export const DEFAULT_PERCENTILES: readonly number[] = [50, 90, 95, 99];

/** One metric's row: its count and each chosen percentile (`p50`, `p99.9`), ms. */
export type PercentileRow = { count: number } & Record<string, number>;

/** The table: the percentiles chosen and a row per metric the phase has. */
export interface PercentileTable {
  percentiles: number[];
  metrics: Record<string, PercentileRow>;
}

/** `p99.9` for 99.9, `p50` for 50: the key of a percentile, as vLLM names it. */
export function percentileKey(p: number): string {
  return `p${p}`;
}

function row(values: number[], ps: readonly number[]): PercentileRow {
  const sorted = sortedCopy(values);
  const r: PercentileRow = { count: sorted.length } as PercentileRow;
  for (const p of ps) r[percentileKey(p)] = percentile(sorted, p);
  return r;
}

/** The chosen percentiles of every latency metric `samples` (measured ones) have. */
export function percentileTable(
  samples: readonly Sample[],
  ps: readonly number[],
): PercentileTable {
  const latency: number[] = [];
  const e2el: number[] = [];
  const ttft: number[] = [];
  const itl: number[] = [];
  const tpot: number[] = [];
  const sched: number[] = [];
  let streamed = false;
  for (const s of samples) {
    latency.push(s.latencyMs);
    if (s.scheduledMs !== undefined) {
      sched.push(Math.max(0, s.sentMs - s.scheduledMs) + s.latencyMs);
    }
    if (s.stream) streamed = true;
    if (!s.ok) continue;
    e2el.push(s.latencyMs);
    if (!s.stream) continue;
    if (s.stream.ttftMs !== null) ttft.push(s.stream.ttftMs);
    itl.push(...s.stream.itlMs);
    const t = tpotMs(llmRequest(s));
    if (t !== null) tpot.push(t);
  }
  const metrics: Record<string, PercentileRow> = {
    latency: row(latency, ps),
    e2el: row(e2el, ps),
  };
  if (streamed) {
    metrics.ttft = row(ttft, ps);
    metrics.itl = row(itl, ps);
    metrics.tpot = row(tpot, ps);
  }
  if (sched.length > 0) metrics.sched = row(sched, ps);
  return { percentiles: [...ps], metrics };
}
