/**
 * `loadgate compare BEFORE.csv AFTER.csv`: the comparison, checks and gate on
 * any two logs written by `run` or the main job. Flags are parsed in
 * lib/cli/compare_args.ts.
 *
 * @module
 */

import { comparePhases } from "../verdict/compare.ts";
import { readLog } from "../log/csv_log.ts";
import { UsageError } from "../base/errors.ts";
import { gateComparison } from "./gate.ts";
import { compareGoodput, type GoodputComparison } from "../stats/proportion.ts";
import type { Slo } from "../stats/goodput.ts";
import { UNCERTAINTY_DEFAULTS } from "../verdict/uncertainty.ts";
import { fullSummary, groupsOfSamples, measured, requireMetrics } from "../stats/load_metrics.ts";
import { checkComparableLog } from "./input_checks.ts";
import { makeManifest } from "./manifest.ts";
import { comparisonReport, writeReports } from "./report_files.ts";
import type { Threshold } from "../verdict/threshold.ts";
import type { UncertaintyOptions } from "../verdict/uncertainty.ts";
import {
  addExtraMetrics,
  checkInputsPrefix,
  extraTable,
  isTimeBounded,
  loadParamsBeside,
} from "./compare_inputs.ts";

export { checkInputsPrefix, loadParamsBeside };

/** Options of {@linkcode compareCommand}. */
export interface CompareOptions {
  before: string;
  after: string;
  outDir: string;
  /** The SLA on AFTER: `--sla` and `--max-error-rate`, parsed once by the flag parser. */
  thresholds: Threshold[];
  /** Compare even when inputs or load parameters differ. */
  force: boolean;
  color: boolean;
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** Also write report.html. */
  html: boolean;
  /** Per-request SLOs (`--goodput`): goodput of both logs, compared with an interval. */
  goodput?: Slo[] | null;
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
  const slos = options.goodput ?? null;
  const groups = {
    before: { ...groupsOfSamples(before), goodput: slos },
    after: { ...groupsOfSamples(after), goodput: slos },
  };
  requireMetrics(options.thresholds.map((t) => t.metric), groups.after, `log "${options.after}"`);
  const load = {
    baseline: await loadParamsBeside(options.before),
    optimized: await loadParamsBeside(options.after),
  };
  const comparison = comparePhases(before, after, load);
  if (isTimeBounded(load.baseline) && isTimeBounded(load.optimized)) {
    comparison.checks.inputs_identical = checkInputsPrefix(before, after);
  }
  const extra = {
    baseline: fullSummary(before, groups.before),
    optimized: fullSummary(after, groups.after),
  };
  const shared = addExtraMetrics(comparison, extra);
  const { inputs_identical: inputs, conditions_match: conditions } = comparison.checks;
  if (!options.force && (!inputs.ok || (load.baseline && load.optimized && !conditions.ok))) {
    const why = !inputs.ok ? inputs.detail : conditions.detail;
    throw new UsageError(
      `Refusing to compare logs that differ (${why}); use --force to compare anyway`,
    );
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  const manifest = makeManifest({ command: "compare" });
  const good = slos
    ? compareGoodput(
      { good: extra.baseline.goodput_good ?? 0, requests: extra.baseline.requests },
      { good: extra.optimized.goodput_good ?? 0, requests: extra.optimized.requests },
      (options.uncertainty ?? UNCERTAINTY_DEFAULTS).confidence,
    )
    : null;
  const gate = await gateComparison({
    comparison,
    thresholds: options.thresholds,
    outDir: options.outDir,
    extra: {
      manifest,
      phases: { baseline: { log: options.before }, optimized: { log: options.after } },
      forced: options.force,
      ...(good ? { goodput: good } : {}),
    },
    color: options.color,
    out: io.out,
    samples: { baseline: before, optimized: after },
    ...(options.uncertainty ? { uncertainty: options.uncertainty } : {}),
  });
  if (shared.length > 0) io.out("\n" + extraTable(extra.baseline, extra.optimized, shared));
  if (good) io.out(goodputLine(good));
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

/** `goodput: 0.800 -> 0.970, change +0.170 [95% interval +0.088, +0.256]`. */
export function goodputLine(g: GoodputComparison): string {
  const r = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "-");
  const sr = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "-");
  const d = g.difference;
  return `goodput: ${r(g.baseline.ratio)} (${g.baseline.good} of ${g.baseline.requests}) -> ` +
    `${r(g.optimized.ratio)} (${g.optimized.good} of ${g.optimized.requests}), change ${
      sr(d.value)
    } [${Math.round(g.confidence * 1000) / 10}% interval ${sr(d.low)}, ${sr(d.high)}; Newcombe]`;
}
