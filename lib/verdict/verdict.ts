/**
 * The verdict model: one {@linkcode Verdict} `{state, basis, reasons}` for
 * every command, decided by one function ({@linkcode verdictOf}) from the
 * judged thresholds, the named checks and the measured request counts. Pure.
 *
 * The rule it holds: PASS only when measured requests stand behind every
 * threshold and every check held. A threshold on a metric with no data is a
 * FAIL that says why; zero measured requests is never a PASS.
 *
 * @example
 * ```ts
 * const results = evaluate(parseSla(["p95<=800"], 0, ["p95", "error_rate"]), summary);
 * const verdict = decide(results, {}, summary); // { state: "pass", basis: "point", reasons: [] }
 * ```
 *
 * @module
 */

import { ExitCode } from "../base/errors.ts";
import { describeFailures, type FailureCounts } from "./failures.ts";
import type { ThresholdResult } from "./threshold.ts";

/** The state of one threshold, or of the whole verdict. */
export type VerdictState = "pass" | "fail" | "inconclusive";

/** What the thresholds were judged on: point estimates, or confidence intervals. */
export type VerdictBasis = "point" | "interval";

/** The verdict of a run or a comparison. */
export interface Verdict {
  state: VerdictState;
  basis: VerdictBasis;
  /** One line per threshold or check that is not a pass; empty on pass. */
  reasons: string[];
}

/**
 * How an inconclusive verdict gates: `code` exits with
 * {@linkcode ExitCode.Inconclusive} (the default), `fail` exits 1 (`--strict`),
 * `pass` exits 0 (`--lenient`).
 */
export type InconclusivePolicy = "code" | "fail" | "pass";

/** One named check's result (inputs identical, outputs identical, ...). */
export interface Check {
  ok: boolean;
  detail: string;
}

/** Named checks that gate beside the thresholds. */
export type Checks = Readonly<Record<string, Check>>;

/** One threshold judged: its state and, unless it passed, why. */
export interface Judged {
  state: VerdictState;
  reason: string | null;
}

/** Why a threshold had nothing to measure: no request at all, or none that succeeded. */
export function noDataReason(
  r: Pick<ThresholdResult, "expr" | "metric">,
  measured?: FailureCounts,
): string {
  const why = measured?.requests === 0
    ? `no measured request to measure ${r.metric}`
    : `no successful request to measure ${r.metric}`;
  return `SLA ${r.expr} missed: ${why}`;
}

/** A threshold judged on its measured value. */
export function judgePoint(r: ThresholdResult, measured?: FailureCounts): Judged {
  if (r.pass) return { state: "pass", reason: null };
  if (r.actual === null) return { state: "fail", reason: noDataReason(r, measured) };
  return { state: "fail", reason: `SLA ${r.expr} missed: measured ${roundMs(r.actual)}` };
}

/**
 * The one verdict: fail if any threshold or check fails, or nothing was
 * measured; else inconclusive if any threshold is; else pass. With `measured`
 * counts, a verdict that is not a pass also names the failures by kind.
 */
export function verdictOf(
  judged: readonly Judged[],
  checks: Checks,
  basis: VerdictBasis,
  measured?: FailureCounts,
): Verdict {
  const reasons: string[] = [];
  let failed = false;
  let open = false;
  if (measured?.requests === 0) {
    failed = true;
    reasons.push("no request was measured: a verdict needs measured requests behind it");
  }
  for (const j of judged) {
    if (j.state === "fail") failed = true;
    if (j.state === "inconclusive") open = true;
    if (j.reason !== null) reasons.push(j.reason);
  }
  for (const [name, c] of Object.entries(checks)) {
    if (!c.ok) {
      failed = true;
      reasons.push(`check ${name} failed: ${c.detail}`);
    }
  }
  const state: VerdictState = failed ? "fail" : open ? "inconclusive" : "pass";
  const phrase = measured && state !== "pass" ? describeFailures(measured) : "";
  if (phrase !== "") reasons.push(phrase);
  return { state, basis, reasons };
}

/** The point verdict: thresholds on their measured values, and the checks. */
export function decide(
  results: readonly ThresholdResult[],
  checks: Checks,
  measured?: FailureCounts,
): Verdict {
  return verdictOf(results.map((r) => judgePoint(r, measured)), checks, "point", measured);
}

/** pass 0, fail 1, inconclusive {@linkcode ExitCode.Inconclusive} (or 1 / 0 by policy). */
export function exitCodeFor(state: VerdictState, policy: InconclusivePolicy): number {
  if (state === "pass") return ExitCode.Pass;
  if (state === "fail") return ExitCode.Fail;
  return policy === "fail"
    ? ExitCode.Fail
    : policy === "pass"
    ? ExitCode.Pass
    : ExitCode.Inconclusive;
}

/** A measured value as reasons print it: up to 3 decimals. */
export function roundMs(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
