/**
 * Multi-turn figures from the samples of a session run: TTFT and E2E by turn
 * index (turn k's prompt holds the k earlier turns, so a prefix cache shows
 * as a TTFT that stops growing with k), and per-session figures: duration
 * (first send to last answer), turns completed, failed sessions (a failed
 * turn ends its session).
 *
 * @example
 * ```ts
 * sessionSummary([]).sessions; // 0
 * ```
 *
 * @module
 */

import type { Sample } from "../sample.ts";
import { percentile, sortedCopy } from "../stats.ts";

/** One turn index's figures (ms), over its successful requests (TTFT: those that streamed). */
export interface TurnFigures {
  turn: number;
  requests: number;
  failed: number;
  ttft_p50: number;
  ttft_p95: number;
  e2e_p50: number;
  e2e_p95: number;
  /** Mean prompt tokens of the turn's requests (the history grows with the turn). */
  input_tokens_mean: number;
}

/** The sessions' figures. */
export interface SessionSummary {
  /** Sessions that sent at least one turn. */
  sessions: number;
  /** Sessions whose every sent turn succeeded. */
  completed: number;
  /** Sessions ended by a failed turn. */
  failed: number;
  turns_completed_mean: number;
  duration_p50_ms: number;
  duration_max_ms: number;
  by_turn: TurnFigures[];
}

const mean = (v: number[]) => (v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length);

function turnFigures(turn: number, rows: Sample[]): TurnFigures {
  const ok = rows.filter((s) => s.ok);
  const ttft = sortedCopy(ok.flatMap((s) => (s.stream?.ttftMs == null ? [] : [s.stream.ttftMs])));
  const e2e = sortedCopy(ok.map((s) => s.latencyMs));
  return {
    turn,
    requests: rows.length,
    failed: rows.length - ok.length,
    ttft_p50: percentile(ttft, 50),
    ttft_p95: percentile(ttft, 95),
    e2e_p50: percentile(e2e, 50),
    e2e_p95: percentile(e2e, 95),
    input_tokens_mean: mean(ok.flatMap((s) => (s.tokens ? [s.tokens.input] : []))),
  };
}

/** The session figures of `samples` (those without a session are left out). */
export function sessionSummary(samples: readonly Sample[]): SessionSummary {
  const bySession = new Map<number, Sample[]>();
  const byTurn = new Map<number, Sample[]>();
  for (const s of samples) {
    if (!s.session) continue;
    const a = bySession.get(s.session.id) ?? [];
    a.push(s);
    bySession.set(s.session.id, a);
    const b = byTurn.get(s.session.turn) ?? [];
    b.push(s);
    byTurn.set(s.session.turn, b);
  }
  const durations: number[] = [];
  const turnsDone: number[] = [];
  let failed = 0;
  for (const rows of bySession.values()) {
    const first = Math.min(...rows.map((s) => s.sentMs));
    const end = Math.max(...rows.map((s) => s.sentMs + s.latencyMs));
    durations.push(end - first);
    turnsDone.push(rows.filter((s) => s.ok).length);
    if (rows.some((s) => !s.ok)) failed++;
  }
  const sorted = sortedCopy(durations);
  return {
    sessions: bySession.size,
    completed: bySession.size - failed,
    failed,
    turns_completed_mean: mean(turnsDone),
    duration_p50_ms: percentile(sorted, 50),
    duration_max_ms: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!,
    by_turn: [...byTurn.keys()].sort((a, b) => a - b).map((t) => turnFigures(t, byTurn.get(t)!)),
  };
}

/** Lines for the terminal: the sessions, then TTFT and E2E by turn. */
export function sessionLines(s: SessionSummary): string[] {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  const lines = [
    `  sessions: ${s.sessions} (${s.completed} completed, ${s.failed} failed), ${
      f(s.turns_completed_mean)
    } turns each on average, duration p50 ${f(s.duration_p50_ms)} ms, max ${
      f(s.duration_max_ms)
    } ms`,
  ];
  for (const t of s.by_turn) {
    lines.push(
      `    turn ${t.turn}: ${t.requests} requests, ${f(t.input_tokens_mean)} prompt tokens; ` +
        `TTFT p50 ${f(t.ttft_p50)} ms, p95 ${f(t.ttft_p95)} ms; E2E p50 ${f(t.e2e_p50)} ms, ` +
        `p95 ${f(t.e2e_p95)} ms`,
    );
  }
  return lines;
}
