/**
 * `sweep`'s series of steps: the probe that runs each step as a `run` phase
 * (after the cool-down), the listed loads or the search over them, and a stop
 * in the middle (the finished steps are kept and counted).
 *
 * @module
 */

import type { CiTargets } from "../shared/ci_outputs.ts";
import {
  capacityOf,
  type CapacityResult,
  countStep,
  DEFAULT_OVERLOAD,
  type OverloadLimits,
  type Probe,
  searchCapacity,
  sweepRates,
} from "./capacity.ts";
import type { InconclusivePolicy } from "../../verdict/verdict.ts";
import { abortableSleep } from "../../base/abortable_sleep.ts";
import type { CommandIo } from "../shared/context.ts";
import { stepLine } from "./text.ts";
import { stepJsonOf } from "./json.ts";
import { type SweepOptions, unitOf } from "./options.ts";
import { runStep, type StepRun, type StepSeries } from "./step.ts";

/** Where a sweep writes and what may stop it. */
export interface SweepIo extends CommandIo {
  /** JUnit, Prometheus, JSON on stdout, the job summary (none by default). */
  ci?: CiTargets;
}

/** The steps a sweep ran, what they found, and where it was stopped (or null). */
export interface SweepSteps {
  runs: StepRun[];
  result: CapacityResult;
  stopped: { step: number; load: number } | null;
  overload: OverloadLimits;
}

/** Thrown by the probe when the sweep is stopped in a step. */
class SweepStopped extends Error {
  constructor(readonly step: number, readonly load: number) {
    super(`stopped in step ${step}`);
  }
}

/** Runs the sweep's steps, printing a line after each; a stop keeps the finished ones. */
export async function runSweepSteps(o: SweepOptions, io: SweepIo): Promise<SweepSteps> {
  const overload = overloadOf(o);
  const unit = unitOf(o.mode);
  const series = stepSeriesOf(o);
  const runs: StepRun[] = [];
  const probe: Probe = async (load, { index }) => {
    if (index > 0 && o.coolDownMs > 0) await abortableSleep(o.coolDownMs, io.stop);
    if (io.stop.aborted) throw new SweepStopped(index + 1, load);
    const { step, interrupted } = await runStep({ series, index, load, overload, ...io });
    if (interrupted) throw new SweepStopped(index + 1, load);
    runs.push(step);
    const counted = countStep(step, sweepCounting(o, overload));
    io.out(stepLine(stepJsonOf(counted, step, index + 1), unit));
    return step;
  };
  try {
    return { runs, result: await runSteps(o, probe, overload), stopped: null, overload };
  } catch (err) {
    if (!(err instanceof SweepStopped)) throw err;
    const result = capacityOf(runs.map((r) => countStep(r, sweepCounting(o, overload))));
    return { runs, result, stopped: { step: err.step, load: err.load }, overload };
  }
}

type SweepCounting = { overload: OverloadLimits; inconclusive: InconclusivePolicy };

/** The listed steps, or the search. */
function runSteps(
  o: SweepOptions,
  probe: Probe,
  overload: OverloadLimits,
): Promise<CapacityResult> {
  const counting = sweepCounting(o, overload);
  switch (o.mode.kind) {
    case "rates":
      return sweepRates(o.mode.rates, probe, counting);
    case "concurrency":
      return sweepRates(o.mode.levels, probe, counting);
    case "search":
      return searchCapacity(probe, { ...counting, ...o.mode });
  }
}

function sweepCounting(o: SweepOptions, overload: OverloadLimits): SweepCounting {
  return { overload, inconclusive: o.shared.uncertainty?.inconclusive ?? "code" };
}

/** What every step shares. */
function stepSeriesOf(o: SweepOptions): StepSeries {
  return {
    run: o.run,
    closed: o.mode.kind === "concurrency",
    outDir: o.outDir,
    requests: o.stepRequests,
    durationMs: o.stepDurationS === null ? null : o.stepDurationS * 1000,
    concurrency: o.shared.concurrency,
  };
}

/** A closed loop has no schedule to fall behind and no offered rate to miss. */
function overloadOf(o: SweepOptions): OverloadLimits {
  return o.mode.kind === "concurrency"
    ? { scheduleLagMs: Infinity, errorRate: DEFAULT_OVERLOAD.errorRate, achievedShare: 0 }
    : DEFAULT_OVERLOAD;
}
