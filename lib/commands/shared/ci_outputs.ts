/**
 * Results where CI pipelines read them, for every command that gates (job,
 * run, compare, merge, sweep): JUnit XML (`--junit FILE`), Prometheus text
 * (`--prom FILE`), the result document as JSON on stdout (`--json`), the
 * job summary (`$GITHUB_STEP_SUMMARY`) and the history store (`--history`). A command calls
 * {@linkcode publishGate} once, with its judgement; adding a command is one
 * call.
 *
 * @module
 */

import { renderJunit } from "../../report/junit.ts";
import { writeText } from "./write_text.ts";
import { type PromPhase, renderPrometheus } from "../../report/prometheus.ts";
import type { GateCheck } from "../../report/gate_results.ts";
import type { ThresholdResult } from "../../verdict/threshold.ts";
import { type Checks, checkState, type Verdict } from "../../verdict/verdict.ts";
import { appendStepSummary } from "./step_summary.ts";
import type { HistoryTarget } from "./flags/history.ts";
import { openHistory } from "../../history/open.ts";

/** Where the CI outputs go; each null when not asked for. */
export interface CiTargets {
  /** `--junit FILE`. */
  junit: string | null;
  /** `--prom FILE`. */
  prom: string | null;
  /** `--json`: writes the document to stdout (human output then goes to stderr). */
  json: ((text: string) => void) | null;
  /** `$GITHUB_STEP_SUMMARY`, when set. */
  stepSummary: string | null;
  /** `--history`: the store the judged run is recorded in. */
  history: HistoryTarget | null;
}

/** No CI output at all (tests, nested calls). */
export const NO_CI_TARGETS: CiTargets = {
  junit: null,
  prom: null,
  json: null,
  stepSummary: null,
  history: null,
};

/** What a command judged, as the CI outputs need it. */
export interface GateOutput {
  /** The command, for the JUnit suite name (`loadgate.<command>`). */
  command: string;
  /** Every threshold on its measured value. */
  results: readonly ThresholdResult[];
  checks: Checks;
  verdict: Verdict;
  /** The result document (the summary JSON, comparison.json) that `--json` prints. */
  document: object;
  /** Phase summaries for the Prometheus gauges, the gated phase last. */
  phases: readonly PromPhase[];
  /** Markdown for the job summary; null when the command appends its own (the job). */
  markdown: string | null;
  /** ISO 8601 start time, when known. */
  timestamp?: string;
  /** Duration of the gated phase, s. */
  timeS?: number;
  /** The gated phase's latencies, ms, for the history's distribution; absent when not kept. */
  latencies?: ArrayLike<number>;
}

/**
 * Opens the `--history` store before the command sends a request, so that a wrong path or an
 * unreachable database fails first (exit 2), not after the work is done.
 */
export async function checkHistoryTarget(to: CiTargets): Promise<void> {
  if (to.history === null) return;
  const store = await openHistory(to.history.location);
  await store.db.close();
}

/** The checks as the renderers take them: each with its one state. */
export function gateChecks(checks: Checks): GateCheck[] {
  return Object.entries(checks).map(([name, c]) => {
    const state = checkState(c);
    // The renderers say "not made:" themselves.
    const detail = state === "not_made" ? c.detail.replace(/^not made: /, "") : c.detail;
    return { name, state, detail };
  });
}

/**
 * Writes the CI outputs asked for; returns the files written. A step summary
 * that cannot be appended is a line on `err`, never a failure.
 */
export async function publishGate(
  gate: GateOutput,
  to: CiTargets,
  err: (line: string) => void,
): Promise<string[]> {
  const written: string[] = [];
  if (to.junit !== null) {
    await writeText(
      to.junit,
      renderJunit({
        suite: `loadgate.${gate.command}`,
        thresholds: gate.results,
        checks: gateChecks(gate.checks),
        ...(gate.timestamp === undefined ? {} : { timestamp: gate.timestamp }),
        ...(gate.timeS === undefined ? {} : { timeS: gate.timeS }),
      }),
    );
    written.push(to.junit);
  }
  if (to.prom !== null) {
    await writeText(
      to.prom,
      renderPrometheus({ phases: gate.phases, thresholds: gate.results }),
    );
    written.push(to.prom);
  }
  if (to.stepSummary !== null && gate.markdown !== null) {
    const problem = await appendStepSummary(to.stepSummary, gate.markdown);
    if (problem) err(problem);
  }
  if (to.history !== null) {
    const { recordInHistory } = await import("./history_record.ts");
    err(await recordInHistory(gate, to.history));
  }
  if (to.json !== null) to.json(JSON.stringify(gate.document, null, 2));
  return written;
}
