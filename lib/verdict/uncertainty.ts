/**
 * How sure a comparison is: the interval of each percentile of each phase,
 * the bootstrap interval of each difference, warnings where a phase has too
 * few requests for a percentile, and the three-state SLA verdict. Pure:
 * samples and thresholds in, a report out (its `json` goes into
 * comparison.json as `uncertainty`).
 *
 * @module
 */

import {
  bootstrapDifference,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_RESAMPLES,
  type DifferenceReport,
} from "../stats/bootstrap.ts";
import { type PercentileInterval, percentileInterval } from "../stats/intervals.ts";
import {
  decideIntervals,
  evaluateIntervals,
  formatConfidence,
  type IntervalEvidence,
  type IntervalThresholdResult,
  type IntervalVerdict,
  percentileOf,
} from "./interval_verdict.ts";
import type { Sample } from "../stats/sample.ts";
import { type PhaseSummary, sortedCopy } from "../stats/stats.ts";
import type { Threshold } from "./threshold.ts";
import type { Checks, InconclusivePolicy, VerdictBasis } from "./verdict.ts";

/** How the uncertainty is computed and whether it gates. */
export interface UncertaintyOptions {
  /** Confidence of every interval, 0..1. */
  confidence: number;
  /** `point`: the exit code follows the point estimates (the default); `interval`: the three-state verdict. */
  verdict: VerdictBasis;
  /** How an inconclusive interval verdict exits (`--strict`: fail, `--lenient`: pass). */
  inconclusive: InconclusivePolicy;
}

/** Defaults of {@linkcode UncertaintyOptions}. */
export const UNCERTAINTY_DEFAULTS: UncertaintyOptions = {
  confidence: 0.95,
  verdict: "point",
  inconclusive: "code",
};

/** Metrics that get an interval: the headline percentiles and the success-only ones. */
export const INTERVAL_METRICS = ["p50", "p95", "p99", "ok_p50", "ok_p95", "ok_p99"] as const;

/** Percentiles whose after-minus-before difference is bootstrapped. */
export const DIFFERENCE_PERCENTILES = [50, 95, 99] as const;

/** How the percentile intervals are made, as comparison.json states it. */
export const PERCENTILE_METHOD = "binomial order statistics (distribution-free): [x(l), x(u)] " +
  "with P(X <= l-1) <= alpha/2 and P(X >= u) <= alpha/2 for X ~ Binomial(n, p); " +
  "a null bound is unbounded";

/** A phase with too few requests for a percentile it reports. */
export interface SampleSizeWarning {
  phase: string;
  metric: string;
  requests: number;
  min_requests: number;
  message: string;
}

/** The intervals of one phase, and the sorted data behind them. */
export interface PhaseIntervals {
  intervals: Record<string, PercentileInterval>;
  evidence: Record<string, IntervalEvidence>;
}

/** Intervals of {@linkcode INTERVAL_METRICS} for one phase's samples. */
export function phaseIntervals(
  samples: readonly Pick<Sample, "latencyMs" | "ok">[] | LatencyColumns,
  confidence: number,
): PhaseIntervals {
  const { all, ok } = sortedLatencies(samples);
  const intervals: Record<string, PercentileInterval> = {};
  const evidence: Record<string, IntervalEvidence> = {};
  for (const metric of INTERVAL_METRICS) {
    const sorted = metric.startsWith("ok_") ? ok : all;
    const interval = percentileInterval(sorted, percentileOf(metric), confidence);
    intervals[metric] = interval;
    evidence[metric] = { interval, sorted };
  }
  return { intervals, evidence };
}

/**
 * Warnings for percentiles whose interval is unbounded on a side (P99 from
 * fewer than 367 requests at 95%). Success-only percentiles are named only
 * when some requests failed (otherwise they repeat the headline ones).
 */
export function sampleSizeWarnings(
  phase: string,
  intervals: Readonly<Record<string, PercentileInterval>>,
  failed: number,
): SampleSizeWarning[] {
  const warnings: SampleSizeWarning[] = [];
  for (const [metric, iv] of Object.entries(intervals)) {
    if (metric.startsWith("ok_") && failed === 0) continue;
    if (iv.n >= iv.min_requests) continue;
    const level = formatConfidence(iv.confidence);
    const what = iv.n === 0
      ? "has no requests"
      : `rests on ${iv.n} request${iv.n === 1 ? "" : "s"}: its ${level} interval is unbounded ${
        Number.isFinite(iv.lower) ? "above" : Number.isFinite(iv.upper) ? "below" : "on both sides"
      }`;
    warnings.push({
      phase,
      metric,
      requests: iv.n,
      min_requests: iv.min_requests,
      message:
        `${phase} ${metric} ${what} (a two-sided ${level} interval needs at least ${iv.min_requests} requests)`,
    });
  }
  return warnings;
}

/** The uncertainty of a comparison. */
export interface UncertaintyReport {
  /** What comparison.json holds under `uncertainty`. */
  json: {
    confidence: number;
    percentile_method: string;
    intervals: {
      baseline: Record<string, PercentileInterval>;
      optimized: Record<string, PercentileInterval>;
    };
    difference: DifferenceReport;
    warnings: SampleSizeWarning[];
  };
  /** Thresholds judged on each phase's intervals. */
  sla: { baseline: IntervalThresholdResult[]; optimized: IntervalThresholdResult[] };
  /** The three-state verdict on the optimized phase and the checks. */
  verdict: IntervalVerdict;
}

/** Options of {@linkcode assessComparison}. */
export interface AssessInput {
  samples: { baseline: readonly Sample[]; optimized: readonly Sample[] };
  summaries: { baseline: PhaseSummary; optimized: PhaseSummary };
  thresholds: readonly Threshold[];
  checks: Checks;
  options: UncertaintyOptions;
  /** Bootstrap resamples and seed (defaults 2000 and a fixed seed). */
  resamples?: number;
  seed?: number;
}

/** Intervals, differences, warnings and the three-state verdict of a comparison. */
export function assessComparison(input: AssessInput): UncertaintyReport {
  const { confidence } = input.options;
  const b = phaseIntervals(input.samples.baseline, confidence);
  const o = phaseIntervals(input.samples.optimized, confidence);
  const difference = bootstrapDifference(b.evidence.p50!.sorted, o.evidence.p50!.sorted, {
    percentiles: DIFFERENCE_PERCENTILES,
    confidence,
    resamples: input.resamples ?? DEFAULT_RESAMPLES,
    seed: input.seed ?? DEFAULT_BOOTSTRAP_SEED,
  });
  const sla = {
    baseline: evaluateIntervals(input.thresholds, input.summaries.baseline, b.evidence),
    optimized: evaluateIntervals(input.thresholds, input.summaries.optimized, o.evidence),
  };
  return {
    json: {
      confidence,
      percentile_method: PERCENTILE_METHOD,
      intervals: { baseline: b.intervals, optimized: o.intervals },
      difference,
      warnings: [
        ...sampleSizeWarnings("baseline", b.intervals, input.summaries.baseline.failed),
        ...sampleSizeWarnings("optimized", o.intervals, input.summaries.optimized.failed),
      ],
    },
    sla,
    verdict: decideIntervals(
      sla.optimized,
      input.checks,
      input.options.inconclusive,
      confidence,
      input.summaries.optimized,
    ),
  };
}

/** The uncertainty of one phase (for `run`). */
export interface PhaseUncertaintyReport {
  json: {
    confidence: number;
    percentile_method: string;
    intervals: Record<string, PercentileInterval>;
    warnings: SampleSizeWarning[];
  };
  sla: IntervalThresholdResult[];
  verdict: IntervalVerdict;
}

/** A phase's latencies in ms, ascending, all and successes only (a sample store's `sortedMs()`). */
export interface LatencyColumns {
  all: ArrayLike<number>;
  ok: ArrayLike<number>;
}

function sortedLatencies(
  samples: readonly Pick<Sample, "latencyMs" | "ok">[] | LatencyColumns,
): { all: ArrayLike<number>; ok: ArrayLike<number> } {
  if (!Array.isArray(samples)) return samples as LatencyColumns;
  const list = samples as readonly Pick<Sample, "latencyMs" | "ok">[];
  return {
    all: sortedCopy(list.map((s) => s.latencyMs)),
    ok: sortedCopy(list.filter((s) => s.ok).map((s) => s.latencyMs)),
  };
}

/** Intervals, warnings and the three-state verdict of a single phase. */
export function assessPhase(input: {
  phase: string;
  samples: readonly Pick<Sample, "latencyMs" | "ok">[] | LatencyColumns;
  summary: PhaseSummary;
  thresholds: readonly Threshold[];
  options: UncertaintyOptions;
}): PhaseUncertaintyReport {
  const { confidence } = input.options;
  const p = phaseIntervals(input.samples, confidence);
  const sla = evaluateIntervals(input.thresholds, input.summary, p.evidence);
  return {
    json: {
      confidence,
      percentile_method: PERCENTILE_METHOD,
      intervals: p.intervals,
      warnings: sampleSizeWarnings(input.phase, p.intervals, input.summary.failed),
    },
    sla,
    verdict: decideIntervals(sla, {}, input.options.inconclusive, confidence, input.summary),
  };
}
