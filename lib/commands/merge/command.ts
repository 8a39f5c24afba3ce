/**
 * `loadgate merge DIR...`: the shards of one run, merged exactly. Reads each
 * shard's summary and streams its log (bounded memory: 5 bytes a request in
 * the sample store, one bit an id), writes one merged log (send times on one
 * timeline from the earliest shard's start) and one summary with percentiles
 * over the union, and gates on `--sla` like `run`, with the merge's checks in
 * the verdict. Flags are parsed in lib/commands/merge/flags.ts.
 *
 * @module
 */

import { type PhaseSummary, summarize } from "../../stats/stats.ts";
import {
  type MergeCheck,
  mergeChecks,
  shardSetChecks,
  startSkewMs,
} from "../../verdict/merge_checks.ts";
import { ExitCode } from "../../base/errors.ts";
import {
  metricNames,
  parseSla,
  type Threshold,
  type ThresholdResult,
} from "../../verdict/threshold.ts";
import { judge } from "../../verdict/judge.ts";
import type { Verdict } from "../../verdict/verdict.ts";
import { mergeLines, mergeMarkdown } from "./text.ts";
import { type CiTargets, NO_CI_TARGETS, publishGate } from "../shared/ci_outputs.ts";
import { type MergedSummaryJson, writeMergedSummary } from "../shared/result_json.ts";
import { makeManifest } from "../shared/manifest.ts";
import { type MergedLogs, mergeLogs, readShards } from "./logs.ts";
import type { ShardInput } from "./shard_input.ts";

/** Options of {@linkcode mergeCommand}. */
export interface MergeOptions {
  /** One folder a shard. */
  dirs: string[];
  outDir: string;
  /** Name of the merged phase (its log is `<phase>.csv`). */
  phase: string;
  /** `--sla` and the error-rate gate, parsed once (see {@linkcode mergeThresholds}). */
  thresholds: Threshold[];
  /** A start skew above this is a warning, ms. */
  maxSkewMs: number;
}

/** The merge's thresholds: `--sla` and the error-rate gate, on the metrics a merge reports. */
export function mergeThresholds(sla: readonly string[], maxErrorRate: number): Threshold[] {
  return parseSla(sla, maxErrorRate, metricNames(summarize([])));
}

/** Default warning bound of the start skew, ms. */
export const DEFAULT_MAX_SKEW_MS = 500;

/** Merges, writes, prints; returns the exit code (0 pass, 1 a threshold or check failed). */
export async function mergeCommand(
  options: MergeOptions,
  io: { out: (line: string) => void; err: (line: string) => void; ci?: CiTargets },
): Promise<number> {
  const shards = await readShards(options.dirs);
  const refused = Object.entries(shardSetChecks(shards.map((s) => s.facts)))
    .filter(([, c]) => !c.ok).map(([name, c]) => `check ${name} failed: ${c.detail}`);
  if (refused.length > 0) {
    // Not one run's shards, each once: a merged log would be wrong (ids twice, gaps).
    io.err(`loadgate merge: FAIL, nothing merged or written: ${refused.join("; ")}`);
    return ExitCode.Fail;
  }
  const logPath = `${options.outDir}/${options.phase}.csv`;
  const partial = `${logPath}.partial`;
  let merged: MergedLogs;
  try {
    merged = await mergeLogs(shards, partial, options.phase);
  } catch (err) {
    await Deno.remove(partial).catch(() => {});
    throw err;
  }
  const summary = merged.store.summary();
  const checks = mergeChecks(shards.map((s) => s.facts), merged.ids, {
    maxSkewMs: options.maxSkewMs,
    boundedByTime: shards.some((s) => s.boundedByTime),
  });
  const { results, verdict, exitCode } = judge({
    thresholds: options.thresholds,
    summary,
    checks,
    interval: null,
    policy: "code",
  });
  await Deno.rename(partial, logPath);
  const judged = { summary, checks, results, verdict };
  const document = mergeDocument(options, shards, merged, judged);
  await writeMergedSummary(`${options.outDir}/${options.phase}.json`, document);
  const { phase, outDir } = options;
  for (const line of mergeLines({ ...judged, phase, outDir, shards: options.dirs.length })) {
    io.out(line);
  }
  const files = await publishGate(
    {
      command: "merge",
      results,
      checks,
      verdict,
      document,
      phases: [{ phase, target: shards[0]!.facts.url ?? "", summary }],
      markdown: mergeMarkdown(phase, results, verdict),
      timestamp: document.manifest.started_at,
      timeS: summary.duration_s,
    },
    io.ci ?? NO_CI_TARGETS,
    io.err,
  );
  if (files.length > 0) io.out(`wrote ${files.join(" and ")}`);
  return exitCode;
}

/** The merged summary JSON: the union's summary, the merge's checks and shards, the verdict. */
function mergeDocument(
  options: MergeOptions,
  shards: readonly ShardInput[],
  merged: MergedLogs,
  judged: {
    summary: PhaseSummary;
    checks: Record<string, MergeCheck>;
    results: ThresholdResult[];
    verdict: Verdict;
  },
): MergedSummaryJson {
  const { summary, checks, results, verdict } = judged;
  const first = shards[0]!.facts;
  return {
    phase: options.phase,
    log: `${options.phase}.csv`,
    url: first.url,
    interrupted: false,
    load: first.load,
    summary,
    checks,
    merge: {
      shards: shards.map((s, i) => ({
        index: s.facts.index,
        source: s.facts.source,
        rows: merged.rows[i],
        start: s.facts.start,
      })),
      skew_ms: startSkewMs(shards.map((s) => s.facts)),
      max_skew_ms: options.maxSkewMs,
    },
    sla: { thresholds: results },
    sla_met: results.every((r) => r.pass),
    verdict: verdict.state,
    reasons: verdict.reasons,
    verdict_basis: verdict.basis,
    manifest: makeManifest({
      command: "merge",
      workload_digest: first.workload_digest,
      merged_shards: shards.length,
    }),
  };
}
