/**
 * The live progress line on stderr while a phase runs: requests done of the
 * total (or time elapsed of the duration), the current rate, failures so
 * far and a running P95.
 *
 * Recording a sample is O(1) (two counters and a histogram bucket); the line
 * is redrawn by a timer at most 8 times a second, never from the sample
 * path. The writer, clock, timer and terminal width are injected, so tests
 * drive it without a terminal or real time. Whether to show it at all is
 * `progressEnabled()` in `terminal.ts`.
 *
 * A small module rather than a package such as `cli-progress`: those draw
 * through Node streams with their own timers and TTY checks, which is what
 * this needs to control.
 *
 * @module
 */

import { RunningHistogram } from "../../stats/histogram/running.ts";
import type { Sample } from "../../stats/sample.ts";

/** What the progress line needs from the world. */
export interface ProgressDeps {
  /** Writes text to the terminal as is (stderr). */
  write: (text: string) => void;
  /** Monotonic clock, ms. */
  now: () => number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every: (fn: () => void, ms: number) => () => void;
  /** Width of the terminal in columns. */
  columns: () => number;
}

/** What the phase will do, for the "of total" part of the line. */
export interface ProgressPlan {
  /** Requests in the phase, when known. */
  total?: number;
  /** Planned duration in ms, for a phase bounded by time. */
  durationMs?: number;
}

/** A snapshot of a phase, as the line shows it. */
export interface ProgressState {
  phase: string;
  done: number;
  failed: number;
  elapsedMs: number;
  /** Completions per second over about the last second; NaN before any. */
  rate: number;
  /** Running P95 latency, ms; NaN before any sample. */
  p95: number;
  plan: ProgressPlan;
}

/** Redraw period: 8 frames a second. */
export const REDRAW_MS = 125;
const RATE_WINDOW_MS = 1000;
const BAR = 20;

const num = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The progress line for `state`, at most `columns - 1` characters. Pure. */
export function formatProgress(state: ProgressState, columns: number, color = false): string {
  const { plan } = state;
  let fraction: number | null = null;
  let count: string;
  if (plan.total !== undefined && plan.total > 0) {
    fraction = state.done / plan.total;
    count = `${state.done}/${plan.total} ${Math.floor(fraction * 100)}%`;
  } else if (plan.durationMs !== undefined && plan.durationMs > 0) {
    fraction = state.elapsedMs / plan.durationMs;
    count = `${state.done} done, ${secs(state.elapsedMs)}/${secs(plan.durationMs)}`;
  } else {
    count = `${state.done} done`;
  }
  const failedText = `${state.failed} failed`;
  const parts = [
    state.phase,
    count,
    `${num(state.rate, state.rate >= 100 ? 0 : 1)} req/s`,
    color && state.failed > 0 ? `\x1b[31m${failedText}\x1b[0m` : failedText,
    `p95~${num(state.p95, state.p95 >= 100 ? 0 : 1)} ms`,
  ];
  if (plan.durationMs === undefined) parts.push(secs(state.elapsedMs));
  const plainWidth = (xs: string[]) => visibleLength(xs.join("  "));
  if (fraction !== null) {
    const filled = Math.max(0, Math.min(BAR, Math.floor(fraction * BAR)));
    const bar = `[${"#".repeat(filled)}${".".repeat(BAR - filled)}]`;
    const withBar = [parts[0]!, bar, ...parts.slice(1)];
    if (plainWidth(withBar) < columns) return withBar.join("  ");
  }
  const line = parts.join("  ");
  if (plainWidth(parts) < columns) return line;
  // Too narrow: drop colour and cut, so the line never wraps (a wrapped line cannot be redrawn).
  return stripAnsi(line).slice(0, Math.max(0, columns - 1));
}

const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*[A-Za-z]", "g");
const stripAnsi = (text: string): string => text.replace(ANSI, "");

/** Length of `text` as the terminal shows it (without colour codes). */
export function visibleLength(text: string): number {
  return stripAnsi(text).length;
}

/** Counts one phase's samples and redraws its line on a timer. */
export class PhaseProgress {
  readonly #phase: string;
  readonly #plan: ProgressPlan;
  readonly #deps: ProgressDeps;
  readonly #color: boolean;
  readonly #histogram = new RunningHistogram();
  #done = 0;
  #failed = 0;
  #start = 0;
  #stopTimer: (() => void) | null = null;
  /** (time, done) at recent redraws, oldest first, for the rate. */
  #marks: { t: number; done: number }[] = [];
  #finished = false;

  constructor(phase: string, plan: ProgressPlan, deps: ProgressDeps, color = false) {
    this.#phase = phase;
    this.#plan = plan;
    this.#deps = deps;
    this.#color = color;
  }

  /** Starts the clock, draws the first frame and starts redrawing. */
  start(): void {
    this.#start = this.#deps.now();
    this.#marks = [{ t: this.#start, done: 0 }];
    this.draw();
    this.#stopTimer = this.#deps.every(() => this.draw(), REDRAW_MS);
  }

  /** Counts a completed request. O(1): safe on the runner's per-sample path. */
  record(sample: Sample): void {
    this.#done++;
    if (!sample.ok) this.#failed++;
    this.#histogram.record(sample.latencyMs);
  }

  /** The phase as the line would show it now. */
  state(): ProgressState {
    const t = this.#deps.now();
    const marks = this.#marks;
    while (marks.length > 1 && t - marks[1]!.t >= RATE_WINDOW_MS) marks.shift();
    const from = marks[0] ?? { t: this.#start, done: 0 };
    const rate = t > from.t && this.#done > 0
      ? ((this.#done - from.done) * 1000) / (t - from.t)
      : NaN;
    marks.push({ t, done: this.#done });
    return {
      phase: this.#phase,
      done: this.#done,
      failed: this.#failed,
      elapsedMs: t - this.#start,
      rate,
      p95: this.#histogram.percentile(95),
      plan: this.#plan,
    };
  }

  /** Redraws the line in place. */
  draw(): void {
    if (this.#finished) return;
    this.#deps.write(`\r${formatProgress(this.state(), this.#deps.columns(), this.#color)}\x1b[K`);
  }

  /** Stops redrawing and leaves the final line on screen. Idempotent. */
  finish(): void {
    if (this.#finished) return;
    this.#stopTimer?.();
    this.#stopTimer = null;
    this.draw();
    this.#finished = true;
    this.#deps.write("\n");
  }
}

/** Makes a {@linkcode PhaseProgress} for each phase; what the job and `run` are given. */
export type ProgressFactory = (phase: string, plan: ProgressPlan) => PhaseProgress;

/** A progress factory over `deps`. */
export function progressFactory(deps: ProgressDeps, color: boolean): ProgressFactory {
  return (phase, plan) => new PhaseProgress(phase, plan, deps, color);
}

/** `setInterval` that never keeps the process alive, as {@linkcode ProgressDeps.every} wants. */
export function unrefInterval(fn: () => void, ms: number): () => void {
  const id = setInterval(fn, ms);
  Deno.unrefTimer(id);
  return () => clearInterval(id);
}
