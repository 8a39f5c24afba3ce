/**
 * What a pacer is: it decides when each request of a phase is sent (a closed
 * loop of C workers, an open loop on a schedule), sends it through the
 * engine's `send`, and hands each sample on the moment it completes. The
 * phase runner (`phase_runner.ts`) picks the pacer for a load plan.
 *
 * @module
 */

import type { Sample } from "../stats/sample.ts";
import type { Engine } from "./engine.ts";

/** What a pacer drives, injected so tests control the clock and the engine. */
export interface PaceDeps {
  /** Sends and measures one request. */
  engine: Pick<Engine, "send">;
  /** Monotonic clock in ms (the engine's). */
  now: () => number;
  /** Receives each sample as it completes. */
  onSample: (sample: Sample) => void;
  /** When aborted, no new request starts; those in flight finish. */
  stop?: AbortSignal;
  /** Waits `ms` (resolving early when `signal` aborts); a timer unless injected. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** How a paced run went. */
export interface PaceResult {
  /** Requests sent. */
  sent: number;
  /** Requests completed (samples emitted). */
  completed: number;
  /** Open loop: requests that found the in-flight cap full when due and waited; else 0. */
  capWaits: number;
  /** Wall time, ms. */
  durationMs: number;
  /** True when `stop` ended the run before every planned request was sent. */
  interrupted: boolean;
}

/** Sends a phase's requests on its own terms; never throws for a failed request. */
export type Pacer = (deps: PaceDeps) => Promise<PaceResult>;
