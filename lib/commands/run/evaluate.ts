/**
 * `run`'s judgement of a finished phase: its summary (from the kept samples or
 * the bounded store), the intervals, the one verdict with its exit code, and
 * the counts the report states (warm-ups, an open loop behind schedule, stages).
 *
 * @module
 */

import {
  behindScheduleNote,
  type FullSummary,
  fullSummary,
  openLoopSummary,
} from "../../stats/load_metrics.ts";
import type { PhaseOutcome } from "../../load/phase_runner.ts";
import type { Sample } from "../../stats/sample.ts";
import { stageSummaries, type StageSummary } from "../../stats/stage_summary.ts";
import { judge, type Judgement } from "../../verdict/judge.ts";
import {
  assessPhase,
  type LatencyColumns,
  type PhaseUncertaintyReport,
  UNCERTAINTY_DEFAULTS,
  type UncertaintyOptions,
} from "../../verdict/uncertainty.ts";
import type { RunJudging, RunSetup } from "./setup.ts";
import { type SessionSummary, sessionSummary } from "../../stats/llm/session_summary.ts";
import { steadyWindow, type SteadyWindowJson } from "../../stats/steady_window.ts";

/** A judged phase: what the files and the printed lines are made of. */
export interface RunEvaluation {
  summary: FullSummary;
  /** The measured samples (no warm-ups); empty when the run kept none. */
  measured: Sample[];
  uOptions: UncertaintyOptions;
  uncertainty: PhaseUncertaintyReport;
  judged: Judgement;
  /** The open loop fell behind its schedule: why, or null. */
  behind: string | null;
  warmups: number;
  /** `--stages`: each stage's percentiles. */
  stages?: StageSummary[];
  /** Multi-turn sessions: by turn and per session. */
  sessions?: SessionSummary;
  /** The steady window (MSER-5) beside the whole run, and whether `--steady` judged it. */
  steady?: SteadyWindowJson & { judged: boolean };
}

/** Summarizes and judges a finished phase (pure: reads the outcome, writes nothing). */
export function evaluateRun(
  setup: Pick<RunSetup, "plan" | "keep" | "groups" | "judging">,
  outcome: PhaseOutcome,
): RunEvaluation {
  const { plan, keep, groups, judging } = setup;
  const summary: FullSummary = keep
    ? fullSummary(outcome.samples, groups)
    : outcome.store.summary();
  const measured = outcome.samples.filter((s) => s.warmup !== true);
  const uOptions = judging.uncertainty ?? UNCERTAINTY_DEFAULTS;
  const steady = keep && measured.length > 0 ? steadyWindow(measured) : null;
  // --steady judges the steady window: its summary and its latencies.
  const judgedOn = judging.steady && steady
    ? { summary: fullSummary(steady.samples, groups), latencies: steady.samples }
    : { summary, latencies: keep ? measured : outcome.store.sortedMs() };
  const { u, judged } = judgeRun(judging, uOptions, {
    ...judgedOn,
    interrupted: outcome.interrupted,
  });
  const behind = groups.openLoop
    ? behindScheduleNote(openLoopSummary(outcome.samples), summary.requests)
    : null;
  const warmups = plan.warmup === 0
    ? 0
    : keep
    ? outcome.samples.length - summary.requests
    : plan.warmup;
  const stages = judging.stages ? stageSummaries(outcome.samples, judging.stages) : undefined;
  return {
    summary,
    measured,
    uOptions,
    uncertainty: u,
    judged,
    behind,
    warmups,
    ...(stages ? { stages } : {}),
    ...(judging.sessions ? { sessions: sessionSummary(measured) } : {}),
    ...(steady ? { steady: { ...steady.json, judged: judging.steady === true } } : {}),
  };
}

/** The phase's intervals, and the one verdict of the run with its exit code. */
function judgeRun(
  judging: RunJudging,
  uOptions: UncertaintyOptions,
  r: { summary: FullSummary; latencies: Sample[] | LatencyColumns; interrupted: boolean },
): { u: PhaseUncertaintyReport; judged: Judgement } {
  const u = assessPhase({
    phase: judging.phase,
    samples: r.latencies,
    summary: r.summary,
    thresholds: judging.thresholds,
    options: uOptions,
  });
  const judged = judge({
    thresholds: judging.thresholds,
    summary: r.summary,
    checks: {},
    interval: uOptions.verdict === "interval" ? u.verdict : null,
    policy: uOptions.inconclusive,
    interrupted: r.interrupted,
  });
  return { u, judged };
}
