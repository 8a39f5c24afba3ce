/**
 * `run --against-history`: this run's metrics against the store's last N
 * comparable runs (same target, workload digest and load), read before the
 * run is recorded, so a run never judges itself. Loaded only when asked.
 *
 * @module
 */

import { ExitCode } from "../../base/errors.ts";
import { openHistory } from "../../history/open.ts";
import { keyOf, recordOf } from "../../history/record.ts";
import { type HistoryGateResult, judgeAgainstHistory } from "../../verdict/history_gate.ts";
import type { VerdictState } from "../../verdict/verdict.ts";
import type { AgainstHistory } from "./history_flags.ts";

/** The gate's judgements and its state (the worst of them). */
export interface HistoryGate {
  state: VerdictState;
  results: HistoryGateResult[];
}

/** Judges `document` (this run's summary) against the store at `location`. */
export async function judgeRunAgainstHistory(
  asked: AgainstHistory,
  location: string,
  document: object,
  confidence: number,
): Promise<HistoryGate> {
  const record = recordOf(document, { command: "run", labels: {}, recordedAt: "" });
  const store = await openHistory(location);
  try {
    const results: HistoryGateResult[] = [];
    for (const metric of asked.metrics) {
      const series = await store.series(metric, keyOf(record), asked.last);
      results.push(judgeAgainstHistory({
        metric,
        value: record.figures[metric] ?? null,
        history: series.map((p) => p.value),
        confidence,
        minChange: asked.minChange,
        minRuns: asked.minRuns,
      }));
    }
    const states = results.map((r) => r.state);
    const state = states.includes("fail")
      ? "fail"
      : states.includes("inconclusive")
      ? "inconclusive"
      : "pass";
    return { state, results };
  } finally {
    await store.db.close();
  }
}

/** The run's exit code with the gate's: a failure anywhere fails; then inconclusive (4). */
export function withHistoryGate(exitCode: number, state: VerdictState): number {
  if (exitCode === ExitCode.Fail || state === "fail") return ExitCode.Fail;
  if (exitCode === ExitCode.Inconclusive || state === "inconclusive") return ExitCode.Inconclusive;
  return exitCode;
}
