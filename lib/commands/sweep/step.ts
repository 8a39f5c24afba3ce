/**
 * One step of a sweep: a full `run` phase (warm-up, log, summary JSON, judged
 * on the sweep's SLA) at one load, under its own folder, cut short when it is
 * clearly overloaded while it runs; and what the capacity search reads of it.
 *
 * @module
 */

import { percentile, sortedCopy } from "../../stats/stats.ts";
import type { Sample } from "../../stats/sample.ts";
import type { OverloadLimits, StepResult } from "./capacity.ts";
import type { RunSeries, RunStep } from "../run/command.ts";
import type { Judgement } from "../../verdict/judge.ts";

/** What every step of a sweep shares: its runs, their folder, length and warm-up workers. */
export interface StepSeries {
  run: RunSeries;
  /** Closed-loop steps (the load is workers), else open-loop (the load is a rate). */
  closed: boolean;
  /** The sweep's folder; each step writes into its own folder under it. */
  outDir: string;
  /** Measured requests of each step, or null when bounded by `durationMs`. */
  requests: number | null;
  durationMs: number | null;
  /** Workers of each open-loop step's warm-up. */
  concurrency: number;
}

/** A step as it ran: the capacity search's view of it, plus where its files are. */
export interface StepRun extends StepResult {
  /** Folder under the sweep's: `step-01-20`. */
  dir: string;
  /** The step verdict's reasons. */
  reasons: string[];
}

/** Requests seen before an error rate can cut a step short. */
const MIN_FOR_ERROR_CUT = 20;

/** The step folder's name: `step-01-20`, `step-05-27.5`. */
export function stepDir(index: number, load: number): string {
  return `step-${String(index + 1).padStart(2, "0")}-${Math.round(load * 1000) / 1000}`;
}

/** What step `index` at `load` (a rate, or workers in a closed-loop sweep) sets of its run. */
export function stepOf(series: StepSeries, index: number, load: number): RunStep {
  const dir = stepDir(index, load);
  return {
    phase: dir,
    outDir: `${series.outDir}/${dir}`,
    rate: series.closed ? null : load,
    concurrency: series.closed ? load : series.concurrency,
    requests: series.requests,
    durationMs: series.durationMs,
  };
}

/** Runs step `index` at `load`; `interrupted` when `stop` (not an overload) ended it. */
export async function runStep(input: {
  series: StepSeries;
  index: number;
  load: number;
  overload: OverloadLimits;
  stop: AbortSignal;
  err: (line: string) => void;
}): Promise<{ step: StepRun; interrupted: boolean }> {
  const step = stepOf(input.series, input.index, input.load);
  await Deno.mkdir(step.outDir, { recursive: true });
  const watch = overloadWatch(input.overload, input.stop);
  try {
    const report = await input.series.run(step, {
      out: () => {},
      err: () => {},
      stop: watch.signal,
      onSample: watch.see,
    });
    const s = report.summary;
    const finite = (v: number) => (Number.isFinite(v) ? v : NaN);
    const run: StepRun = {
      rate: input.load,
      achievedRate: s.requests > 0 && Number.isFinite(s.throughput) ? s.throughput : 0,
      requests: s.requests,
      p50Ms: finite(s.p50),
      p95Ms: finite(s.p95),
      p99Ms: finite(s.p99),
      errorRate: s.error_rate,
      scheduleLagMs: lagP99(report.outcome.samples),
      sla: report.judged.verdict.state,
      cutShort: watch.reason(),
      dir: step.phase,
      reasons: report.judged.verdict.reasons,
      metrics: numericFields(s),
      missed: missedThresholds(report.judged),
    };
    return { step: run, interrupted: input.stop.aborted };
  } finally {
    watch.dispose();
  }
}

/** The numeric fields of a step's summary (what a threshold or the knee may name). */
function numericFields(summary: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(summary)) if (typeof v === "number") out[k] = v;
  return out;
}

/**
 * The thresholds a step missed, each as written with what was measured
 * (`ttft_p95<=150 (measured 182.3)`); when none missed but the step failed
 * (every request failed, an interval verdict), the verdict's reasons.
 */
export function missedThresholds(judged: Pick<Judgement, "results" | "verdict">): string[] {
  const missed = judged.results.filter((r) => !r.pass).map((r) =>
    `${r.expr} (${r.actual === null ? "no data" : `measured ${Number(r.actual.toPrecision(4))}`})`
  );
  return missed.length > 0 || judged.verdict.state === "pass" ? missed : judged.verdict.reasons;
}

/** P99 of how late each measured request went out against its schedule (0 without one). */
function lagP99(samples: readonly Sample[]): number {
  const lags = samples.filter((s) => !s.warmup && s.scheduledMs !== undefined)
    .map((s) => Math.max(0, s.sentMs - s.scheduledMs!));
  return lags.length === 0 ? 0 : percentile(sortedCopy(lags), 99);
}

/**
 * Watches a step's samples for clear overload (a request sent later than the
 * lag limit, or the error limit reached over enough requests) and then stops
 * the step; also stops it when the sweep's own `stop` fires.
 */
function overloadWatch(limits: OverloadLimits, stop: AbortSignal): {
  signal: AbortSignal;
  see: (s: Sample) => void;
  reason: () => string | null;
  dispose: () => void;
} {
  const controller = new AbortController();
  const onStop = () => controller.abort();
  if (stop.aborted) controller.abort();
  else stop.addEventListener("abort", onStop, { once: true });
  let cut: string | null = null;
  let seen = 0;
  let failed = 0;
  return {
    signal: controller.signal,
    see: (s) => {
      seen++;
      if (!s.ok) failed++;
      if (cut !== null) return;
      const lag = s.scheduledMs === undefined ? 0 : s.sentMs - s.scheduledMs;
      if (lag > limits.scheduleLagMs) {
        cut = `a request went out ${lag.toFixed(0)} ms late (> ${limits.scheduleLagMs} ms)`;
      } else if (seen >= MIN_FOR_ERROR_CUT && failed / seen >= limits.errorRate) {
        cut = `${failed} of the first ${seen} requests failed`;
      }
      if (cut !== null) controller.abort();
    },
    reason: () => cut,
    dispose: () => stop.removeEventListener("abort", onStop),
  };
}
