/**
 * The verdict line, rendered by one function for every command (the main
 * job, `run`, `compare`), from the one verdict that also sets the exit code,
 * so the two cannot disagree.
 *
 * @example
 * ```ts
 * verdictLine({ state: "fail", basis: "point", reasons: ["SLA p95<=800 missed: measured 900"] });
 * // "verdict: FAIL (SLA p95<=800 missed: measured 900)"
 * ```
 *
 * @module
 */

import { formatConfidence } from "../verdict/interval_verdict.ts";
import { exitCodeFor, type InconclusivePolicy, type Verdict } from "../verdict/verdict.ts";

/** How {@linkcode verdictLine} words and colours the line. */
export interface VerdictLineOptions {
  /** The words after a point-basis PASS ("the optimized phase meets ..."); none by default. */
  passDetail?: string;
  /** Confidence of the intervals, for an interval-basis PASS (default 0.95). */
  confidence?: number;
  /** How an inconclusive verdict exits (default `code`: exit 4). */
  policy?: InconclusivePolicy;
  /** Set when the run was interrupted: what finished ("12 of 100 requests finished"). */
  interrupted?: string;
  /** Colours the line (an ANSI code: 32 green, 31 red, 33 yellow); identity by default. */
  paint?: (text: string, code: number) => string;
}

/** ", 2 checks not made: inputs_identical, outputs_identical", or "" when every check was made. */
export function notMadePhrase(v: Verdict): string {
  const names = v.notMade ?? [];
  if (names.length === 0) return "";
  return `, ${names.length} check${names.length === 1 ? "" : "s"} not made: ${names.join(", ")}`;
}

/**
 * `verdict: PASS`, `verdict: FAIL (reasons)`, `verdict: INCONCLUSIVE (reasons) [exit 4]`;
 * checks not made follow the state: `verdict: PASS, 2 checks not made: a, b`.
 */
export function verdictLine(v: Verdict, o: VerdictLineOptions = {}): string {
  const paint = o.paint ?? ((text: string) => text);
  if (o.interrupted !== undefined) return paint(`verdict: INTERRUPTED (${o.interrupted})`, 33);
  const notMade = notMadePhrase(v);
  if (v.state === "fail") return paint(`verdict: FAIL${notMade} (${v.reasons.join("; ")})`, 31);
  if (v.state === "pass") {
    const detail = v.basis === "interval"
      ? `every gated percentile's ${
        formatConfidence(o.confidence ?? 0.95)
      } interval meets the SLA ${
        notMade === "" ? "and every check holds" : "and every check made holds"
      }`
      : o.passDetail;
    return paint(`verdict: PASS${notMade}${detail ? ` (${detail})` : ""}`, 32);
  }
  const policy = o.policy ?? "code";
  const how = policy === "fail"
    ? "--strict: counts as a fail"
    : policy === "pass"
    ? "--lenient: counts as a pass"
    : `exit ${exitCodeFor(v.state, policy)}`;
  return paint(`verdict: INCONCLUSIVE${notMade} (${v.reasons.join("; ")}) [${how}]`, 33);
}
