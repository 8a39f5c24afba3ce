/**
 * Stages of an open-loop phase, as k6's ramping-arrival-rate has them:
 * `--stages '10s:5,30s:20,10s:0'` ramps the arrival rate linearly from the
 * start rate (0 unless given) to 5/s over 10 s, from 5/s to 20/s over 30 s,
 * then down to 0 over 10 s. A constant stage repeats the previous target
 * (`10s:5,60s:5`).
 *
 * The schedule is the exact integral of that piecewise-linear rate r(t):
 * with N(t) = ∫₀ᵗ r, arrival i (i >= 1) is due at the first t with N(t) = i,
 * and arrival 0 where the rate first turns positive, so a constant rate r
 * gives 0, 1/r, 2/r, ... like `arrivalSchedule`. Arrivals at or after the end
 * are dropped. Pure.
 *
 * @example
 * ```ts
 * // 0 -> 4/s over 1 s (N = 2t²), then 4/s for 1 s
 * stageSchedule(parseStages("1s:4,1s:4")).timesMs; // [0, 707.1, 1000, 1250, 1500, 1750]
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** One stage: ramp to `target` arrivals/s over `durationMs`. */
export interface Stage {
  durationMs: number;
  /** Arrivals per second reached at the stage's end. */
  target: number;
}

/** Arrival times of a staged phase and the stage each falls in. */
export interface StageSchedule {
  /** Due times, ms from the phase start, ascending. */
  timesMs: Float64Array;
  /** Index into the stages of each arrival (the later stage at a boundary). */
  stageOf: Uint32Array;
}

/** The most arrivals stages may schedule, so that every run is bounded. */
export const MAX_STAGED_ARRIVALS = 10_000_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `1h`, `30s`, `1m30s`, `250ms` to ms; null when malformed or not positive. */
export function parseDurationMs(text: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  return text.length > 0 && total > 0 ? total : null;
}

/**
 * Parses `--stages`: comma-separated `duration:rate` pairs.
 *
 * @throws {UsageError} one line naming the bad stage, or a plan that holds no
 *   request or more than {@linkcode MAX_STAGED_ARRIVALS}.
 */
export function parseStages(text: string, startRate = 0): Stage[] {
  const parts = text.split(",").map((s) => s.trim());
  if (text.trim() === "") throw new UsageError('Cannot parse --stages "": no stage given');
  const stages = parts.map((part, i): Stage => {
    const [dur, rate, extra] = part.split(":");
    const durationMs = parseDurationMs(dur ?? "");
    const target = Number(rate);
    if (durationMs === null || rate === undefined || rate.trim() === "" || extra !== undefined) {
      throw new UsageError(
        `Cannot parse --stages stage ${i + 1} "${part}": expected duration:rate, e.g. 30s:20`,
      );
    }
    if (!(target >= 0) || !Number.isFinite(target)) {
      throw new UsageError(
        `Cannot parse --stages stage ${i + 1} "${part}": rate "${rate}" is not a number >= 0`,
      );
    }
    return { durationMs, target };
  });
  const total = expectedArrivals(stages, startRate);
  if (total < 1) {
    throw new UsageError(`Cannot run --stages "${text}": it schedules no request (rates all 0?)`);
  }
  if (total > MAX_STAGED_ARRIVALS) {
    throw new UsageError(
      `Cannot run --stages "${text}": ${Math.round(total)} requests exceed ${MAX_STAGED_ARRIVALS}`,
    );
  }
  return stages;
}

/** ∫ r over all stages: the expected number of arrivals. */
export function expectedArrivals(stages: readonly Stage[], startRate = 0): number {
  let from = startRate;
  let n = 0;
  for (const s of stages) {
    n += ((from + s.target) / 2) * (s.durationMs / 1000);
    from = s.target;
  }
  return n;
}

/** The time τ (s) into a segment starting at rate a with slope 2s where ∫₀^τ r = delta. */
function solveRamp(a: number, s: number, delta: number): number {
  if (delta <= 0) return 0;
  // τ = (-a + √(a² + 4sΔ)) / 2s, written to stay exact when s is 0 and stable when s < 0.
  return (2 * delta) / (a + Math.sqrt(Math.max(0, a * a + 4 * s * delta)));
}

/** The arrival schedule of `stages` (see the module doc for its definition). */
export function stageSchedule(stages: readonly Stage[], startRate = 0): StageSchedule {
  const times: number[] = [];
  const stageOf: number[] = [];
  let from = startRate;
  let startMs = 0;
  let n0 = 0;
  let next = 0;
  for (const [j, stage] of stages.entries()) {
    const d = stage.durationMs / 1000;
    const a = from;
    const s = (stage.target - a) / (2 * d);
    const integral = ((a + stage.target) / 2) * d;
    while (next < n0 + integral && times.length < MAX_STAGED_ARRIVALS) {
      const tau = solveRamp(a, s, next - n0);
      if (tau >= d) break;
      times.push(startMs + tau * 1000);
      stageOf.push(j);
      next++;
    }
    n0 += integral;
    startMs += stage.durationMs;
    from = stage.target;
  }
  return { timesMs: Float64Array.from(times), stageOf: Uint32Array.from(stageOf) };
}
