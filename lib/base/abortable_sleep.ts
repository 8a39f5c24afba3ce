/**
 * A sleep that an abort signal ends early: the pacers' waits, a coordinated
 * start and a sweep's cool-down all stop at once on Ctrl-C.
 *
 * @module
 */

/** Resolves after `ms`, or as soon as `signal` aborts (at once if it already has). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
