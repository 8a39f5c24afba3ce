/**
 * The open-loop pacer: requests go out on a schedule of arrival times (a fixed rate,
 * evenly spaced or Poisson), whether or not earlier ones have answered, as
 * users arrive at a real service. Each sample keeps both its scheduled time
 * and its actual send, so latency can be measured from when the request was
 * due (free of coordinated omission, as wrk2 does) as well as from its send.
 *
 * The schedule is a pure function of the rate, the arrival process and the
 * seed ({@linkcode arrivalSchedule}); the pacer is a pure function from the
 * elapsed time and the requests sent to the wait before the next
 * ({@linkcode pace}, as vegeta's pacer).
 *
 * @example
 * ```ts
 * arrivalSchedule({ rate: 4, arrival: "constant", seed: 0, requests: 3 }); // [0, 250, 500]
 * pace([0, 250, 500], 1, 100); // { waitMs: 150, stop: false }
 * ```
 *
 * @module
 */

import { mulberry32 } from "../stats/random.ts";
import { gammaAnyShape } from "../stats/variates.ts";
import type { Pacer, PaceResult } from "./pacer.ts";
import { abortableSleep } from "../base/abortable_sleep.ts";

/** How arrivals are spaced. */
export type Arrival = "constant" | "poisson";

/** The arrival processes, for validation and help text. */
export const ARRIVALS: readonly Arrival[] = ["constant", "poisson"];

/** Options of {@linkcode arrivalSchedule}. Give `requests`, `durationMs`, or both. */
export interface ScheduleOptions {
  /** Mean arrivals per second. */
  rate: number;
  arrival: Arrival;
  /** Seed of the Poisson process (unused for `constant`). */
  seed: number;
  /**
   * `poisson` only: gaps drawn from a gamma distribution of this shape and mean
   * 1000/rate ms (vLLM's `--burstiness`: 1 is Poisson, below 1 burstier, above
   * 1 more even); default 1.
   */
  burstiness?: number;
  /** At most this many arrivals. */
  requests?: number;
  /** Only arrivals before this time, ms. */
  durationMs?: number;
}

/** The most arrivals a schedule may hold, so that every run is bounded. */
export const MAX_SCHEDULED = 10_000_000;

/**
 * Scheduled send times, ms from the phase start, ascending; the first is 0.
 * `constant` spaces them 1000/rate ms apart; `poisson` draws exponential gaps
 * of mean 1000/rate ms from the seed, so the same seed gives the same schedule.
 */
export function arrivalSchedule(options: ScheduleOptions): Float64Array {
  const { rate } = options;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new RangeError(`Cannot schedule arrivals at rate "${rate}": not a positive number`);
  }
  const limit = Math.min(options.requests ?? MAX_SCHEDULED, MAX_SCHEDULED);
  const until = options.durationMs ?? Infinity;
  if (limit === MAX_SCHEDULED && until === Infinity) {
    throw new RangeError("Cannot schedule arrivals without a request count or a duration");
  }
  const mean = 1000 / rate;
  const times: number[] = [];
  if (options.arrival === "constant") {
    for (let i = 0; i < limit && i * mean < until; i++) times.push(i * mean);
  } else {
    const rand = mulberry32(options.seed);
    const k = options.burstiness ?? 1;
    // Gamma(k, theta = mean / k): vLLM's theta = 1 / (rate * burstiness), in ms.
    const gap = k === 1
      ? () => -Math.log(1 - rand()) * mean
      : () => gammaAnyShape(rand, k) * (mean / k);
    let t = 0;
    while (times.length < limit && t < until) {
      times.push(t);
      t += gap();
    }
  }
  return Float64Array.from(times);
}

/**
 * The pacer: how long to wait before sending request `sent` (0 when it is due
 * or late), or `stop` when the schedule is done.
 */
export function pace(
  schedule: ArrayLike<number>,
  sent: number,
  elapsedMs: number,
): { waitMs: number; stop: boolean } {
  if (sent >= schedule.length) return { waitMs: 0, stop: true };
  return { waitMs: Math.max(0, schedule[sent]! - elapsedMs), stop: false };
}

/** Options of {@linkcode openLoop}. */
export interface OpenLoopOptions {
  /** Send times, ms from the start; request i goes at `schedule[i]`. */
  schedule: ArrayLike<number>;
  /** At most this many requests in flight (a due request waits for a free slot); null for no cap. */
  maxInFlight: number | null;
  /** The id of request i (a shard's arrivals of a global schedule); default i. */
  ids?: ArrayLike<number>;
}

/** The open-loop pacer: each request at its scheduled time, whether or not earlier ones answered. */
export function openLoop(options: OpenLoopOptions): Pacer {
  return async (deps): Promise<PaceResult> => {
    const sleep = deps.sleep ?? abortableSleep;
    const cap = options.maxInFlight ?? Infinity;
    const { schedule } = options;
    const start = deps.now();
    const inFlight = new Set<Promise<void>>();
    let completed = 0;
    let capWaits = 0;
    let sent = 0;
    while (!deps.stop?.aborted) {
      const { waitMs, stop } = pace(schedule, sent, deps.now() - start);
      if (stop) break;
      if (waitMs > 0) {
        await sleep(waitMs, deps.stop);
        continue; // re-read the clock: timers fire late, never early by design
      }
      if (inFlight.size >= cap) {
        capWaits++;
        while (inFlight.size >= cap) await Promise.race(inFlight);
        if (deps.stop?.aborted) break;
      }
      const i = sent++;
      const scheduledMs = schedule[i]!;
      const id = options.ids === undefined ? i : options.ids[i]!;
      const done: Promise<void> = deps.engine.send(id, start).then((sample) => {
        sample.scheduledMs = scheduledMs;
        completed++;
        inFlight.delete(done);
        deps.onSample(sample);
      });
      inFlight.add(done);
    }
    await Promise.all(inFlight);
    return {
      completed,
      sent,
      capWaits,
      durationMs: deps.now() - start,
      interrupted: sent < schedule.length,
    };
  };
}
