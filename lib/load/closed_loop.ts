/**
 * The closed-loop pacer: C workers share N requests; each worker sends its
 * next request as soon as its previous one completes, until N are sent or
 * the duration has passed, whichever comes first.
 *
 * @example
 * ```ts
 * const result = await closedLoop({ requests: 100, concurrency: 4, durationMs: null })(
 *   { engine, now: () => performance.now(), onSample: (s) => log.write(s) },
 * );
 * ```
 *
 * @module
 */

import type { Pacer, PaceResult } from "./pacer.ts";

/** Options of {@linkcode closedLoop}. */
export interface ClosedLoopOptions {
  /** Requests in all (the bound when `durationMs` is also set). */
  requests: number;
  /** Concurrent workers. */
  concurrency: number;
  /** Start no request after this many ms; null for no time bound. */
  durationMs: number | null;
  /** Id of the first request (a shard's part of a global run); default 0. */
  firstId?: number;
}

/** The closed-loop pacer for `options`. */
export function closedLoop(options: ClosedLoopOptions): Pacer {
  return async (deps): Promise<PaceResult> => {
    const start = deps.now();
    const until = options.durationMs === null ? Infinity : start + options.durationMs;
    const firstId = options.firstId ?? 0;
    let next = 0;
    let completed = 0;
    // A flag the abort sets, not the signal's `aborted` getter read a request.
    let stopped = deps.stop?.aborted === true;
    const onStop = () => (stopped = true);
    deps.stop?.addEventListener("abort", onStop, { once: true });
    const worker = async () => {
      while (next < options.requests && !stopped && (until === Infinity || deps.now() < until)) {
        const id = firstId + next++;
        deps.onSample(await deps.engine.send(id, start));
        completed++;
      }
    };
    const workers = Math.min(options.concurrency, options.requests);
    try {
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      deps.stop?.removeEventListener("abort", onStop);
    }
    return {
      sent: next,
      completed,
      capWaits: 0,
      durationMs: deps.now() - start,
      interrupted: completed < options.requests && stopped,
    };
  };
}
