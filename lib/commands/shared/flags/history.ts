/**
 * `--history [PATH|URL]` and `--label K=V`, on every command that judges: the
 * judged run is recorded in the history store (docs/history.md). Off unless
 * asked: a run writes nothing outside its `--out` folder unasked, a store on
 * an ephemeral CI runner would be lost anyway, and the SQLite module costs a
 * process memory that a run without history need not pay.
 *
 * @module
 */

import { type FlagSpec, type FlagValues, str, strList } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { DEFAULT_HISTORY_PATH } from "../../../history/open.ts";
import { readEnv } from "../terminal.ts";

/** Where to record, and the labels to record with. */
export interface HistoryTarget {
  /** A SQLite file path or a postgres:// URL. */
  location: string;
  labels: Record<string, string>;
}

/**
 * What the argument after a bare `--history` must look like to be its value:
 * a PostgreSQL URL or a SQLite file name, so that `compare --history a.csv
 * b.csv` keeps its logs.
 */
const STORE_ARGUMENT = /^postgres(ql)?:\/\/|\.(db|sqlite|sqlite3)$/i;

/** The store flag alone (the `history` command takes it too). */
export const HISTORY_STORE_FLAG: FlagSpec = {
  history: {
    type: "string",
    arg: "[PATH|URL]",
    bare: DEFAULT_HISTORY_PATH,
    bareTakes: STORE_ARGUMENT,
    help: `history store: a SQLite file (bare: ${DEFAULT_HISTORY_PATH}) or\n` +
      "a postgres:// URL (docs/history.md); a path not ending in .db,\n" +
      ".sqlite or .sqlite3 is given as --history=PATH",
  },
};

/** The flags of a judging command. */
export const HISTORY_FLAGS: FlagSpec = {
  ...HISTORY_STORE_FLAG,
  label: {
    type: "string",
    multiple: true,
    arg: "K=V",
    help: "--history: a label of the recorded run, repeatable\n" +
      "(GITHUB_SHA and GITHUB_REF_NAME become commit and branch)",
  },
};

/** CI's environment variables read as labels, when set; `--label` wins. */
const ENV_LABELS = [["GITHUB_SHA", "commit"], ["GITHUB_REF_NAME", "branch"]] as const;

/** Parses `--label K=V` values; throws {@linkcode UsageError}. */
export function parseLabels(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of values) {
    const eq = text.indexOf("=");
    const key = eq < 0 ? "" : text.slice(0, eq).trim();
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
      throw new UsageError(
        `Cannot parse --label: "${text}" is not KEY=VALUE (a key of letters, digits, _ . -)`,
      );
    }
    labels[key] = text.slice(eq + 1);
  }
  return labels;
}

/** The store location in `values`, or null when `--history` was not given. */
export function historyLocation(values: FlagValues): string | null {
  if (values.history === undefined) return null;
  const location = str(values, "history", "");
  if (location === "") throw new UsageError("Cannot parse --history: expected a path or a URL");
  return location;
}

/** The history target of a judging command, or null without `--history`. */
export function parseHistoryTarget(
  values: FlagValues,
  env: (name: string) => string | undefined = readEnv,
): HistoryTarget | null {
  const labels = parseLabels(strList(values, "label"));
  const location = historyLocation(values);
  if (location === null) {
    if (Object.keys(labels).length > 0) {
      throw new UsageError("Cannot use --label without --history");
    }
    return null;
  }
  const fromEnv: Record<string, string> = {};
  for (const [name, key] of ENV_LABELS) {
    const value = env(name);
    if (value) fromEnv[key] = value;
  }
  return { location, labels: { ...fromEnv, ...labels } };
}
