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
import { makeManifest } from "./manifest.ts";
import { comparisonReport, writeReports } from "./report_files.ts";
import { summarize } from "./stats.ts";
import { metricNames, thresholdsFor } from "./verdict.ts";
import type { UncertaintyOptions } from "./uncertainty.ts";
import { parseUncertaintyFlags, UNCERTAINTY_FLAGS, UNCERTAINTY_HELP } from "./uncertainty_args.ts";

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
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** Also write report.html. */
  html: boolean;
}

export const COMPARE_FLAGS: FlagSpec = {
  out: { type: "string" },
  sla: { type: "string", multiple: true },
  "max-error-rate": { type: "string" },
  force: { type: "boolean" },
  html: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...UNCERTAINTY_FLAGS,
};

export const COMPARE_HELP = `Usage: loadgate compare BEFORE.csv AFTER.csv [options]
  --out DIR              where comparison.json and comparison.csv go (default results/compare)
  --sla EXPR             threshold on AFTER, repeatable (default p95<=800)
  --max-error-rate R     failures allowed in AFTER (default 0)
  --force                compare even when inputs or load parameters differ
${UNCERTAINTY_HELP}
  --html                 also write report.html (plots; opens offline)
Load parameters are read from the summary JSON beside each log (same name, .json).`;

/** Parses `compare` arguments. Throws {@linkcode UsageError}. */
export function parseCompareArgs(args: string[], color: boolean): CompareOptions | "help" {
  const { values, positionals } = parseFlags(args, COMPARE_FLAGS, true);
  if (values.help) return "help";
  if (positionals.length !== 2) {
    throw new UsageError(
      `compare takes two logs, BEFORE.csv AFTER.csv (got ${positionals.length})`,
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
    uncertainty: parseUncertaintyFlags(values),
    html: values.html === true,
  };
  thresholdsFor(options.sla, options.maxErrorRate, metricNames(summarize([])));
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
  io: { out: (line: string) => void; err?: (line: string) => void },
): Promise<number> {
  const [before, after] = [await readLog(options.before), await readLog(options.after)];
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
  const manifest = makeManifest({ command: "compare" });
  const gate = await gateComparison({
    comparison,
    sla: options.sla,
    maxErrorRate: options.maxErrorRate,
    outDir: options.outDir,
    extra: {
      manifest,
      phases: { baseline: { log: options.before }, optimized: { log: options.after } },
      forced: options.force,
    },
    color: options.color,
    out: io.out,
    samples: { baseline: before, optimized: after },
    ...(options.uncertainty ? { uncertainty: options.uncertainty } : {}),
  });
  const reports = options.html
    ? await writeReports(
      comparisonReport({
        comparison,
        gate,
        phases: [
          { name: "baseline", detail: options.before, samples: before },
          { name: "optimized", detail: options.after, samples: after },
        ],
        manifest: { ...manifest, baseline_log: options.before, optimized_log: options.after },
      }),
      {
        outDir: options.outDir,
        html: true,
        markdown: false,
        stepSummary: null,
        err: io.err ?? (() => {}),
      },
    )
    : [];
  io.out(
    `\nwrote ${options.outDir}/comparison.json and comparison.csv${
      reports.map((f) => ` and ${f}`).join("")
    }`,
  );
  return gate.exitCode;
}
