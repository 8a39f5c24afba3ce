/**
 * SLA thresholds and the verdict: pure functions from summaries to pass/fail.
 *
 * A threshold is `METRIC OP VALUE`, for example `p95<=800` or
 * `error_rate<=0.01`, over any numeric metric of a phase summary.
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** Comparison operators a threshold may use. */
export type Operator = "<" | "<=" | ">" | ">=";

/** A parsed threshold. */
export interface Threshold {
  /** The expression as written, normalized (no spaces). */
  expr: string;
  metric: string;
  op: Operator;
  value: number;
}

/** A threshold checked against a measured value. */
export interface ThresholdResult extends Threshold {
  /** The measured value; null when there was nothing to measure (counts as a miss). */
  actual: number | null;
  pass: boolean;
}

/** The default SLA of the main job. */
export const DEFAULT_SLA = "p95<=800";

/**
 * Parses `p95<=800`. `metrics` are the names a threshold may gate on; any
 * other name is an error, never a silent pass.
 */
export function parseThreshold(text: string, metrics: readonly string[]): Threshold {
  const expr = text.replace(/\s+/g, "");
  const m = /^([a-z_][a-z0-9_]*)(<=|>=|<|>)(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/i.exec(expr);
  if (!m) {
    throw new UsageError(
      `Cannot parse --sla "${text}": expected METRIC OP VALUE, for example p95<=800`,
    );
  }
  const metric = m[1]!.toLowerCase();
  if (!metrics.includes(metric)) {
    throw new UsageError(
      `Cannot parse --sla "${text}": unknown metric "${metric}" (known: ${metrics.join(", ")})`,
    );
  }
  return { expr: `${metric}${m[2]}${m[3]}`, metric, op: m[2] as Operator, value: Number(m[3]) };
}

/** Checks each threshold against `metrics` (NaN or missing never passes). */
export function evaluate(
  thresholds: readonly Threshold[],
  metrics: object,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const raw = (metrics as Record<string, unknown>)[t.metric];
    const actual = typeof raw === "number" && Number.isFinite(raw) ? raw : null;
    return { ...t, actual, pass: actual !== null && holds(actual, t.op, t.value) };
  });
}

/** Whether `actual OP value` holds. */
export function holds(actual: number, op: Operator, value: number): boolean {
  switch (op) {
    case "<":
      return actual < value;
    case "<=":
      return actual <= value;
    case ">":
      return actual > value;
    case ">=":
      return actual >= value;
  }
}

/** Numeric metric names of an object (what a threshold may name). */
export function metricNames(example: object): string[] {
  return Object.entries(example).filter(([, v]) => typeof v === "number").map(([k]) => k);
}

/** The thresholds in force: the user's, plus the error-rate gate unless they set one. */
export function thresholdsFor(
  sla: readonly string[],
  maxErrorRate: number,
  metrics: readonly string[],
): Threshold[] {
  const parsed = (sla.length > 0 ? sla : [DEFAULT_SLA]).map((s) => parseThreshold(s, metrics));
  if (!parsed.some((t) => t.metric === "error_rate")) {
    parsed.push(parseThreshold(`error_rate<=${maxErrorRate}`, metrics));
  }
  return parsed;
}

/** The verdict from threshold results and quality checks. */
export interface Verdict {
  pass: boolean;
  /** One line per reason the verdict failed; empty on pass. */
  reasons: string[];
}

/** Combines SLA results and named checks into one verdict. */
export function decide(
  results: readonly ThresholdResult[],
  checks: Readonly<Record<string, { ok: boolean; detail: string }>>,
): Verdict {
  const reasons: string[] = [];
  for (const r of results) {
    if (!r.pass) {
      const actual = r.actual === null ? "no data" : String(Math.round(r.actual * 1000) / 1000);
      reasons.push(`SLA ${r.expr} missed: measured ${actual}`);
    }
  }
  for (const [name, c] of Object.entries(checks)) {
    if (!c.ok) reasons.push(`check ${name} failed: ${c.detail}`);
  }
  return { pass: reasons.length === 0, reasons };
}
