/**
 * The shape of `sweep.json`, the one result file of a sweep (written by
 * lib/commands/sweep/json.ts, documented in docs/json.md), which every sweep
 * renderer (terminal, summary.md, report.html) and `compare` of two sweeps
 * read.
 *
 * @module
 */

import type { StepState } from "./capacity.ts";

/** One step of a sweep, as sweep.json holds it. Times in ms, rates in requests/s. */
export interface SweepStepJson {
  /** 1-based, in the order the steps ran. */
  step: number;
  /** Its folder under the sweep's (log, summary JSON): `step-01-20`. */
  dir: string;
  /** Offered rate (req/s), or workers with `--sweep-concurrency`. */
  load: number;
  /** Completed requests per second. */
  achieved_rate: number;
  requests: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  error_rate: number;
  /** P99 of how late requests went out against their schedule (0 in a closed loop). */
  schedule_lag_p99_ms: number;
  /** The step's verdict on every `--sla` threshold (inconclusive only with intervals). */
  sla: StepState;
  /** Whether the step's pass or fail was decided (false: inconclusive). */
  conclusive: boolean;
  /** How the capacity counts it (an inconclusive step by --strict/--lenient; default fail). */
  counted: "pass" | "fail";
  /** Why the step is clearly overloaded, or null. */
  overloaded: string | null;
  /** Why the step was cut short (overload seen while it ran), or null. */
  cut_short: string | null;
  /** The step verdict's reasons. */
  reasons: string[];
  /** The `--sla` thresholds the step missed, as `ttft_p95<=150 (measured 182.3)`; [] when none. */
  missed: string[];
  /** A streamed step's TTFT, TPOT and ITL (ms) and output tokens/s; null when it did not stream. */
  llm: SweepStepLlm | null;
}

/** P50, P95 and P99 of one streaming metric over a step (ms; null when nothing measured it). */
export interface StepPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The streaming figures of one step. */
export interface SweepStepLlm {
  ttft: StepPercentiles;
  tpot: StepPercentiles;
  itl: StepPercentiles;
  output_tokens_per_s: number | null;
}

/** `sweep.json`. */
export interface SweepJson {
  command: "sweep";
  mode: "rates" | "search" | "concurrency";
  /** `req/s`, or `workers` for a closed-loop sweep. */
  unit: string;
  url: string;
  /** The `--sla` thresholds every step is judged on. */
  sla: string[];
  verdict_basis: "point" | "interval";
  confidence: number;
  /** How each step ran. */
  step_plan: {
    duration_s: number | null;
    requests: number | null;
    warmup_requests: number;
    cool_down_s: number;
  };
  /** When a step counts as clearly overloaded (null: not checked). */
  overload: { schedule_lag_ms: number | null; error_rate: number; achieved_share: number };
  /** Highest load that passed below every failed one; null when the lowest failed. */
  capacity: number | null;
  /** Lowest load that failed; null when every step passed. */
  lowest_failed: number | null;
  /** Width of [capacity, lowest_failed), or null when not bracketed. */
  resolution: number | null;
  /** A load passed above one that failed. */
  non_monotone: boolean;
  /** Listed loads not run because an earlier step was clearly overloaded. */
  skipped: number[];
  /**
   * Where the latency `metric` starts to rise faster than throughput (load null: no knee in
   * the loads tried); the metric is the first latency the SLA names, else `p95` (E2E).
   */
  knee: { load: number | null; metric: string; elasticities: (number | null)[] };
  steps: SweepStepJson[];
  /** `--min-capacity`: its state and why; null without it. */
  gate: { min_capacity: number; state: StepState; reason: string } | null;
  /** The gate's verdict, `none` without a gate, `interrupted` when a step was stopped. */
  verdict: StepState | "none" | "interrupted";
  /** The step an interruption stopped in (1-based) and its load; null when none was. */
  stopped: { step: number; load: number } | null;
  manifest: Record<string, unknown>;
}
