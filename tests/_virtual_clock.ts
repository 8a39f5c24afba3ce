/**
 * A virtual clock for tests: `sleep` registers a wake-up, and time jumps to
 * the earliest one once every pending microtask has run (on a macrotask), so
 * concurrent sleepers interleave as on a real clock, without real waiting.
 */
import type { Clock } from "../lib/stub/batcher.ts";

/** A virtual clock; `t` is its time in ms. */
export function virtualClock(): Clock & { t: number } {
  const timers: Array<{ at: number; resolve: () => void }> = [];
  let scheduled = false;
  const advance = () => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at);
    const next = timers[0];
    if (!next) return;
    clock.t = Math.max(clock.t, next.at);
    while (timers.length > 0 && timers[0]!.at <= clock.t) timers.shift()!.resolve();
    schedule();
  };
  const schedule = () => {
    if (!scheduled && timers.length > 0) {
      scheduled = true;
      setTimeout(advance, 0);
    }
  };
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) => {
      const { promise, resolve } = Promise.withResolvers<void>();
      timers.push({ at: clock.t + ms, resolve });
      schedule();
      return promise;
    },
  };
  return clock;
}
