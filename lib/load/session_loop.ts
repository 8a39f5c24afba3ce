/**
 * The session pacer: multi-turn conversations. A session's turn k+1 leaves
 * only after turn k's answer has come back and its think time has passed; a
 * failed turn ends its session (the rest are not sent). Sessions run closed
 * (`concurrency` at once, the next starting when one ends) or arrive open (at
 * the times of `schedule`, however many are running). Each sample is tagged
 * with its session and turn, and its scheduled time is when it was due
 * (arrival, or the previous answer plus the think time), so the send lag is
 * measured as in any open loop.
 *
 * @module
 */

import { abortableSleep } from "../base/abortable_sleep.ts";
import type { Pacer, PaceResult } from "./pacer.ts";

/** A session's request ids and think times (workload/sessions/bodies.ts makes them). */
export interface SessionShape {
  firstId: number;
  turns: number;
  thinkMs: number[];
}

/** Options of {@linkcode sessionLoop}. */
export interface SessionLoopOptions {
  sessions: readonly SessionShape[];
  /** Closed: sessions at once; null with `schedule`. */
  concurrency: number | null;
  /** Open: each session's arrival, ms from the start; null with `concurrency`. */
  schedule: ArrayLike<number> | null;
  /** Called just before request `id` is sent (writes its body from the history so far). */
  beforeSend?: (id: number) => void;
}

/** The session pacer (see the module doc). */
export function sessionLoop(o: SessionLoopOptions): Pacer {
  return async (deps): Promise<PaceResult> => {
    const sleep = deps.sleep ?? abortableSleep;
    const start = deps.now();
    const elapsed = () => deps.now() - start;
    let sent = 0;
    let completed = 0;
    const runSession = async (s: number, dueMs: number): Promise<void> => {
      const spec = o.sessions[s]!;
      let due = dueMs;
      for (let k = 0; k < spec.turns; k++) {
        const wait = due - elapsed();
        if (wait > 0) await sleep(wait, deps.stop);
        if (deps.stop?.aborted) return;
        const id = spec.firstId + k;
        o.beforeSend?.(id);
        sent++;
        const sample = await deps.engine.send(id, start);
        sample.scheduledMs = due;
        sample.session = { id: s, turn: k };
        completed++;
        deps.onSample(sample);
        if (!sample.ok) return;
        due = elapsed() + (spec.thinkMs[k] ?? 0);
      }
    };
    const n = o.sessions.length;
    const running: Promise<void>[] = [];
    if (o.schedule) {
      for (let s = 0; s < n && s < o.schedule.length; s++) {
        const wait = o.schedule[s]! - elapsed();
        if (wait > 0) await sleep(wait, deps.stop);
        if (deps.stop?.aborted) break;
        running.push(runSession(s, o.schedule[s]!));
      }
    } else {
      let next = 0;
      const worker = async () => {
        while (next < n && !deps.stop?.aborted) await runSession(next++, elapsed());
      };
      for (let w = 0; w < Math.min(o.concurrency ?? 1, n); w++) running.push(worker());
    }
    await Promise.all(running);
    return {
      sent,
      completed,
      capWaits: 0,
      durationMs: elapsed(),
      interrupted: deps.stop?.aborted === true,
    };
  };
}
