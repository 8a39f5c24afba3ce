/**
 * Capacity at the SLA, pure: the rates a sweep probes, the search for the
 * highest rate at which the SLA holds, the knee of the latency-throughput
 * curve, and the gate on the capacity found. Each step (a full phase at one
 * offered rate) is run by an injected `probe`; this module only decides what
 * to probe next and what the steps add up to. The method is written up in
 * docs/sweep.md.
 *
 * @example
 * ```ts
 * const result = await searchCapacity(probe, { minRate: 5, maxRate: 200, resolution: 2 });
 * result.capacity; // the highest rate that passed
 * capacityGate(result, 50).state; // "pass" | "fail" | "inconclusive"
 * ```
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { exitCodeFor, type InconclusivePolicy } from "../../verdict/verdict.ts";

/** A step's SLA outcome (as the interval verdict's states). */
export type StepState = "pass" | "fail" | "inconclusive";

export type { InconclusivePolicy };

/** What a probe reports about one step. Times in ms, rates in requests/s. */
export interface StepResult {
  /** Offered rate. */
  rate: number;
  /** Completed requests per second. */
  achievedRate: number;
  /** Measured requests (warm-up excluded). */
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Failed / requests. */
  errorRate: number;
  /** P99 of (actual send - scheduled send): how far the generator fell behind. */
  scheduleLagMs: number;
  /** Every `--sla` threshold judged on this step (inconclusive only with intervals). */
  sla: StepState;
  /** Why the runner cut the step short as clearly overloaded; absent or null when it did not. */
  cutShort?: string | null;
  /** The step's numeric summary (`ttft_p95`, `output_tokens_per_s`, ...): the knee's metric. */
  metrics?: Readonly<Record<string, number>>;
  /** The `--sla` thresholds the step missed, each as `ttft_p95 182.3 > 150`. */
  missed?: string[];
}

/** When a step counts as clearly overloaded: a fail whatever its percentiles say. */
export interface OverloadLimits {
  /** Schedule lag P99 above this, ms. */
  scheduleLagMs: number;
  /** Error rate at or above this. */
  errorRate: number;
  /** Achieved / offered below this. */
  achievedShare: number;
}

/** Far beyond any SLA a sweep is meant for; see docs/sweep.md. */
export const DEFAULT_OVERLOAD: OverloadLimits = {
  scheduleLagMs: 1000,
  errorRate: 0.5,
  achievedShare: 0.8,
};

/** A step as the sweep counted it. */
export interface StepRecord extends StepResult {
  /** Why the step is clearly overloaded; null when it is not. */
  overloaded: string | null;
  /** Whether the step's outcome was decided (overload, or a pass/fail with requests behind it). */
  conclusive: boolean;
  /** What the search took it for: an inconclusive step counts by the policy (`code`: fail). */
  counted: "pass" | "fail";
}

/** What a sweep or a search found. */
export interface CapacityResult {
  /** Highest rate that passed below every failed one; null when the lowest rate failed. */
  capacity: number | null;
  /** Lowest rate that failed; null when every rate passed. */
  lowestFailed: number | null;
  /** Capacity lies in [capacity, lowestFailed): its width, or null when not bracketed. */
  resolution: number | null;
  /** Steps in the order they ran. */
  steps: StepRecord[];
  /** Listed rates not run because an earlier step was clearly overloaded. */
  skipped: number[];
  /** A rate that passed above one that failed (the curve is not monotone). */
  nonMonotone: boolean;
}

/** Runs one step at `rate`; `overload` lets the runner cut a clearly overloaded step short. */
export type Probe = (
  rate: number,
  context: { index: number; overload: OverloadLimits },
) => Promise<StepResult>;

/** Common options of a sweep and a search. */
export interface StepCounting {
  overload?: OverloadLimits;
  /** How inconclusive steps count. Default `code` (counted as a fail, the gate says inconclusive). */
  inconclusive?: InconclusivePolicy;
}

/**
 * Parses `--rates 5,10,20,40`.
 *
 * @throws {UsageError} for an empty list, a rate that is not a positive
 *   number, or rates not strictly ascending.
 */
export function parseRates(text: string, flag = "--rates"): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const what = flag === "--rates" ? "rate" : "level";
  if (text.trim() === "") throw new UsageError(`Cannot parse ${flag} "": no ${what} given`);
  const rates = parts.map((p) => {
    const r = Number(p);
    if (p === "" || !(r > 0) || !Number.isFinite(r)) {
      throw new UsageError(`Cannot parse ${flag} "${text}": "${p}" is not a positive number`);
    }
    return r;
  });
  for (let i = 1; i < rates.length; i++) {
    if (rates[i]! <= rates[i - 1]!) {
      throw new UsageError(
        `Cannot use ${flag} "${text}": ${what}s must ascend (${rates[i - 1]} then ${rates[i]})`,
      );
    }
  }
  return rates;
}

/**
 * Checks `--min-rate`, `--max-rate`, the resolution and the step length.
 *
 * @throws {UsageError} for a non-positive value, min >= max, or a step too short to hold a request.
 */
export function checkSearch(
  minRate: number,
  maxRate: number,
  resolution: number,
  stepSeconds: number,
): void {
  for (const [name, v] of [["--min-rate", minRate], ["--max-rate", maxRate]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new UsageError(`Cannot use ${name} ${v}: not a positive number`);
    }
  }
  if (minRate >= maxRate) {
    throw new UsageError(`Cannot search from --min-rate ${minRate} up to --max-rate ${maxRate}`);
  }
  if (!(resolution > 0)) throw new UsageError(`Cannot use resolution ${resolution}: not > 0`);
  if (minRate * stepSeconds < 1) {
    throw new UsageError(
      `Cannot run steps of ${stepSeconds} s at ${minRate}/s: a step would hold no request`,
    );
  }
}

/** Why `step` is clearly overloaded, or null. */
export function overloadReason(step: StepResult, limits: OverloadLimits): string | null {
  if (step.scheduleLagMs > limits.scheduleLagMs) {
    return `schedule lag P99 ${step.scheduleLagMs.toFixed(0)} ms > ${limits.scheduleLagMs} ms`;
  }
  if (step.requests > 0 && step.errorRate >= limits.errorRate) {
    return `error rate ${(100 * step.errorRate).toFixed(1)}% >= ${100 * limits.errorRate}%`;
  }
  if (step.achievedRate < limits.achievedShare * step.rate) {
    return `achieved ${step.achievedRate.toFixed(1)}/s < ${limits.achievedShare} x offered`;
  }
  return null;
}

/** How a step counts: an overloaded step is a conclusive fail; no requests is never a pass. */
export function countStep(step: StepResult, options: StepCounting = {}): StepRecord {
  const overloaded = step.cutShort ?? overloadReason(step, options.overload ?? DEFAULT_OVERLOAD);
  if (overloaded) return { ...step, overloaded, conclusive: true, counted: "fail" };
  const state = step.requests > 0 ? step.sla : "inconclusive";
  if (state !== "inconclusive") return { ...step, overloaded, conclusive: true, counted: state };
  const counted = options.inconclusive === "pass" ? "pass" : "fail";
  return { ...step, overloaded, conclusive: false, counted };
}

/** Capacity, lowest failure and monotonicity of counted steps. */
export function capacityOf(steps: StepRecord[], skipped: number[] = []): CapacityResult {
  const failed = steps.filter((s) => s.counted === "fail").map((s) => s.rate);
  const lowestFailed = failed.length > 0 ? Math.min(...failed) : null;
  const passed = steps.filter((s) => s.counted === "pass").map((s) => s.rate);
  const below = passed.filter((r) => lowestFailed === null || r < lowestFailed);
  const capacity = below.length > 0 ? Math.max(...below) : null;
  return {
    capacity,
    lowestFailed,
    resolution: capacity !== null && lowestFailed !== null ? lowestFailed - capacity : null,
    steps,
    skipped,
    nonMonotone: below.length < passed.length,
  };
}

/**
 * Runs every listed rate in order, stopping after a clearly overloaded step
 * (the rates above it are listed as skipped).
 */
export async function sweepRates(
  rates: readonly number[],
  probe: Probe,
  options: StepCounting = {},
): Promise<CapacityResult> {
  const overload = options.overload ?? DEFAULT_OVERLOAD;
  const steps: StepRecord[] = [];
  for (const [index, rate] of rates.entries()) {
    const step = countStep(await probe(rate, { index, overload }), options);
    steps.push(step);
    if (step.overloaded) return capacityOf(steps, rates.slice(index + 1));
  }
  return capacityOf(steps);
}

/** Options of {@linkcode searchCapacity}. */
export interface SearchOptions extends StepCounting {
  minRate: number;
  maxRate: number;
  /** Stop when the bracket [passed, failed) is this narrow, requests/s. */
  resolution: number;
  /** At most this many steps in all (default 20). */
  maxSteps?: number;
}

/**
 * Bisection for the highest rate at which the SLA holds: probe the minimum
 * (a fail ends the search: capacity below it), then the maximum (a pass ends
 * it: capacity at least that), then the middle of the bracket until it is no
 * wider than `resolution` or `maxSteps` ran. Assumes a pass at a rate implies
 * a pass below it; `nonMonotone` says when the steps disagreed.
 */
export async function searchCapacity(
  probe: Probe,
  options: SearchOptions,
): Promise<CapacityResult> {
  const overload = options.overload ?? DEFAULT_OVERLOAD;
  const maxSteps = options.maxSteps ?? 20;
  const steps: StepRecord[] = [];
  const run = async (rate: number): Promise<StepRecord> => {
    const step = countStep(await probe(rate, { index: steps.length, overload }), options);
    steps.push(step);
    return step;
  };
  if ((await run(options.minRate)).counted === "fail") return capacityOf(steps);
  if ((await run(options.maxRate)).counted === "pass") return capacityOf(steps);
  let lo = options.minRate;
  let hi = options.maxRate;
  while (hi - lo > options.resolution && steps.length < maxSteps) {
    const mid = Math.round(((lo + hi) / 2) * 1000) / 1000;
    if ((await run(mid)).counted === "pass") lo = mid;
    else hi = mid;
  }
  return capacityOf(steps);
}

/** The knee of the latency-throughput curve, or why there is none. */
export interface Knee {
  /** Offered rate of the knee step; null when the curve has no knee in the rates tried. */
  rate: number | null;
  /** The latency metric it is computed on: `p95` (E2E), `ttft_p95`, ... */
  metric: string;
  /** The elasticity d ln(latency) / d ln(throughput) of each segment between consecutive steps. */
  elasticities: number[];
}

/** A latency metric a knee can be computed on: E2E percentiles and means, TTFT, TPOT, ITL, ... */
const KNEE_METRIC =
  /^((ok_)?p\d+(\.\d+)?|mean|((sched_)?ttft|tpot|itl|e2el?|sched)_(p\d+(\.\d+)?|mean))$/;

/** The knee's metric: the first latency the SLA names (`ttft_p95<=200`: TTFT P95), else E2E P95. */
export function kneeMetric(slaMetrics: readonly string[]): string {
  return slaMetrics.find((m) => KNEE_METRIC.test(m)) ?? "p95";
}

/** A step's value of `metric`: from its summary, else its E2E percentiles; NaN when missing. */
export function stepMetric(step: StepResult, metric: string): number {
  const own = step.metrics?.[metric];
  if (own !== undefined) return own;
  const e2e: Record<string, number> = { p50: step.p50Ms, p95: step.p95Ms, p99: step.p99Ms };
  return e2e[metric] ?? NaN;
}

/**
 * The knee: the last step before latency first rises faster than throughput.
 * Steps are taken by ascending offered rate; segment i joins step i-1 and
 * step i, with elasticity e_i = ln(L_i / L_{i-1}) / ln(X_i / X_{i-1}) (L the
 * latency metric, by default E2E P95; X the achieved throughput; Infinity
 * when X did not grow but L did). The knee is step i-1 of the first segment
 * with e_i > 1.
 */
export function findKnee(steps: readonly StepResult[], metric = "p95"): Knee {
  const sorted = [...steps].sort((a, b) => a.rate - b.rate);
  const elasticities: number[] = [];
  let rate: number | null = null;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const dl = Math.log(stepMetric(b, metric) / stepMetric(a, metric));
    const dx = Math.log(b.achievedRate / a.achievedRate);
    const e = dx > 0 ? dl / dx : dl > 0 ? Infinity : 0;
    elasticities.push(e);
    if (rate === null && e > 1) rate = a.rate;
  }
  return { rate, metric, elasticities };
}

/** The gate on capacity: its state and one line saying why. */
export interface CapacityGate {
  state: StepState;
  reason: string;
}

/**
 * `--min-capacity R`: pass when a step at a rate >= R passed conclusively,
 * fail when a step at a rate <= R failed conclusively (overload included),
 * inconclusive when neither or both (a non-monotone curve), or when R lies
 * inside the search's bracket.
 */
export function capacityGate(result: CapacityResult, minCapacity: number): CapacityGate {
  const conclusive = result.steps.filter((s) => s.conclusive);
  const passAt = conclusive.filter((s) => s.counted === "pass" && s.rate >= minCapacity);
  const failAt = conclusive.filter((s) => s.counted === "fail" && s.rate <= minCapacity);
  if (passAt.length > 0 && failAt.length === 0) {
    const r = Math.min(...passAt.map((s) => s.rate));
    return { state: "pass", reason: `the SLA held at ${r}/s >= --min-capacity ${minCapacity}/s` };
  }
  if (failAt.length > 0 && passAt.length === 0) {
    const r = Math.min(...failAt.map((s) => s.rate));
    return { state: "fail", reason: `the SLA failed at ${r}/s <= --min-capacity ${minCapacity}/s` };
  }
  if (passAt.length > 0) {
    return { state: "inconclusive", reason: "steps on both sides of --min-capacity disagree" };
  }
  return {
    state: "inconclusive",
    reason: `no conclusive step settles --min-capacity ${minCapacity}/s ` +
      `(capacity ${result.capacity ?? "none"}, lowest failed ${result.lowestFailed ?? "none"})`,
  };
}

/** The exit code of a capacity gate under `--strict` / `--lenient` (as the verdict's). */
export function gateExitCode(state: StepState, policy: InconclusivePolicy): number {
  return exitCodeFor(state, policy);
}
