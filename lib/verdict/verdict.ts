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
  /**
   * Names of the checks that could not be made (a foreign log has no input
   * digests): never counted as held; absent or empty when every check was made.
   */
  notMade?: string[];
}

/**
 * How an inconclusive verdict gates: `code` exits with
 * {@linkcode ExitCode.Inconclusive} (the default), `fail` exits 1 (`--strict`),
 * `pass` exits 0 (`--lenient`).
 */
export type InconclusivePolicy = "code" | "fail" | "pass";

/**
 * One named check's result (inputs identical, outputs identical, ...). A check
 * that could not be made has `made: false` (and `ok: false`: it never claims
 * to have held); `required: true` (`--require-checks`) makes that a failure.
 */
export interface Check {
  ok: boolean;
  detail: string;
  /** False when the check could not be made; absent means made. */
  made?: boolean;
  /** A check not made fails instead of being listed as not made. */
  required?: boolean;
}

/** How a check ended: held, failed, or could not be made. */
export type CheckState = "ok" | "failed" | "not_made";

/** The one judgement of a check's state: not made (or failed when required), else ok / failed. */
export function checkState(c: Check): CheckState {
  if (c.made === false) return c.required === true ? "failed" : "not_made";
  return c.ok ? "ok" : "failed";
}

/** A check that could not be made, with why. */
export function notMadeCheck(detail: string): Check {
  return { ok: false, made: false, detail };
}

/** The checks with every one required (`--require-checks`): a check not made then fails. */
export function requireChecks<T extends Check>(
  checks: Readonly<Record<string, T>>,
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(checks).map(([name, c]) => [name, { ...c, required: true }]),
  );
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
    : r.metric.startsWith("goodput_")
    ? `no request had a value for every --goodput SLO (a TPOT needs a streamed answer)`
    : `no successful request to measure ${r.metric}`;
  return `SLA ${r.expr} missed: ${why}`;
}

/**
 * Metrics over every request, failed ones at their measured latency (DESIGN's
 * headline figures). When every request failed they measure only failures
 * (a refused connection answers fast), so a threshold on them backs no PASS.
 */
export const ALL_REQUEST_METRICS: ReadonlySet<string> = new Set([
  "p50",
  "p95",
  "p99",
  "mean",
  "max",
  "min",
  "throughput",
]);

/** Why a threshold on an all-request metric backs nothing: every request failed; else null. */
export function onlyFailuresReason(
  r: Pick<ThresholdResult, "expr" | "metric">,
  measured?: FailureCounts,
): string | null {
  if (!measured || measured.requests === 0 || measured.failed < measured.requests) return null;
  if (!ALL_REQUEST_METRICS.has(r.metric)) return null;
  return `SLA ${r.expr} missed: every request failed, so ${r.metric} measures only failures`;
}

/** A threshold judged on its measured value. */
export function judgePoint(r: ThresholdResult, measured?: FailureCounts): Judged {
  const onlyFailures = onlyFailuresReason(r, measured);
  if (onlyFailures !== null) return { state: "fail", reason: onlyFailures };
  if (r.pass) return { state: "pass", reason: null };
  if (r.actual === null) return { state: "fail", reason: noDataReason(r, measured) };
  return { state: "fail", reason: `SLA ${r.expr} missed: measured ${formatMeasured(r.actual)}` };
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
  const notMade: string[] = [];
  for (const [name, c] of Object.entries(checks)) {
    const state = checkState(c);
    if (state === "not_made") notMade.push(name);
    if (state !== "failed") continue;
    failed = true;
    reasons.push(
      c.made === false
        ? `check ${name} not made (--require-checks): ${c.detail}`
        : `check ${name} failed: ${c.detail}`,
    );
  }
  const state: VerdictState = failed ? "fail" : open ? "inconclusive" : "pass";
  const phrase = measured && state !== "pass" ? describeFailures(measured) : "";
  if (phrase !== "") reasons.push(phrase);
  return { state, basis, reasons, ...(notMade.length > 0 ? { notMade } : {}) };
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
export function formatMeasured(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
