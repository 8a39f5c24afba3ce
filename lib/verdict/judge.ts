/**
 * Judging a run or a comparison once: the thresholds (parsed once per
 * command) on the gated phase's summary, the verdict that gates (on the
 * point estimates, or on the intervals under `--verdict interval`) and the
 * exit code it maps to. Pure.
 *
 * @module
 */

import { ExitCode } from "../base/errors.ts";
import type { FailureCounts } from "./failures.ts";
import type { IntervalVerdict } from "./interval_verdict.ts";
import { evaluate, type Threshold, type ThresholdResult } from "./threshold.ts";
import {
  type Checks,
  decide,
  exitCodeFor,
  type InconclusivePolicy,
  type Verdict,
} from "./verdict.ts";

/** What {@linkcode judge} reads. */
export interface JudgeInput {
  thresholds: readonly Threshold[];
  /** The gated phase's summary: its metrics and request counts. */
  summary: object & FailureCounts;
  checks: Checks;
  /** The interval verdict, when it gates (`--verdict interval`); null for the point verdict. */
  interval: IntervalVerdict | null;
  /** How an inconclusive verdict exits. */
  policy: InconclusivePolicy;
  /** A run cut by SIGINT / SIGTERM exits 130 whatever its verdict. */
  interrupted?: boolean;
}

/** The judgement of the gated phase. */
export interface Judgement {
  /** Every threshold on its measured value (the summary's `sla.thresholds`). */
  results: ThresholdResult[];
  /** The one verdict that gates, and that every report prints. */
  verdict: Verdict;
  /** 0 pass, 1 fail, 4 inconclusive (or by policy), 130 interrupted. */
  exitCode: number;
}

/** Evaluates the thresholds and decides the gating verdict and its exit code. */
export function judge(input: JudgeInput): Judgement {
  const results = evaluate(input.thresholds, input.summary);
  const verdict: Verdict = input.interval
    ? {
      state: input.interval.state,
      basis: "interval",
      reasons: input.interval.reasons,
      ...(input.interval.notMade ? { notMade: input.interval.notMade } : {}),
    }
    : decide(results, input.checks, input.summary);
  const exitCode = input.interrupted
    ? ExitCode.Interrupted
    : exitCodeFor(verdict.state, input.policy);
  return { results, verdict, exitCode };
}
