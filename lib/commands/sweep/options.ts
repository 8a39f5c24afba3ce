/**
 * The options of `loadgate sweep`, as its flag parser (lib/commands/sweep/flags.ts)
 * builds them: the series of `run` phases its steps are (the shared `run`
 * flags parsed once, by `run`), what sweep.json and the gate read of those
 * flags, which steps, how long each, and the gate on capacity.
 *
 * @module
 */

import type { RunSeries } from "../run/command.ts";
import type { Threshold } from "../../verdict/threshold.ts";
import type { UncertaintyOptions } from "../../verdict/uncertainty.ts";

/** Which steps a sweep runs. */
export type SweepMode =
  /** Open loop at each listed rate, ascending. */
  | { kind: "rates"; rates: number[] }
  /** Open loop, bisection on the rate for the highest at which the SLA holds. */
  | { kind: "search"; minRate: number; maxRate: number; resolution: number }
  /** Closed loop at each listed concurrency, ascending. */
  | { kind: "concurrency"; levels: number[] };

/** Options of `sweepCommand` (lib/commands/sweep/command.ts). */
export interface SweepOptions {
  /** Runs a step: the `run` every step shares (URL, workload, engine, SLA, ...) at its load. */
  run: RunSeries;
  /** What sweep.json, the report and the gate read of the shared `run` flags. */
  shared: SweepShared;
  mode: SweepMode;
  /** Each step runs this long (s), or null when bounded by `stepRequests`. */
  stepDurationS: number | null;
  /** Each step sends this many measured requests, or null when bounded by time. */
  stepRequests: number | null;
  /** Pause between steps, ms. */
  coolDownMs: number;
  /** `--min-capacity`: gate on the capacity found (requests/s, or workers), or null. */
  minCapacity: number | null;
  /** The folder of sweep.json and the step folders. */
  outDir: string;
}

/** The shared `run` flags a sweep reads itself. */
export interface SweepShared {
  url: string;
  /** The SLA, parsed once by `run`'s parser. */
  thresholds: Threshold[];
  uncertainty?: UncertaintyOptions;
  /** Also write report.html. */
  html: boolean;
  /** Warm-up requests of each step. */
  warmup: number;
  seed: number;
  /** Workers of each step's warm-up (of each step, in an open-loop sweep). */
  concurrency: number;
  /** `--hlog`: the HdrHistogram interval log every step writes, when given. */
  hlog?: string;
  /** `--dataset`, read by every step, or null. */
  dataset: string | null;
}

/** The unit of a step's load: a rate, or a number of workers. */
export function unitOf(mode: SweepMode): string {
  return mode.kind === "concurrency" ? "workers" : "req/s";
}
