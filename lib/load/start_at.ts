/**
 * One coordinated start: `--start-at TIME` (RFC 3339 or epoch milliseconds).
 * Every shard waits until then on its own wall clock, then records when it
 * actually started and how far that was from the target. A clock-based start
 * is only as good as the machines' clock agreement (NTP); `merge` reports the
 * spread of the actual starts.
 *
 * The clock and the sleep are injected, so tests need no real time.
 *
 * @example
 * ```ts
 * const target = parseStartAt("2026-12-01T22:00:00Z", Date.now());
 * const start = await waitUntil(target, { now: Date.now, sleep: (ms) => delay(ms) });
 * start.offset_ms; // how late this shard started, ms
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** How far from now a start time may be. */
export interface StartAtBounds {
  /** A target older than this is an error (a stale manifest), ms. */
  maxPastMs: number;
  /** A target further ahead than this is an error (a typo, a wrong unit), ms. */
  maxFutureMs: number;
}

/** Default bounds: at most 10 minutes late, at most 24 hours ahead. */
export const START_AT_BOUNDS: StartAtBounds = { maxPastMs: 600_000, maxFutureMs: 86_400_000 };

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The epoch milliseconds of `text` (RFC 3339 with a zone, or whole epoch ms),
 * checked against `bounds` around `nowMs`. Throws {@linkcode UsageError}.
 */
export function parseStartAt(
  text: string,
  nowMs: number,
  bounds: StartAtBounds = START_AT_BOUNDS,
): number {
  const t = text.trim();
  let ms: number;
  if (/^\d{1,16}$/.test(t)) ms = Number(t);
  else if (RFC3339.test(t)) ms = Date.parse(t.replace(" ", "T"));
  else {
    throw new UsageError(
      `Cannot parse --start-at: "${text}" is not an RFC 3339 time (2026-12-01T22:00:00Z) or epoch ms`,
    );
  }
  if (!Number.isFinite(ms)) {
    throw new UsageError(`Cannot parse --start-at: "${text}" is not a valid time`);
  }
  if (ms < nowMs - bounds.maxPastMs) {
    throw new UsageError(
      `Cannot use --start-at "${text}": it is ${
        Math.round((nowMs - ms) / 1000)
      } s in the past (at most ${bounds.maxPastMs / 1000} s)`,
    );
  }
  if (ms > nowMs + bounds.maxFutureMs) {
    throw new UsageError(
      `Cannot use --start-at "${text}": it is ${Math.round((ms - nowMs) / 1000)} s ahead (at most ${
        bounds.maxFutureMs / 1000
      } s)`,
    );
  }
  return ms;
}

/** When a shard started: the target, the actual start (both ISO 8601) and the offset. */
export interface StartRecord {
  target: string;
  actual: string;
  /** actual - target, ms (positive: late). */
  offset_ms: number;
}

/** The clock and sleep {@linkcode waitUntil} uses. */
export interface StartClock {
  /** Wall-clock epoch ms. */
  now: () => number;
  /** Resolves after about `ms`; may resolve early (waitUntil checks the clock again). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Waits until the wall clock reaches `targetMs` (at once when it has passed),
 * then records the actual start. `stop` ends the wait early: returns null.
 */
export async function waitUntil(
  targetMs: number,
  clock: StartClock,
  stop?: AbortSignal,
): Promise<StartRecord | null> {
  let now = clock.now();
  // Bounded: each sleep is the time left, and the target is at most a day ahead.
  for (let i = 0; now < targetMs && i < 100_000; i++) {
    if (stop?.aborted) return null;
    await clock.sleep(Math.min(targetMs - now, 60_000));
    now = clock.now();
  }
  if (stop?.aborted) return null;
  return startRecord(targetMs, now);
}

/** The record of a start at `actualMs` against `targetMs`. */
export function startRecord(targetMs: number, actualMs: number): StartRecord {
  return {
    target: new Date(targetMs).toISOString(),
    actual: new Date(actualMs).toISOString(),
    offset_ms: Math.round((actualMs - targetMs) * 1000) / 1000,
  };
}
