/**
 * A run's steady window: its measured requests in send order, latency as the
 * output series, the warm-up and the drain cut with MSER-5
 * ({@linkcode steadyCut}); the window's percentiles are reported beside the
 * whole run's, and `run --steady` judges the window.
 *
 * @module
 */

import type { Sample } from "./sample.ts";
import { steadyCut } from "./steady_state.ts";
import { summarize } from "./stats.ts";

/** The method, as the summary names it. */
export const STEADY_METHOD = "MSER-5 (White 1997) on latency in send order, forward and reversed";

/** What the summary JSON records of the window. */
export interface SteadyWindowJson {
  method: string;
  warmup_requests: number;
  drain_requests: number;
  requests: number;
  /** First send in the window, ms from the phase start. */
  start_ms: number;
  /** Last completion in the window, ms from the phase start. */
  end_ms: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  error_rate: number;
  throughput: number;
}

/** The steady window of `measured` (no warm-up requests): its samples and its record. */
export function steadyWindow(measured: readonly Sample[]): {
  samples: Sample[];
  json: SteadyWindowJson;
} {
  const ordered = [...measured].sort((a, b) => a.sentMs - b.sentMs);
  const { warmup, drain } = steadyCut(ordered.map((s) => s.latencyMs));
  const samples = ordered.slice(warmup, ordered.length - drain);
  const s = summarize(samples);
  return {
    samples,
    json: {
      method: STEADY_METHOD,
      warmup_requests: warmup,
      drain_requests: drain,
      requests: samples.length,
      start_ms: samples.length === 0 ? NaN : samples[0]!.sentMs,
      end_ms: samples.length === 0 ? NaN : Math.max(...samples.map((x) => x.sentMs + x.latencyMs)),
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      mean: s.mean,
      error_rate: s.error_rate,
      throughput: s.throughput,
    },
  };
}

/** One line: the window and its percentiles beside the whole run's. */
export function steadyLine(w: SteadyWindowJson, whole: { p50: number; p95: number; p99: number }) {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  return `  steady state (MSER-5): ${w.requests} requests after a warm-up of ${w.warmup_requests} ` +
    `and before a drain of ${w.drain_requests}: p50 ${f(w.p50)} ms, p95 ${f(w.p95)} ms, p99 ${
      f(w.p99)
    } ms (whole run: p50 ${f(whole.p50)}, p95 ${f(whole.p95)}, p99 ${f(whole.p99)})`;
}
