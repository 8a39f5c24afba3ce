/**
 * The plain inputs of the CI renderers (JUnit, Prometheus): thresholds as
 * measured, checks with their state, summary numbers. Kept apart from the
 * verdict types so the renderers can be fed by any verdict model (only the
 * three states of a check come from lib/verdict/verdict.ts, their one home).
 *
 * @module
 */

import type { CheckState } from "../verdict/verdict.ts";

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

/** One named check. */
export interface GateCheck {
  name: string;
  state: CheckState;
  detail: string;
}
