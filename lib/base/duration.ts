/**
 * Durations as users type them: `500ms`, `30s`, `2m`, `1h`, `1m30s`,
 * `1.5s`. A plain number keeps the unit the flag always had (`--timeout-ms
 * 5000` stays milliseconds), so older command lines mean what they meant.
 *
 * @example
 * ```ts
 * parseDuration("2m", { flag: "duration", plainUnit: "s" }); // 120000
 * parseDuration("250", { flag: "timeout-ms", plainUnit: "ms" }); // 250
 * ```
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** The unit a plain number is read in. */
export type PlainUnit = "ms" | "s";

/** Milliseconds in each unit a duration may use. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** How {@linkcode parseDuration} reads its text. */
export interface DurationOptions {
  /** The flag's name, for the error message (without dashes). */
  flag: string;
  /** The unit of a number written without one. */
  plainUnit: PlainUnit;
}

/**
 * Milliseconds in `text`: one or more `NUMBER UNIT` parts (units ms, s, m, h,
 * largest first) or a plain number in `plainUnit`. Throws
 * {@linkcode UsageError} quoting the value.
 */
export function parseDuration(text: string, options: DurationOptions): number {
  const t = text.trim();
  const bad = (): never => {
    throw new UsageError(
      `Cannot parse --${options.flag}: "${text}" is not a duration (expected for example 500ms, 30s, 2m, 1h, or a number of ${
        options.plainUnit === "ms" ? "milliseconds" : "seconds"
      })`,
    );
  };
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * UNIT_MS[options.plainUnit]!;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return bad();
  let total = 0;
  let lastUnit = Infinity;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const unit = UNIT_MS[m[2]!]!;
    // `30s2m` or `1s1s` is a typo, not a duration.
    if (unit >= lastUnit) return bad();
    lastUnit = unit;
    total += Number(m[1]) * unit;
  }
  return total;
}

/** A duration in ms as short text: `1500` -> `1.5s`, `120000` -> `2m`. */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}
