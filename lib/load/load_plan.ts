/**
 * The load plan: how hard, and how, a phase loads the target. A tagged union
 * on `kind`; each kind holds exactly the
 * fields it uses, and {@linkcode pacerOf} turns a plan into its pacer.
 *
 * @example
 * ```ts
 * const plan: LoadPlan = {
 *   kind: "closed", requests: 200, concurrency: 8, durationMs: null, warmup: 0,
 * };
 * plannedRequests(plan); // 200
 * ```
 *
 * @module
 */

import { closedLoop } from "./closed_loop.ts";
import { type Arrival, arrivalSchedule, openLoop } from "./open_loop.ts";
import type { Pacer } from "./pacer.ts";
import { sessionLoop, type SessionShape } from "./session_loop.ts";
import { closedLoopShare, openLoopShare, type Shard, splitCount } from "./shard.ts";
import { type Stage, stageSchedule } from "./stages.ts";

/** What every plan holds. */
interface PlanCommon {
  /** Requests (closed loop) or arrivals (open loop); the bound when `durationMs` is set too. */
  requests: number;
  /** Start no request after this many ms; null for no time bound. */
  durationMs: number | null;
  /** Warm-up requests sent in a closed loop before the measured ones (logged, not measured). */
  warmup: number;
  /**
   * This process runs one shard of the plan (`run --shard`): the plan stays the
   * whole run's, the pacer sends the shard's share with global request ids.
   */
  shard?: Shard;
}

/** C workers; each sends when its last request completes. */
export interface ClosedPlan extends PlanCommon {
  kind: "closed";
  /** Workers (the warm-up's too). */
  concurrency: number;
}

/** Requests sent on a seeded schedule, whether or not earlier ones answered. */
export interface OpenPlan extends PlanCommon {
  kind: "open";
  /** Arrivals per second. */
  rate: number;
  arrival: Arrival;
  /** Seed of a Poisson schedule. */
  seed: number;
  /** Poisson: the gamma shape of the gaps (`--burstiness`; 1, Poisson, when absent). */
  burstiness?: number;
  /** Cap on requests in flight; null for none. */
  maxInFlight: number | null;
  /** Warm-up workers (and the least connections kept when there is no cap). */
  warmupConcurrency: number;
  /**
   * A trace's own clock (`--trace`): send times, ms from the start, ascending;
   * replaces the schedule of `rate` and `arrival` (then `rate` is the trace's mean).
   */
  traceSchedule?: Float64Array;
}

/** An open loop whose rate ramps through stages (`--stages`); each sample carries its stage. */
export interface StagesPlan extends PlanCommon {
  kind: "stages";
  stages: Stage[];
  /** Cap on requests in flight; null for none. */
  maxInFlight: number | null;
  /** Warm-up workers (and the least connections kept when there is no cap). */
  warmupConcurrency: number;
}

/** Multi-turn sessions, closed (`concurrency` at once) or arriving open (`rate` per second). */
export interface SessionsPlan extends PlanCommon {
  kind: "sessions";
  sessions: readonly SessionShape[];
  /** Closed: sessions at once; null when they arrive at `rate`. */
  concurrency: number | null;
  /** Open: sessions per second (evenly spaced, or Poisson from `seed`); null when closed. */
  rate: number | null;
  arrival: Arrival;
  seed: number;
  /** Writes request `id`'s body just before it is sent (the history so far). */
  beforeSend?: (id: number) => void;
}

/** How a phase loads the target. */
export type LoadPlan = ClosedPlan | OpenPlan | StagesPlan | SessionsPlan;

/** The open loop's schedule of a plan (ms from the measured start). */
export function scheduleOf(plan: OpenPlan): Float64Array {
  if (plan.traceSchedule) return plan.traceSchedule;
  return arrivalSchedule({
    rate: plan.rate,
    arrival: plan.arrival,
    seed: plan.seed,
    ...(plan.burstiness === undefined ? {} : { burstiness: plan.burstiness }),
    requests: plan.requests,
    ...(plan.durationMs === null ? {} : { durationMs: plan.durationMs }),
  });
}

/** Measured requests the plan sends at most (over all shards: the whole run). */
export function plannedRequests(plan: LoadPlan): number {
  if (plan.kind === "sessions") return plan.sessions.reduce((n, s) => n + s.turns, 0);
  if (plan.kind === "stages") {
    return Math.min(plan.requests, stageSchedule(plan.stages).timesMs.length);
  }
  return plan.kind === "open" ? scheduleOf(plan).length : plan.requests;
}

/** Measured requests this process sends at most: the plan's, or its shard's share. */
export function ownRequests(plan: LoadPlan): number {
  const total = plannedRequests(plan);
  return plan.shard ? splitCount(total, plan.shard.count, plan.shard.index) : total;
}

/** Closed-loop workers of the warm-up. */
export function warmupConcurrency(plan: LoadPlan): number {
  if (plan.kind === "sessions") return plan.concurrency ?? 1;
  return plan.kind === "closed" ? plan.concurrency : plan.warmupConcurrency;
}

/** Connections the engine keeps for reuse: the most requests the plan has in flight. */
export function poolSizeOf(plan: LoadPlan): number {
  if (plan.kind === "closed") return closedShare(plan).concurrency;
  if (plan.kind === "sessions") return plan.concurrency ?? 64;
  return plan.maxInFlight ?? Math.max(plan.warmupConcurrency, 64);
}

/** The pacer of the plan's measured requests (of its shard's share when it has one). */
export function pacerOf(plan: LoadPlan): Pacer {
  switch (plan.kind) {
    case "closed":
      return closedLoop({ ...closedShare(plan), durationMs: plan.durationMs });
    case "open": {
      const schedule = scheduleOf(plan);
      if (!plan.shard) return openLoop({ schedule, maxInFlight: plan.maxInFlight });
      const share = openLoopShare(schedule, plan.shard);
      return openLoop({ schedule: share.times, ids: share.ids, maxInFlight: plan.maxInFlight });
    }
    case "stages":
      return stagedLoop(plan);
    case "sessions":
      return sessionLoop({
        sessions: plan.sessions,
        concurrency: plan.rate === null ? plan.concurrency : null,
        schedule: plan.rate === null ? null : arrivalSchedule({
          rate: plan.rate,
          arrival: plan.arrival,
          seed: plan.seed,
          requests: plan.sessions.length,
        }),
        ...(plan.beforeSend ? { beforeSend: plan.beforeSend } : {}),
      });
  }
}

/** A closed plan's requests, workers and first id in this process. */
function closedShare(plan: ClosedPlan): { requests: number; concurrency: number; firstId: number } {
  const { requests, concurrency } = plan;
  return plan.shard
    ? closedLoopShare({ requests, concurrency }, plan.shard)
    : { requests, concurrency, firstId: 0 };
}

/** The open loop on the stages' schedule; each sample is tagged with its stage. */
function stagedLoop(plan: StagesPlan): Pacer {
  const { timesMs, stageOf } = stageSchedule(plan.stages);
  const n = Math.min(plan.requests, timesMs.length);
  const loop = openLoop({ schedule: timesMs.subarray(0, n), maxInFlight: plan.maxInFlight });
  return (deps) =>
    loop({
      ...deps,
      onSample: (s) => {
        s.stage = stageOf[s.requestId]!;
        deps.onSample(s);
      },
    });
}
