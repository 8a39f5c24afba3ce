/**
 * `run --against-history [N]`, `--min-change`, `--history-metric`: the gate
 * against the store's last N comparable runs (lib/verdict/history_gate.ts).
 *
 * @module
 */

import { type FlagSpec, type FlagValues, int, strList } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { type MinChange, parseMinChange } from "../../verdict/history_gate.ts";

/** The gate against history, as `run` was asked for it. */
export interface AgainstHistory {
  /** The newest N comparable runs. */
  last: number;
  minChange: MinChange;
  /** The metrics judged (default p95). */
  metrics: string[];
  /** Fewer comparable runs than this is inconclusive. */
  minRuns: number;
}

/** N when `--against-history` is given bare. */
export const DEFAULT_HISTORY_RUNS = 20;
/** The practical threshold by default. */
export const DEFAULT_MIN_CHANGE = "5%";
/** The fewest comparable runs the gate judges on. */
export const MIN_HISTORY_RUNS = 5;

/** The flags, to spread into `run`'s. */
export const AGAINST_HISTORY_FLAGS: FlagSpec = {
  "against-history": {
    type: "string",
    arg: "[N]",
    bare: String(DEFAULT_HISTORY_RUNS),
    bareTakes: /^\d+$/,
    help: "with --history: fail when a metric lies outside the prediction\n" +
      `interval of the last N comparable runs (default ${DEFAULT_HISTORY_RUNS}) and is worse\n` +
      `by more than --min-change; under ${MIN_HISTORY_RUNS} runs: inconclusive (exit 4)`,
  },
  "min-change": {
    type: "string",
    arg: "X%|Xms",
    help: `--against-history: the practical threshold (default ${DEFAULT_MIN_CHANGE})`,
  },
  "history-metric": {
    type: "string",
    multiple: true,
    arg: "M",
    help: "--against-history: a metric judged, repeatable (default p95)",
  },
};

/** Reads the flags; null without `--against-history`. Throws {@linkcode UsageError}. */
export function parseAgainstHistory(values: FlagValues): { againstHistory?: AgainstHistory } {
  if (values["against-history"] === undefined) {
    for (const flag of ["min-change", "history-metric"]) {
      if (values[flag] !== undefined) {
        throw new UsageError(`Cannot use --${flag} without --against-history`);
      }
    }
    return {};
  }
  if (values.history === undefined) {
    throw new UsageError("Cannot use --against-history without --history (the store to read)");
  }
  const text = values["min-change"] === undefined
    ? DEFAULT_MIN_CHANGE
    : String(values["min-change"]);
  const minChange = parseMinChange(text);
  if (minChange === null) {
    throw new UsageError(`Cannot parse --min-change: "${text}" is not a percent (5%) or ms (20ms)`);
  }
  const metrics = strList(values, "history-metric");
  return {
    againstHistory: {
      last: int(values, "against-history", DEFAULT_HISTORY_RUNS, 3),
      minChange,
      metrics: metrics.length > 0 ? metrics : ["p95"],
      minRuns: MIN_HISTORY_RUNS,
    },
  };
}
