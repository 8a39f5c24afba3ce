/**
 * Where a streamed LLM request's time went: waiting in the server's queue
 * (`Server-Timing: queue`), prefill up to the first token (TTFT minus the
 * queue: the prefill step, plus the transfer of the first chunk), and decode
 * (E2E minus TTFT: every later token). Means and p95s over successful
 * streamed requests that carried a queue time.
 *
 * @example
 * ```ts
 * latencySplit(samples).mean; // { queue: 900, prefill: 7, decode: 60, e2e: 967 }
 * ```
 *
 * @module
 */

import { distribution } from "../stats/llm/metrics.ts";
import type { Sample } from "../stats/sample.ts";

/** The parts of a request's latency, ms. */
export interface SplitParts {
  queue: number;
  prefill: number;
  decode: number;
  e2e: number;
}

/** The split of a phase. */
export interface LatencySplit {
  /** Requests behind the figures. */
  requests: number;
  mean: SplitParts;
  p95: SplitParts;
}

/** The split of `samples`; NaN parts when none streamed with a queue time. */
export function latencySplit(samples: readonly Sample[]): LatencySplit {
  const parts: Record<keyof SplitParts, number[]> = { queue: [], prefill: [], decode: [], e2e: [] };
  for (const s of samples) {
    const ttft = s.stream?.ttftMs;
    if (!s.ok || s.warmup || ttft === null || ttft === undefined || s.serverQueueMs === null) {
      continue;
    }
    parts.queue.push(s.serverQueueMs);
    parts.prefill.push(Math.max(0, ttft - s.serverQueueMs));
    parts.decode.push(s.latencyMs - ttft);
    parts.e2e.push(s.latencyMs);
  }
  const d = {
    queue: distribution(parts.queue),
    prefill: distribution(parts.prefill),
    decode: distribution(parts.decode),
    e2e: distribution(parts.e2e),
  };
  const pick = (k: "mean" | "p95"): SplitParts => ({
    queue: d.queue[k],
    prefill: d.prefill[k],
    decode: d.decode[k],
    e2e: d.e2e[k],
  });
  return { requests: parts.e2e.length, mean: pick("mean"), p95: pick("p95") };
}

/** One line per phase: `name: queue Q, prefill P, decode D of E2E E ms (mean; p95 ...)`. */
export function latencySplitLines(phases: ReadonlyArray<[string, LatencySplit]>): string[] {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  const width = Math.max(...phases.map(([n]) => n.length));
  return [
    "latency split (ms; queue from Server-Timing, prefill = TTFT - queue, decode = E2E - TTFT):",
    ...phases.map(([name, s]) =>
      `  ${name.padEnd(width)}  mean: queue ${f(s.mean.queue)}, prefill ${f(s.mean.prefill)}, ` +
      `decode ${f(s.mean.decode)} of ${f(s.mean.e2e)}; p95: queue ${f(s.p95.queue)}, ` +
      `prefill ${f(s.p95.prefill)}, decode ${f(s.p95.decode)} of ${f(s.p95.e2e)} ` +
      `(${s.requests} requests)`
    ),
  ];
}
