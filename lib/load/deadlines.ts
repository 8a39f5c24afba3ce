/**
 * One timer for every request's timeout: requests in flight sit in a list,
 * each at its own slot, and one interval timer ends those past their deadline.
 * A timer a request (`setTimeout` + `clearTimeout`, a Node `Timeout` object in
 * Deno 2) cost the fetch engine about 2.5 µs a request; this costs a list
 * push and a swap.
 *
 * An entry is ended at most one tick after its deadline (a tick is
 * min(50 ms, timeout / 20), at least 1 ms), never before it: the timeout rule
 * (`measure.ts`) then fails it as a `timeout` on its logged latency.
 *
 * @example
 * ```ts
 * const deadlines = new Deadlines<{ deadline: number; slot: number }>((e) => abort(e));
 * const entry = { deadline: 0, slot: -1 };
 * deadlines.track(entry, 30_000);
 * // ... the request ends
 * deadlines.untrack(entry);
 * deadlines.close();
 * ```
 *
 * @module
 */

/**
 * The real monotonic clock, ms: one function, so that a reading of it taken by a caller (a
 * request's send time) can set a deadline without a second reading (`performance.now()` is an
 * op in Deno, about 0.1 µs).
 */
export const realNow = (): number => performance.now();

/** What the list keeps of an entry: its deadline (a clock reading) and its slot (-1 off the list). */
export interface DeadlineEntry {
  deadline: number;
  slot: number;
}

/** Entries under a deadline, checked by one interval timer. */
export class Deadlines<T extends DeadlineEntry> {
  #list: T[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #expire: (entry: T) => void;
  #now: () => number;

  /**
   * `expire` is called once for an entry past its deadline (it stays on the list until
   * {@linkcode untrack}); `now` is the clock of the deadlines (a real one: the timer runs in real time).
   */
  constructor(expire: (entry: T) => void, now: () => number = realNow) {
    this.#expire = expire;
    this.#now = now;
  }

  /**
   * Puts `entry` on the list, due `timeoutMs` after `from` (a reading of this list's clock,
   * taken when the request started; default: now); an infinite timeout is not tracked.
   */
  track(entry: T, timeoutMs: number, from: number = this.#now()): void {
    if (!Number.isFinite(timeoutMs)) return;
    entry.deadline = from + timeoutMs;
    entry.slot = this.#list.length;
    this.#list.push(entry);
    if (this.#timer !== undefined || this.#closed) return;
    const tick = Math.min(50, Math.max(1, timeoutMs / 20));
    this.#timer = setInterval(() => this.#sweep(), tick);
  }

  /** Takes `entry` off the list (the last entry moves into its slot); no-op when it is not on it. */
  untrack(entry: T): void {
    const at = entry.slot;
    if (at < 0) return;
    const last = this.#list.pop()!;
    if (last !== entry) {
      this.#list[at] = last;
      last.slot = at;
    }
    entry.slot = -1;
  }

  /** Stops the timer; entries still on the list are no longer ended. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    const t = this.#now();
    const list = this.#list;
    // Backwards: an entry that `expire` takes off the list swaps in one already checked.
    for (let i = list.length - 1; i >= 0; i--) {
      const entry = list[i];
      if (entry !== undefined && t > entry.deadline) {
        entry.deadline = Infinity; // expired once
        this.#expire(entry);
      }
    }
  }
}
