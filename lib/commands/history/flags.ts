/**
 * `loadgate history`: its flags (the one spec that parses them and writes the
 * help) and the parser: a subcommand, its arguments, and the store.
 *
 * @module
 */

import { type FlagSpec, int, num, parseFlags, str, strList } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { DEFAULT_HISTORY_PATH } from "../../history/open.ts";
import { DEFAULT_MAX_P_VALUE, DEFAULT_PERMUTATIONS } from "../../stats/change_points.ts";
import { CONFIG_FLAGS } from "../shared/flags/ci.ts";
import { HISTORY_STORE_FLAG } from "../shared/flags/history.ts";

/** The subcommands. */
export const HISTORY_SUBCOMMANDS = [
  "list",
  "show",
  "trend",
  "changes",
  "import",
  "prune",
  "report",
] as const;

/** A subcommand's name. */
export type HistorySub = typeof HISTORY_SUBCOMMANDS[number];

/** What `history` was asked. */
export interface HistoryOptions {
  sub: HistorySub;
  /** The subcommand's arguments (an id, a metric, folders). */
  args: string[];
  /** The store: a SQLite path or a postgres:// URL. */
  location: string;
  /** The newest N runs (list, trend, changes, report). */
  last: number | null;
  /** Runs comparable with this one (trend, changes, report); the newest run by default. */
  run: number | null;
  keep: number | null;
  before: string | null;
  maxPValue: number;
  permutations: number;
  seed: number;
  /** `report`: the page's path. */
  out: string;
  /** `report`: the metrics drawn. */
  metrics: string[];
  /** `import`: labels of every imported run. */
  labels: string[];
}

/** Flags of `history`. */
export const HISTORY_FLAGS: FlagSpec = {
  ...HISTORY_STORE_FLAG,
  last: { type: "string", arg: "N", help: "the newest N runs (list, trend, changes, report)" },
  run: {
    type: "string",
    arg: "ID",
    help: "trend, changes, report: runs comparable with run ID (same\n" +
      "target, workload digest and load; default: the newest run)",
  },
  keep: { type: "string", arg: "N", help: "prune: keep the newest N runs" },
  before: {
    type: "string",
    arg: "DATE",
    help: "prune: delete runs recorded before DATE (ISO 8601)",
  },
  "max-pvalue": {
    type: "string",
    arg: "P",
    help: `changes: significance of a change point (default ${DEFAULT_MAX_P_VALUE})`,
  },
  permutations: {
    type: "string",
    arg: "R",
    help: `changes: permutations of each test (default ${DEFAULT_PERMUTATIONS})`,
  },
  seed: { type: "string", arg: "N", help: "changes: seed of the permutations (default 1)" },
  out: {
    type: "string",
    arg: "FILE",
    help: "report: the page's path (default results/history.html)",
  },
  metric: {
    type: "string",
    multiple: true,
    arg: "M",
    help: "report: a metric drawn, repeatable (default p50 p95 p99\nthroughput error_rate)",
  },
  label: { type: "string", multiple: true, arg: "K=V", help: "import: a label of every run" },
  ...CONFIG_FLAGS,
  help: { type: "boolean", short: "h", help: "this help" },
};

/** Usage line of `history`. */
export const HISTORY_USAGE =
  "loadgate history list|show ID|trend METRIC|changes [METRIC]|import DIR...|prune|report [options]";

/** Notes under the flags of `history --help`. */
export const HISTORY_NOTES =
  `The store defaults to ${DEFAULT_HISTORY_PATH}; run, job, compare, sweep and merge record into it
with --history. changes: E-divisive means with a permutation test (docs/history.md).`;

/** Parses `history`'s arguments. Throws {@linkcode UsageError}. */
export function parseHistoryArgs(argv: string[]): HistoryOptions | "help" {
  const { values, positionals } = parseFlags(argv, HISTORY_FLAGS, true);
  if (values.help) return "help";
  const [sub, ...args] = positionals;
  if (!HISTORY_SUBCOMMANDS.includes(sub as HistorySub)) {
    throw new UsageError(
      `history takes one of ${HISTORY_SUBCOMMANDS.join(", ")}; got ${
        sub === undefined ? "nothing" : `"${sub}"`
      } (try history --help)`,
    );
  }
  const maxPValue = num(values, "max-pvalue", DEFAULT_MAX_P_VALUE);
  if (maxPValue >= 1) throw new UsageError(`Cannot parse --max-pvalue: "${maxPValue}" is not < 1`);
  const before = values.before === undefined ? null : str(values, "before", "");
  if (before !== null && Number.isNaN(Date.parse(before))) {
    throw new UsageError(`Cannot parse --before: "${before}" is not a date (ISO 8601)`);
  }
  return {
    sub: sub as HistorySub,
    args,
    location: str(values, "history", DEFAULT_HISTORY_PATH),
    last: values.last === undefined ? null : int(values, "last", 0, 2),
    run: values.run === undefined ? null : int(values, "run", 0),
    keep: values.keep === undefined ? null : int(values, "keep", 0, 0),
    before: before === null ? null : new Date(before).toISOString(),
    maxPValue,
    permutations: int(values, "permutations", DEFAULT_PERMUTATIONS, 19),
    seed: int(values, "seed", 1, 0),
    out: str(values, "out", "results/history.html"),
    metrics: strList(values, "metric"),
    labels: strList(values, "label"),
  };
}
