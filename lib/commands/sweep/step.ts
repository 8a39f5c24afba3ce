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
import { runAndJudge } from "../run/command.ts";
import { DURATION_REQUEST_CAP, type RunCommandOptions } from "../run/options.ts";
import type { SweepOptions } from "./options.ts";
import type { Judgement } from "../../verdict/judge.ts";

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

/** The options of step `index` at `load` (a rate, or workers in a closed-loop sweep). */
export function stepOptions(sweep: SweepOptions, index: number, load: number): RunCommandOptions {
  const dir = stepDir(index, load);
  const closed = sweep.mode.kind === "concurrency";
  return {
    ...sweep.base,
    phase: dir,
    outDir: `${sweep.outDir}/${dir}`,
    html: false,
    quiet: true,
    rate: closed ? null : load,
    concurrency: closed ? load : sweep.base.concurrency,
    requests: sweep.stepRequests ?? DURATION_REQUEST_CAP,
    durationMs: sweep.stepDurationS === null ? null : sweep.stepDurationS * 1000,
  };
}

/** Runs step `index` at `load`; `interrupted` when `stop` (not an overload) ended it. */
export async function runStep(input: {
  sweep: SweepOptions;
  index: number;
  load: number;
  overload: OverloadLimits;
  stop: AbortSignal;
  err: (line: string) => void;
}): Promise<{ step: StepRun; interrupted: boolean }> {
  const options = stepOptions(input.sweep, input.index, input.load);
  await Deno.mkdir(options.outDir, { recursive: true });
  const watch = overloadWatch(input.overload, input.stop);
  try {
    const report = await runAndJudge(options, {
      out: () => {},
      err: () => {},
      stop: watch.signal,
      onSample: watch.see,
    });
    const s = report.summary;
    const finite = (v: number) => (Number.isFinite(v) ? v : NaN);
    const step: StepRun = {
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
      dir: options.phase,
      reasons: report.judged.verdict.reasons,
      metrics: numericFields(s),
      missed: missedThresholds(report.judged),
    };
    return { step, interrupted: input.stop.aborted };
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
