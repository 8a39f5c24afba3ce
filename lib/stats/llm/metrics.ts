/**
 * LLM serving metrics with vLLM's definitions (`vllm bench serve`,
 * `benchmarks/benchmark_serving.py`), as pure functions of per-request
 * records. Times in ms.
 *
 * - TTFT: from the request's send to the first chunk that carries generated
 *   text (role-only and empty chunks do not count).
 * - ITL: every gap between successive text-carrying chunks of a request,
 *   pooled over requests (a chunk may hold several tokens; vLLM pools the same
 *   gaps).
 * - TPOT: per request with more than one output token,
 *   `(e2e - TTFT) / (output_tokens - 1)`.
 * - E2E: the request's latency, send to last byte.
 * - Throughputs over the phase's duration: requests/s (completed), input
 *   tokens/s, output tokens/s, total tokens/s (input + output). Only
 *   successful requests count, as in vLLM.
 *
 * @example
 * ```ts
 * tpotMs({ ok: true, latencyMs: 100, ttftMs: 10, itlMs: [], inputTokens: 5, outputTokens: 10 });
 * // 10
 * ```
 *
 * @module
 */

import type { Sample } from "../sample.ts";
import { percentile, sortedCopy } from "../stats.ts";

/** One request as the LLM metrics read it. */
export interface LlmRequest {
  /** A 2xx with a complete body and no error in the stream. */
  ok: boolean;
  /** End-to-end latency: send to the last byte. */
  latencyMs: number;
  /** Time to the first text-carrying chunk; null when not streamed (or none came). */
  ttftMs: number | null;
  /** Gaps between successive text-carrying chunks. */
  itlMs: readonly number[];
  inputTokens: number;
  outputTokens: number;
}

/** A distribution's summary, as vLLM prints it. */
export interface Distribution {
  count: number;
  mean: number;
  std: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/** Every metric of a phase. */
export interface LlmMetrics {
  /** Successful requests. */
  completed: number;
  failed: number;
  ttft: Distribution;
  itl: Distribution;
  tpot: Distribution;
  e2e: Distribution;
  input_tokens: number;
  output_tokens: number;
  requests_per_s: number;
  input_tokens_per_s: number;
  output_tokens_per_s: number;
  /** (input + output tokens) / duration. */
  total_tokens_per_s: number;
}

/**
 * The LLM view of a logged sample: its stream's TTFT, ITL and output tokens
 * (none when it did not stream), with the request's input tokens.
 */
export function llmRequestOf(s: Sample, inputTokens: number): LlmRequest {
  return {
    ok: s.ok,
    latencyMs: s.latencyMs,
    ttftMs: s.stream?.ttftMs ?? null,
    itlMs: s.stream?.itlMs ?? [],
    inputTokens,
    outputTokens: s.stream?.tokens ?? 0,
  };
}

/** Gaps between successive chunk times (ms from the send): the ITL samples of one request. */
export function itlFromChunkTimes(chunkTimesMs: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < chunkTimesMs.length; i++) gaps.push(chunkTimesMs[i]! - chunkTimesMs[i - 1]!);
  return gaps;
}

/**
 * The TTFT of a request, for SLOs: the measured one, or the whole latency
 * when the answer was not streamed (its first token came with its last byte).
 */
export function ttftOrLatency(r: LlmRequest): number {
  return r.ttftMs ?? r.latencyMs;
}

/** Time per output token after the first, or null with fewer than two output tokens. */
export function tpotMs(r: LlmRequest): number | null {
  if (r.outputTokens <= 1) return null;
  return (r.latencyMs - ttftOrLatency(r)) / (r.outputTokens - 1);
}

/** Mean, population standard deviation (numpy's default) and percentiles; NaN when empty. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = n === 0 ? NaN : sum / n;
  let sq = 0;
  for (const v of sorted) sq += (v - mean) ** 2;
  return {
    count: n,
    mean,
    std: n === 0 ? NaN : Math.sqrt(sq / n),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** The metrics of a phase of `durationS` seconds. */
export function llmMetrics(requests: readonly LlmRequest[], durationS: number): LlmMetrics {
  const ttft: number[] = [];
  const itl: number[] = [];
  const tpot: number[] = [];
  const e2e: number[] = [];
  let input = 0;
  let output = 0;
  let completed = 0;
  for (const r of requests) {
    if (!r.ok) continue;
    completed++;
    if (r.ttftMs !== null) ttft.push(r.ttftMs);
    for (const gap of r.itlMs) itl.push(gap);
    const t = tpotMs(r);
    if (t !== null) tpot.push(t);
    e2e.push(r.latencyMs);
    input += r.inputTokens;
    output += r.outputTokens;
  }
  const perS = (v: number) => (durationS > 0 ? v / durationS : NaN);
  return {
    completed,
    failed: requests.length - completed,
    ttft: distribution(ttft),
    itl: distribution(itl),
    tpot: distribution(tpot),
    e2e: distribution(e2e),
    input_tokens: input,
    output_tokens: output,
    requests_per_s: perS(completed),
    input_tokens_per_s: perS(input),
    output_tokens_per_s: perS(output),
    total_tokens_per_s: perS(input + output),
  };
}
