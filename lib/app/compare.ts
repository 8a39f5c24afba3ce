/**
 * `loadgate compare BEFORE.csv AFTER.csv`: the comparison, checks and gate on
 * any two logs written by `run` or the main job.
 *
 * @module
 */

import { type FlagSpec, num, parseFlags, str, strList } from "../base/flags.ts";
import { type Check, comparePhases, type LoadParams } from "../verdict/compare.ts";
import { readLog } from "../log/csv_log.ts";
import { UsageError } from "../base/errors.ts";
import { gateComparison } from "./gate.ts";
import {
  ALL_METRICS,
  type FullSummary,
  fullSummary,
  groupsOfSamples,
  measured,
  type OpenLoopSummary,
  requireMetrics,
  type StreamingSummary,
} from "../stats/load_metrics.ts";
import { checkComparableLog, checkLoadLimits } from "./input_checks.ts";
import { makeManifest } from "./manifest.ts";
import { comparisonReport, writeReports } from "./report_files.ts";
import type { Sample } from "../stats/sample.ts";
import { thresholdsFor } from "../verdict/verdict.ts";
import type { UncertaintyOptions } from "../verdict/uncertainty.ts";
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
Load parameters are read from the summary JSON beside each log (same name, .json).
Warm-up requests in a log are left out. Open-loop (sched_*, lag_*) and streaming
(ttft_*, itl_*, tpot_*, output_tokens_per_s, ...) metrics are compared, and may be
gated on, when the logs hold them.`;

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
    uncertainty: parseUncertaintyFlags(values),
    html: values.html === true,
  };
  thresholdsFor(options.sla, options.maxErrorRate, ALL_METRICS);
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
  io: { out: (line: string) => void; err?: (line: string) => void },
): Promise<number> {
  const before = measured(await readLog(options.before));
  const after = measured(await readLog(options.after));
  checkComparableLog(before, options.before);
  checkComparableLog(after, options.after);
  const groups = { before: groupsOfSamples(before), after: groupsOfSamples(after) };
  const thresholds = thresholdsFor(options.sla, options.maxErrorRate, ALL_METRICS);
  requireMetrics(thresholds.map((t) => t.metric), groups.after, `log "${options.after}"`);
  const load = {
    baseline: await loadParamsBeside(options.before),
    optimized: await loadParamsBeside(options.after),
  };
  const comparison = comparePhases(before, after, load);
  if (isTimeBounded(load.baseline) && isTimeBounded(load.optimized)) {
    comparison.checks.inputs_identical = checkInputsPrefix(before, after);
  }
  // The open-loop and streaming metrics sit beside the base ones, so thresholds see them.
  const extra = {
    baseline: fullSummary(before, groups.before),
    optimized: fullSummary(after, groups.after),
  };
  comparison.baseline = extra.baseline;
  comparison.optimized = extra.optimized;
  const shared = EXTRA_ROWS.filter(([k]) =>
    typeof extra.baseline[k] === "number" && typeof extra.optimized[k] === "number"
  );
  for (const [k] of shared) comparison.delta[k] = extra.optimized[k]! - extra.baseline[k]!;
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
  if (shared.length > 0) io.out("\n" + extraTable(extra.baseline, extra.optimized, shared));
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

type ExtraKey = keyof OpenLoopSummary | keyof StreamingSummary;

/** Open-loop and streaming rows of the table, when both logs have them. */
const EXTRA_ROWS: ReadonlyArray<[ExtraKey, string]> = [
  ["sched_p50", "p50 from schedule (ms)"],
  ["sched_p95", "p95 from schedule (ms)"],
  ["sched_p99", "p99 from schedule (ms)"],
  ["lag_max", "max send lag (ms)"],
  ["late_requests", "late requests"],
  ["ttft_p50", "TTFT p50 (ms)"],
  ["ttft_p95", "TTFT p95 (ms)"],
  ["ttft_p99", "TTFT p99 (ms)"],
  ["itl_p50", "ITL p50 (ms)"],
  ["itl_p95", "ITL p95 (ms)"],
  ["tpot_p50", "TPOT p50 (ms)"],
  ["tpot_p95", "TPOT p95 (ms)"],
  ["output_tokens_per_s", "output tokens/s"],
];

function extraTable(
  b: FullSummary,
  o: FullSummary,
  rows: ReadonlyArray<[ExtraKey, string]>,
): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  const lines = [["", "baseline", "optimized", "delta"]];
  for (const [k, label] of rows) {
    const [x, y] = [b[k]!, o[k]!];
    const d = y - x;
    lines.push([label, f(x), f(y), `${d > 0 ? "+" : ""}${f(d)}`]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) =>
    l.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")
      .trimEnd()
  ).join("\n");
}

/** A closed-loop run bounded by time sends as many requests as fit. */
function isTimeBounded(load: LoadParams | null): boolean {
  return load !== null && load.duration_s !== undefined && load.load_model !== "open";
}

/**
 * For two runs bounded by time: every request id both sent has the same input
 * (both walk the same sequence of bodies; they differ only in how far they got).
 */
export function checkInputsPrefix(before: readonly Sample[], after: readonly Sample[]): Check {
  const other = new Map(after.map((s) => [s.requestId, s.inputSha256]));
  let common = 0;
  for (const s of before) {
    const t = other.get(s.requestId);
    if (t === undefined) continue;
    if (t !== s.inputSha256) {
      return { ok: false, detail: `request ${s.requestId} sent different inputs` };
    }
    common++;
  }
  if (common === 0) return { ok: false, detail: "no request id appears in both logs" };
  return {
    ok: true,
    detail: `${common} requests in both, same input digest for each; the runs were bounded ` +
      `by time and sent ${before.length} and ${after.length}`,
  };
}
