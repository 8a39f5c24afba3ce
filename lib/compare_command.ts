/**
 * `loadgate compare BEFORE.csv AFTER.csv`: the comparison, checks and gate on
 * any two logs written by `run` or the main job.
 *
 * @module
 */

import { type FlagSpec, num, parseFlags, str, strList } from "./args.ts";
import { comparePhases, type LoadParams } from "./compare.ts";
import { readLog } from "./csv_log.ts";
import { UsageError } from "./errors.ts";
import { gateComparison } from "./gate.ts";
import { checkComparableLog, checkLoadLimits } from "./input_checks.ts";
import { makeManifest } from "./manifest.ts";
import { summarize } from "./stats.ts";
import { metricNames, thresholdsFor } from "./verdict.ts";

/** Options of {@linkcode compareCommand}. */
export interface CompareOptions {
  before: string;
  after: string;
  outDir: string;
  sla: string[];
  maxErrorRate: number;
  /** Compare even when inputs or load parameters differ. */
  force: boolean;
  color: boolean;
}

export const COMPARE_FLAGS: FlagSpec = {
  out: { type: "string" },
  sla: { type: "string", multiple: true },
  "max-error-rate": { type: "string" },
  force: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

export const COMPARE_HELP = `Usage: loadgate compare BEFORE.csv AFTER.csv [options]
  --out DIR              where comparison.json and comparison.csv go (default results/compare)
  --sla EXPR             threshold on AFTER, repeatable (default p95<=800)
  --max-error-rate R     failures allowed in AFTER (default 0)
  --force                compare even when inputs or load parameters differ
Load parameters are read from the summary JSON beside each log (same name, .json).`;

/** Parses `compare` arguments. Throws {@linkcode UsageError}. */
export function parseCompareArgs(args: string[], color: boolean): CompareOptions | "help" {
  const { values, positionals } = parseFlags(args, COMPARE_FLAGS, true);
  if (values.help) return "help";
  if (positionals.length !== 2) {
    throw new UsageError(
      `Cannot compare: give two logs, BEFORE.csv AFTER.csv (got ${positionals.length})`,
    );
  }
  const options: CompareOptions = {
    before: positionals[0]!,
    after: positionals[1]!,
    outDir: str(values, "out", "results/compare"),
    sla: strList(values, "sla"),
    maxErrorRate: num(values, "max-error-rate", 0, true),
    force: values.force === true,
    color,
  };
  thresholdsFor(options.sla, options.maxErrorRate, metricNames(summarize([])));
  checkLoadLimits({ maxErrorRate: options.maxErrorRate });
  return options;
}

/** Reads the load parameters from the summary beside a log, or null. */
export async function loadParamsBeside(logPath: string): Promise<LoadParams | null> {
  const path = logPath.replace(/\.csv$/i, "") + ".json";
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return null;
  }
  try {
    const load = (JSON.parse(text) as { load?: LoadParams }).load;
    return load && typeof load === "object" ? load : null;
  } catch {
    throw new UsageError(`Cannot parse summary "${path}": not JSON`);
  }
}

/** Compares two logs; returns the exit code. */
export async function compareCommand(
  options: CompareOptions,
  io: { out: (line: string) => void },
): Promise<number> {
  const [before, after] = [await readLog(options.before), await readLog(options.after)];
  checkComparableLog(before, options.before);
  checkComparableLog(after, options.after);
  const load = {
    baseline: await loadParamsBeside(options.before),
    optimized: await loadParamsBeside(options.after),
  };
  const comparison = comparePhases(before, after, load);
  const { inputs_identical: inputs, conditions_match: conditions } = comparison.checks;
  if (!options.force && (!inputs.ok || (load.baseline && load.optimized && !conditions.ok))) {
    const why = !inputs.ok ? inputs.detail : conditions.detail;
    throw new UsageError(
      `Refusing to compare logs that differ (${why}); use --force to compare anyway`,
    );
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  const gate = await gateComparison({
    comparison,
    sla: options.sla,
    maxErrorRate: options.maxErrorRate,
    outDir: options.outDir,
    extra: {
      manifest: makeManifest({ command: "compare" }),
      phases: { baseline: { log: options.before }, optimized: { log: options.after } },
      forced: options.force,
    },
    color: options.color,
    out: io.out,
  });
  io.out(`\nwrote ${options.outDir}/comparison.json and comparison.csv`);
  return gate.exitCode;
}
