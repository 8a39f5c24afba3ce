/**
 * Where each request's time went, from the columns of its log row:
 *
 * | part           | from the log                                          | what it is                                   |
 * | -------------- | ----------------------------------------------------- | -------------------------------------------- |
 * | `queue_ms`     | `server_queue_ms`                                     | waiting in the server's queue                |
 * | `service_ms`   | `server_infer_ms`                                     | being served (the model's work)              |
 * | `remainder_ms` | `headers_ms - server_queue_ms - server_infer_ms`      | connection setup, sending, client-side time  |
 * | `body_ms`      | `latency_ms - headers_ms`                             | reading the response body                    |
 *
 * The four parts add up to `latency_ms`; the first three to `headers_ms`
 * (time to response headers). Pure: samples in, figures out.
 *
 * @module
 */

import type { Sample } from "../stats/sample.ts";
import { percentile, sortedCopy } from "../stats/stats.ts";

/** The parts a request's latency is split into, in the order they happen. */
export const PARTS = ["queue_ms", "service_ms", "remainder_ms", "body_ms"] as const;

/** One part's name. */
export type Part = typeof PARTS[number];

/** The columns each part comes from, for reports. */
export const PART_SOURCES: Readonly<Record<Part, string>> = {
  queue_ms: "server_queue_ms",
  service_ms: "server_infer_ms",
  remainder_ms: "headers_ms - server_queue_ms - server_infer_ms",
  body_ms: "latency_ms - headers_ms",
};

/** A part's value for each part, ms (or a share of latency, 0..1). */
export type PartValues = Record<Part, number>;

/** One request, split into parts. */
export interface RequestParts {
  request_id: number;
  latency_ms: number;
  /** Time to response headers: queue + service + remainder. */
  headers_ms: number;
  parts: PartValues;
}

/**
 * Splits one request's latency into parts; null when the row cannot be split
 * (no response headers, or no Server-Timing from the server).
 */
export function requestParts(s: Sample): RequestParts | null {
  if (s.headersMs === null || s.serverQueueMs === null || s.serverInferMs === null) return null;
  return {
    request_id: s.requestId,
    latency_ms: s.latencyMs,
    headers_ms: s.headersMs,
    parts: {
      queue_ms: s.serverQueueMs,
      service_ms: s.serverInferMs,
      remainder_ms: s.headersMs - s.serverQueueMs - s.serverInferMs,
      body_ms: s.latencyMs - s.headersMs,
    },
  };
}

/** One phase's decomposition. */
export interface Decomposition {
  /** Rows in the log. */
  requests: number;
  /** Rows that could be split (response headers and Server-Timing present). */
  decomposed: number;
  /**
   * The request at the P95 of latency (nearest rank, round(0.95 x (n - 1)),
   * among the decomposed ones), its parts in ms and as shares of its latency.
   */
  p95_request: (RequestParts & { shares: PartValues }) | null;
  /** The requests at or above the P95 of latency: their mean parts and shares. */
  tail: { requests: number; mean: PartValues; shares: PartValues } | null;
  /** Summed over all decomposed requests: ms per part and each part's share of the total. */
  total: { latency_ms: number; sum: PartValues; shares: PartValues };
  /** Mean ms per part over the decomposed requests. */
  mean: PartValues;
  /** P95 of each part on its own, ms (not the parts of one request: they need not add up). */
  part_p95: PartValues;
}

const zeros = (): PartValues => ({ queue_ms: 0, service_ms: 0, remainder_ms: 0, body_ms: 0 });

function sharesOf(parts: PartValues, latency: number): PartValues {
  const out = zeros();
  for (const p of PARTS) out[p] = latency > 0 ? parts[p] / latency : NaN;
  return out;
}

/**
 * Decomposes a phase: the P95 request, the tail above P95, and every part's
 * share of all the time the phase's requests took.
 *
 * @example
 * ```ts
 * decompose(samples).total.shares.queue_ms; // 0.96 for a serialized server with 32 in flight
 * ```
 */
export function decompose(samples: readonly Sample[]): Decomposition {
  const rows = samples.map(requestParts).filter((r): r is RequestParts => r !== null);
  rows.sort((a, b) => a.latency_ms - b.latency_ms || a.request_id - b.request_id);
  const n = rows.length;
  const sum = zeros();
  let latency = 0;
  for (const r of rows) {
    latency += r.latency_ms;
    for (const p of PARTS) sum[p] += r.parts[p];
  }
  const mean = zeros();
  for (const p of PARTS) mean[p] = n > 0 ? sum[p] / n : NaN;

  let p95Request: Decomposition["p95_request"] = null;
  let tail: Decomposition["tail"] = null;
  if (n > 0) {
    const at = rows[Math.round(0.95 * (n - 1))]!;
    p95Request = { ...at, shares: sharesOf(at.parts, at.latency_ms) };
    const p95 = percentile(sortedCopy(rows.map((r) => r.latency_ms)), 95);
    const top = rows.filter((r) => r.latency_ms >= p95);
    const tailSum = zeros();
    let tailLatency = 0;
    for (const r of top) {
      tailLatency += r.latency_ms;
      for (const p of PARTS) tailSum[p] += r.parts[p];
    }
    const tailMean = zeros();
    for (const p of PARTS) tailMean[p] = tailSum[p] / top.length;
    tail = { requests: top.length, mean: tailMean, shares: sharesOf(tailSum, tailLatency) };
  }
  const partP95 = zeros();
  for (const p of PARTS) partP95[p] = percentile(sortedCopy(rows.map((r) => r.parts[p])), 95);
  return {
    requests: samples.length,
    decomposed: n,
    p95_request: p95Request,
    tail,
    total: { latency_ms: latency, sum, shares: sharesOf(sum, latency) },
    mean,
    part_p95: partP95,
  };
}
