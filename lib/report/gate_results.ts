/**
 * The plain inputs of the CI renderers (JUnit, Prometheus): thresholds as
 * measured, checks with their state, summary numbers. Kept apart from the
 * verdict types so the renderers can be fed by any verdict model.
 *
 * @module
 */

/** One SLA threshold, measured. Structurally a `ThresholdResult` of verdict/verdict.ts. */
export interface GateThreshold {
  /** The expression, for example `p95<=800`. */
  expr: string;
  /** The operator and the limit. */
  op: string;
  value: number;
  /** The measured value; null when nothing was measured (never a pass). */
  actual: number | null;
  pass: boolean;
}

/** How a check ended: held, failed, or could not be made (for example a foreign log). */
export type CheckState = "ok" | "failed" | "not_made";

/** One named check. */
export interface GateCheck {
  name: string;
  state: CheckState;
  detail: string;
}
