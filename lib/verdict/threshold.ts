/**
 * SLA thresholds: `METRIC OP VALUE` (for example `p95<=800` or
 * `error_rate<=0.01`), parsed once per command into typed values, and checked
 * against a measured value. Pure.
 *
 * @example
 * ```ts
 * const [t] = parseSla(["p95<=800"], 0, ["p95", "error_rate"]);
 * evaluate([t!], { p95: 790 }); // [{ ..., actual: 790, pass: true }]
 * ```
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
    // A bare name is what the shell leaves of an unquoted p95<800 (it takes < and > itself).
    const hint = /^[a-z_][a-z0-9_]*$/i.test(expr)
      ? ` (quote it: --sla '${expr}<800')`
      : ", for example p95<=800";
    throw new UsageError(`Cannot parse --sla "${text}": expected METRIC OP VALUE${hint}`);
  }
  // vLLM names end-to-end latency `e2el`; loadgate's summary says `e2e`.
  const metric = m[1]!.toLowerCase().replace(/^e2el_/, "e2e_");
  if (!metrics.includes(metric)) {
    throw new UsageError(
      `Cannot parse --sla "${text}": unknown metric "${metric}" (known: ${metrics.join(", ")})`,
    );
  }
  const value = Number(m[3]);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(
      `Cannot parse --sla "${text}": the value ${m[3]} is ${
        value < 0 ? "negative" : "not a finite number"
      }`,
    );
  }
  if (FRACTIONS.includes(metric) && value > 1) {
    // As --max-error-rate: a fraction of the requests, never above 1 (2 would gate on nothing).
    throw new UsageError(
      `Cannot parse --sla "${text}": the value ${m[3]} is above 1 (${metric} is a fraction, 0..1)`,
    );
  }
  return { expr: `${metric}${m[2]}${m[3]}`, metric, op: m[2] as Operator, value };
}

/** Metrics that are a fraction of the requests (0..1). */
const FRACTIONS: readonly string[] = ["error_rate", "goodput_ratio"];

/**
 * The thresholds in force, parsed once per command: the user's `--sla`
 * expressions (default {@linkcode DEFAULT_SLA}), plus `error_rate<=R` from
 * `--max-error-rate` unless they set an error-rate threshold themselves.
 */
export function parseSla(
  sla: readonly string[],
  maxErrorRate: number,
  metrics: readonly string[],
): Threshold[] {
  if (maxErrorRate > 1) {
    throw new UsageError(`Cannot parse --max-error-rate: "${maxErrorRate}" is above 1`);
  }
  const parsed = (sla.length > 0 ? sla : [DEFAULT_SLA]).map((s) => parseThreshold(s, metrics));
  if (!parsed.some((t) => t.metric === "error_rate")) {
    parsed.push(parseThreshold(`error_rate<=${maxErrorRate}`, metrics));
  }
  return parsed;
}

/** The measured value of `metric` in `metrics`; null when missing or not finite. */
export function measuredValue(metrics: object, metric: string): number | null {
  const raw = (metrics as Record<string, unknown>)[metric];
  return typeof raw === "number" && Number.isFinite(raw) ? raw : null;
}

/** Checks each threshold against `metrics` (NaN or missing never passes). */
export function evaluate(
  thresholds: readonly Threshold[],
  metrics: object,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = measuredValue(metrics, t.metric);
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
