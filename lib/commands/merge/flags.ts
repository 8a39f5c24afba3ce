/**
 * `loadgate merge`: its flags (the one spec that parses them and writes the
 * help) and the parser, thresholds checked.
 *
 * @module
 */

import { type FlagSpec, num, parseFlags, str, strList } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { DEFAULT_MAX_SKEW_MS, type MergeOptions, mergeThresholds } from "./command.ts";
import { CI_FLAGS } from "../shared/flags/ci.ts";
import { HELP_FLAG, SLA_HELP } from "../shared/flags/common.ts";

/** Flags of `merge`. */
export const MERGE_FLAGS: FlagSpec = {
  out: {
    type: "string",
    arg: "DIR",
    help: "where the merged log and summary go (default results/merged)",
  },
  phase: {
    type: "string",
    arg: "NAME",
    help: "name of the merged phase and its files (default merged)",
  },
  sla: { type: "string", multiple: true, arg: "EXPR", help: SLA_HELP },
  "max-error-rate": { type: "string", arg: "R", help: "failures allowed (default 0)" },
  "max-skew-ms": {
    type: "string",
    arg: "MS",
    help: `warn when the shards' starts spread wider (default ${DEFAULT_MAX_SKEW_MS})`,
  },
  ...CI_FLAGS,
  ...HELP_FLAG,
};

/** Usage line of `merge`. */
export const MERGE_USAGE = "loadgate merge DIR... [options]";

/** Notes under the flags of `merge --help`. */
export const MERGE_NOTES =
  `Merges the shards of one run (each DIR holds one shard's log and summary, as
written by run --shard), with exact percentiles over every request, and gates.
Checks, each in the verdict: every shard 0..N-1 present once; one workload digest,
load, tool version, target; no request id twice; ids 0..total-1 all present; no
shard interrupted. The start skew is reported, and a warning above the bound.`;

/** Parses `merge` arguments. Throws {@linkcode UsageError}. */
export function parseMergeArgs(args: string[]): MergeOptions | "help" {
  const { values, positionals } = parseFlags(args, MERGE_FLAGS, true);
  if (values.help) return "help";
  if (positionals.length === 0) {
    throw new UsageError("Cannot merge: give the shards' folders (for example results/shard-*)");
  }
  const maxErrorRate = num(values, "max-error-rate", 0, true);
  if (maxErrorRate > 1) {
    throw new UsageError(`Cannot parse --max-error-rate: "${maxErrorRate}" is above 1`);
  }
  const options: MergeOptions = {
    dirs: positionals,
    outDir: str(values, "out", "results/merged"),
    phase: str(values, "phase", "merged"),
    // A mistyped --sla, or one on a metric a merge does not report, fails before anything is read.
    thresholds: mergeThresholds(strList(values, "sla"), maxErrorRate),
    maxSkewMs: num(values, "max-skew-ms", DEFAULT_MAX_SKEW_MS, true),
  };
  if (!/^[A-Za-z0-9_.-]+$/.test(options.phase)) {
    throw new UsageError(`Cannot parse --phase: "${options.phase}" (letters, digits, _ . - only)`);
  }
  return options;
}
