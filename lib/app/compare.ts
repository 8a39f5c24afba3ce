/**
 * `loadgate compare BEFORE.csv AFTER.csv`: the comparison, checks and gate on
 * any two logs written by `run` or the main job. Flags are parsed in
 * lib/cli/compare_args.ts.
 *
 * @module
 */

import { comparePhases, type Comparison } from "../verdict/compare.ts";
import { UsageError } from "../base/errors.ts";
import { type Checks, requireChecks } from "../verdict/verdict.ts";
import { formatSummaryMarkdown } from "../report/summary_md.ts";
import { type AnyLog, errorsRecordedCheck, readAnyLog } from "./any_log.ts";
import { type CiTargets, NO_CI_TARGETS, publishGate } from "./ci_outputs.ts";
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

/** The format a foreign log was read as, for comparison.json's phases. */
function formatOf(log: AnyLog): { format?: string } {
  return log.foreign ? { format: log.foreign.format } : {};
}

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
  /** Read both logs as this foreign format instead of detecting each (`--format`). */
  format?: string;
  /** A check not made fails the gate (`--require-checks`). */
  requireChecks?: boolean;
  /** Per-request SLOs (`--goodput`): goodput of both logs, compared with an interval. */
  goodput?: Slo[] | null;
}

/** What {@linkcode compareCommand} writes to. */
export interface CompareIo {
  out: (line: string) => void;
  err?: (line: string) => void;
  /** JUnit, Prometheus, JSON on stdout, the job summary (none by default). */
  ci?: CiTargets;
}

/** Reads both logs (loadgate's or foreign), without warm-ups, each checked. */
async function readBoth(options: CompareOptions, out: (line: string) => void) {
  const read = async (path: string, phase: string): Promise<AnyLog> => {
    const log = await readAnyLog(path, {
      phase,
      ...(options.format === undefined ? {} : { format: options.format }),
    });
    if (log.foreign) {
      out(`read ${path} as ${log.foreign.format} (${log.samples.length} requests)`);
      for (const note of log.foreign.notes) out(`  note: ${note}`);
    }
    const samples = measured(log.samples);
    checkComparableLog(samples, path);
    return { ...log, samples };
  };
  return {
    before: await read(options.before, "baseline"),
    after: await read(options.after, "optimized"),
  };
}

/** The checks that gate: a foreign log's not-made checks added, all required under --require-checks. */
function gatedChecks(
  comparison: Comparison,
  logs: { before: AnyLog; after: AnyLog },
  options: CompareOptions,
): Comparison["checks"] & Checks {
  const silent = errorsRecordedCheck([
    { path: options.before, log: logs.before },
    { path: options.after, log: logs.after },
  ]);
  const checks = { ...comparison.checks, ...(silent ? { errors_recorded: silent } : {}) };
  return options.requireChecks ? requireChecks(checks) as typeof checks : checks;
}

/** Compares two logs; returns the exit code. */
export async function compareCommand(options: CompareOptions, io: CompareIo): Promise<number> {
  const logs = await readBoth(options, io.out);
  const [before, after] = [logs.before.samples, logs.after.samples];
  const slos = options.goodput ?? null;
  const groups = {
    before: { ...groupsOfSamples(before), goodput: slos },
    after: { ...groupsOfSamples(after), goodput: slos },
  };
  requireMetrics(options.thresholds.map((t) => t.metric), groups.after, `log "${options.after}"`);
  // A foreign log's neighbour JSON is that tool's, never loadgate's summary.
  const load = {
    baseline: logs.before.foreign ? null : await loadParamsBeside(options.before),
    optimized: logs.after.foreign ? null : await loadParamsBeside(options.after),
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
  comparison.checks = gatedChecks(comparison, logs, options);
  const { inputs_identical: inputs, conditions_match: conditions } = comparison.checks;
  // A check not made (even one --require-checks fails) is judged by the gate, not refused here.
  const differ = (inputs.made !== false && !inputs.ok) ||
    (load.baseline && load.optimized && !conditions.ok);
  if (!options.force && differ) {
    const why = !inputs.ok ? inputs.detail : conditions.detail;
    throw new UsageError(
      `Refusing to compare logs that differ (${why}); use --force to compare anyway`,
    );
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  const manifest = makeManifest({ command: "compare" });
  const earlier = await existing(options.outDir, ["comparison.json", "comparison.csv"]);
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
      phases: {
        baseline: { log: options.before, ...formatOf(logs.before) },
        optimized: { log: options.after, ...formatOf(logs.after) },
      },
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
  const report = comparisonReport({
    comparison,
    gate,
    phases: [
      { name: "baseline", detail: options.before, samples: before },
      { name: "optimized", detail: options.after, samples: after },
    ],
    manifest: { ...manifest, baseline_log: options.before, optimized_log: options.after },
  });
  const reports = options.html
    ? await writeReports(
      report,
      {
        outDir: options.outDir,
        html: true,
        markdown: false,
        stepSummary: null,
        err: io.err ?? (() => {}),
      },
    )
    : [];
  const ciFiles = await publishGate(
    {
      command: "compare",
      results: gate.sla.optimized,
      checks: comparison.checks,
      verdict: gate.verdict,
      document: gate.document,
      phases: [
        { phase: "baseline", target: options.before, summary: comparison.baseline },
        { phase: "optimized", target: options.after, summary: comparison.optimized },
      ],
      markdown: formatSummaryMarkdown(report),
      timestamp: manifest.started_at,
    },
    io.ci ?? NO_CI_TARGETS,
    io.err ?? (() => {}),
  );
  if (earlier.length > 0) io.err?.(`replaced the earlier ${earlier.join(", ")}`);
  io.out(
    `\nwrote ${options.outDir}/comparison.json and comparison.csv${
      [...reports, ...ciFiles].map((f) => ` and ${f}`).join("")
    }`,
  );
  return gate.exitCode;
}

/** Which of `names` are already in `dir`, as paths (none when the folder cannot be read). */
async function existing(dir: string, names: string[]): Promise<string[]> {
  const found = await Promise.all(
    names.map((n) => Deno.stat(`${dir}/${n}`).then(() => `${dir}/${n}`, () => null)),
  );
  return found.filter((p) => p !== null);
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
