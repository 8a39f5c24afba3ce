/**
 * `loadgate compare`: its flags (the one spec that parses them and writes
 * the help) and the parser, thresholds included.
 *
 * @module
 */

import { type FlagSpec, num, parseFlags, str, strList } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { ALL_METRICS } from "../../stats/load_metrics.ts";
import { joinGoodputArgs, parseGoodput } from "../../stats/goodput.ts";
import { parseSla } from "../../verdict/threshold.ts";
import { checkLoadLimits } from "../shared/input_checks.ts";
import type { CompareOptions } from "./command.ts";
import { parseUncertaintyFlags, UNCERTAINTY_FLAGS } from "../shared/flags/uncertainty.ts";
import { CI_FLAGS } from "../shared/flags/ci.ts";
import { OUTPUT_CHECK_FLAGS, parseOutputCheck } from "../shared/flags/output_check.ts";
import { FOREIGN_FORMATS } from "../../log/foreign/foreign_log.ts";
import { parseFormat } from "../../log/foreign/read_foreign.ts";
import { HELP_FLAG } from "../shared/flags/common.ts";

/** Flags of `compare`. */
export const COMPARE_FLAGS: FlagSpec = {
  out: {
    type: "string",
    arg: "DIR",
    help: "where comparison.json and comparison.csv go (default results/compare)",
  },
  sla: {
    type: "string",
    multiple: true,
    arg: "EXPR",
    help: "threshold on AFTER, repeatable (default p95<=800)",
  },
  "max-error-rate": { type: "string", arg: "R", help: "failures allowed in AFTER (default 0)" },
  force: { type: "boolean", help: "compare even when inputs or load parameters differ" },
  format: {
    type: "string",
    arg: "NAME",
    help: `read both logs as this tool's format instead of detecting it:\n${
      FOREIGN_FORMATS.slice(0, 5).join(", ")
    },\n${FOREIGN_FORMATS.slice(5).join(", ")}`,
  },
  "require-checks": {
    type: "boolean",
    help: "a check that cannot be made (a foreign log has no digests)\nfails the gate",
  },
  ...OUTPUT_CHECK_FLAGS,
  ...UNCERTAINTY_FLAGS,
  html: { type: "boolean", help: "also write report.html (plots; opens offline)" },
  ...CI_FLAGS,
  goodput: {
    type: "string",
    arg: "SLOS",
    help: "per-request SLOs, 'ttft<=200,tpot<=50,e2e<=2000' (ms): goodput\n" +
      "of both logs and its change with an interval (Newcombe)",
  },
  ...HELP_FLAG,
};

/** Usage line of `compare`. */
export const COMPARE_USAGE = "loadgate compare BEFORE.csv AFTER.csv [options]";

/** Notes under the flags of `compare --help`. */
export const COMPARE_NOTES =
  `Load parameters are read from the summary JSON beside each log (same name, .json).
Logs of other tools (a Python baseline's CSV, hey, oha, k6, vegeta, vLLM bench
serve; docs/foreign-formats.md) are read directly; the checks they cannot support
are reported as not made. Warm-up requests in a log are left out. Open-loop
(sched_*, lag_*) and streaming (ttft_*, itl_*, tpot_*, output_tokens_per_s, ...)
metrics are compared, and may be gated on, when the logs hold them.
Given two sweep folders (each holding sweep.json), compares their capacity at the SLA
and, at every load both ran, each step's P95 with an interval on the difference;
fails (exit 1) when the capacity dropped. Writes sweep_comparison.json.`;

/** Parses `compare` arguments, thresholds included. Throws {@linkcode UsageError}. */
export function parseCompareArgs(args: string[], color: boolean): CompareOptions | "help" {
  const { values, positionals } = parseFlags(joinGoodputArgs(args), COMPARE_FLAGS, true);
  if (values.help) return "help";
  if (positionals.length !== 2) {
    throw new UsageError(
      `Cannot compare: give two logs, BEFORE.csv AFTER.csv (got ${positionals.length})`,
    );
  }
  const outDir = str(values, "out", "results/compare");
  const sla = strList(values, "sla");
  const maxErrorRate = num(values, "max-error-rate", 0, true);
  const options: CompareOptions = {
    before: positionals[0]!,
    after: positionals[1]!,
    outDir,
    force: values.force === true,
    color,
    uncertainty: parseUncertaintyFlags(values),
    html: values.html === true,
    requireChecks: values["require-checks"] === true,
    ...(values.format === undefined ? {} : { format: parseFormat(str(values, "format", "")) }),
    // Parsed once, here: a malformed --sla fails before any log is read.
    thresholds: parseSla(sla, maxErrorRate, ALL_METRICS),
    goodput: values.goodput === undefined ? null : parseGoodput(str(values, "goodput", "")),
  };
  const outputCheck = parseOutputCheck(values);
  if (outputCheck) options.outputCheck = outputCheck;
  checkLoadLimits({ maxErrorRate });
  return options;
}
