/**
 * The options of `loadgate sweep`, as its flag parser (lib/commands/sweep/flags.ts)
 * builds them: what every step shares (a `run`'s options), which steps, how
 * long each, and the gate on capacity.
 *
 * @module
 */

import type { RunCommandOptions } from "../run/options.ts";

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
  /** What every step shares: URL, workload, engine, SLA (parsed once), warm-up, ... */
  base: RunCommandOptions;
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

/** The unit of a step's load: a rate, or a number of workers. */
export function unitOf(mode: SweepMode): string {
  return mode.kind === "concurrency" ? "workers" : "req/s";
}
