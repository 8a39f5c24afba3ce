/**
 * `compare`'s inputs made into one checked comparison: both logs read
 * (loadgate's or foreign, without warm-ups), the load parameters beside them,
 * the extra metrics, goodput, and the checks that gate. Logs that differ are
 * refused here (exit 2) unless forced.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { compareGoodput, type GoodputComparison } from "../../stats/proportion.ts";
import { goodput, type Slo } from "../../stats/goodput.ts";
import { llmRequest } from "../../stats/llm/summary.ts";
import {
  type FullSummary,
  fullSummary,
  groupsOfSamples,
  measured,
  requireMetrics,
} from "../../stats/load_metrics.ts";
import type { Sample } from "../../stats/sample.ts";
import { comparePhases, type Comparison, defaultOutputCheck } from "../../verdict/compare.ts";
import { UNCERTAINTY_DEFAULTS } from "../../verdict/uncertainty.ts";
import { type Checks, requireChecks } from "../../verdict/verdict.ts";
import { type AnyLog, errorsRecordedCheck, readAnyLog } from "./any_log.ts";
import {
  addExtraMetrics,
  checkInputsPrefix,
  type ExtraKey,
  isTimeBounded,
  loadParamsBeside,
} from "./inputs.ts";
import type { CompareOptions } from "./options.ts";
import { checkComparableLog } from "../shared/input_checks.ts";

/** Both logs compared and checked, with what the outputs add beside the comparison. */
export interface ComparedLogs {
  logs: { before: AnyLog; after: AnyLog };
  before: Sample[];
  after: Sample[];
  comparison: Comparison;
  /** Full summaries of both logs (for the extra-metrics table). */
  extra: { baseline: FullSummary; optimized: FullSummary };
  /** The extra metrics both logs have (the table's rows). */
  shared: ReadonlyArray<[ExtraKey, string]>;
  /** `--goodput`: both ratios and the interval of their difference, or null. */
  good: GoodputComparison | null;
}

/** Reads both logs and compares them; throws UsageError for logs that differ unless forced. */
export async function compareLogs(
  options: CompareOptions,
  out: (line: string) => void,
): Promise<ComparedLogs> {
  const logs = await readBoth(options, out);
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
  const outputs = options.outputCheck ?? defaultOutputCheck(before, after);
  const comparison = comparePhases(before, after, load, outputs);
  if (isTimeBounded(load.baseline) && isTimeBounded(load.optimized)) {
    comparison.checks.inputs_identical = checkInputsPrefix(before, after);
  }
  const extra = {
    baseline: fullSummary(before, groups.before),
    optimized: fullSummary(after, groups.after),
  };
  const shared = addExtraMetrics(comparison, extra);
  comparison.checks = gatedChecks(comparison, logs, options);
  refuseDiffering(comparison, Boolean(load.baseline && load.optimized), options.force);
  if (slos) {
    goodputMeasurable(before, slos, options.before);
    goodputMeasurable(after, slos, options.after);
  }
  const good = slos
    ? compareGoodput(
      { good: extra.baseline.goodput_good ?? 0, requests: extra.baseline.requests },
      { good: extra.optimized.goodput_good ?? 0, requests: extra.optimized.requests },
      (options.uncertainty ?? UNCERTAINTY_DEFAULTS).confidence,
    )
    : null;
  return { logs, before, after, comparison, extra, shared, good };
}

/** A log on which no request has a value for every `--goodput` SLO cannot back a goodput. */
function goodputMeasurable(samples: readonly Sample[], slos: readonly Slo[], path: string): void {
  if (goodput(samples.map(llmRequest), slos, 1).judged > 0) return;
  throw new UsageError(
    `Cannot judge --goodput on log "${path}": no request has a value for every SLO ` +
      "(a TPOT needs a streamed answer: chunks and a TTFT in the log)",
  );
}

/**
 * Logs with other inputs or load are refused unless forced. A check not made (even one
 * --require-checks fails) is judged by the gate, not refused here.
 */
function refuseDiffering(comparison: Comparison, bothHaveLoad: boolean, force: boolean): void {
  const { inputs_identical: inputs, conditions_match: conditions } = comparison.checks;
  const differ = (inputs.made !== false && !inputs.ok) || (bothHaveLoad && !conditions.ok);
  if (!force && differ) {
    const why = !inputs.ok ? inputs.detail : conditions.detail;
    throw new UsageError(
      `Refusing to compare logs that differ (${why}); use --force to compare anyway`,
    );
  }
}

/** Reads both logs (loadgate's or foreign), without warm-ups, each checked. */
async function readBoth(
  options: CompareOptions,
  out: (line: string) => void,
): Promise<{ before: AnyLog; after: AnyLog }> {
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
    if (log.foreign && log.foreign.samples.length === 0 && log.foreign.aggregates) {
      throw new UsageError(
        `Cannot compare "${path}": it holds ${log.foreign.format}'s aggregates only, no ` +
          "per-request data (rerun vLLM with --save-detailed; loadgate import keeps the aggregates)",
      );
    }
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
