/**
 * `loadgate merge DIR...`: the shards of one run, merged exactly. Reads each
 * shard's summary and streams its log (bounded memory: 5 bytes a request in
 * the sample store, one bit an id), writes one merged log (send times on one
 * timeline from the earliest shard's start) and one summary with percentiles
 * over the union, and gates on `--sla` like `run`, with the merge's checks in
 * the verdict. Flags are parsed in lib/cli/merge_args.ts.
 *
 * @module
 */

import { CsvLogWriter } from "../log/csv_log.ts";
import { streamLog } from "../log/log_stream.ts";
import { SampleStore } from "../stats/sample_store.ts";
import type { PhaseSummary } from "../stats/stats.ts";
import { IdTally, type MergeCheck, mergeChecks, startSkewMs } from "../verdict/merge_checks.ts";
import { metricNames, parseSla, type ThresholdResult } from "../verdict/threshold.ts";
import { judge } from "../verdict/judge.ts";
import { checkState, type Verdict } from "../verdict/verdict.ts";
import { type CiTargets, NO_CI_TARGETS, publishGate } from "./ci_outputs.ts";
import { verdictLine } from "../report/verdict_line.ts";
import { writeJson } from "./result_json.ts";
import { makeManifest } from "./manifest.ts";
import { readShardDir, type ShardInput } from "./shard_input.ts";

/** Options of {@linkcode mergeCommand}. */
export interface MergeOptions {
  /** One folder a shard. */
  dirs: string[];
  outDir: string;
  /** Name of the merged phase (its log is `<phase>.csv`). */
  phase: string;
  sla: string[];
  maxErrorRate: number;
  /** A start skew above this is a warning, ms. */
  maxSkewMs: number;
}

/** Default warning bound of the start skew, ms. */
export const DEFAULT_MAX_SKEW_MS = 500;

/** What the logs held, merged. */
interface MergedLogs {
  store: SampleStore;
  ids: IdTally;
  rows: number[];
}

/**
 * Streams every shard's log into one merged log (at `path`), the sample store
 * and the id tally. Send times move onto one timeline: each shard's by its
 * start's distance from the earliest shard's start.
 */
async function mergeLogs(shards: readonly ShardInput[], path: string, phase: string) {
  const starts = shards.map((s) => (s.facts.start ? Date.parse(s.facts.start.actual) : null));
  const known = starts.filter((t): t is number => t !== null);
  const origin = known.length > 0 ? Math.min(...known) : 0;
  const total = shards[0]?.facts.total_requests ?? 0;
  const merged: MergedLogs = { store: new SampleStore(total), ids: new IdTally(total), rows: [] };
  let writer: CsvLogWriter | null = null;
  try {
    for (const [i, shard] of shards.entries()) {
      const shift = starts[i] === null ? 0 : starts[i]! - origin;
      const { rows } = await streamLog(shard.logPath, (s) => {
        writer ??= CsvLogWriter.create(path, true);
        s.phase = phase;
        s.sentMs += shift;
        if (s.scheduledMs !== undefined) s.scheduledMs += shift;
        writer.write(s);
        if (s.warmup === true) return;
        merged.ids.add(s.requestId);
        merged.store.add(s);
      });
      merged.rows.push(rows);
    }
    writer ??= CsvLogWriter.create(path, true);
  } finally {
    (writer as CsvLogWriter | null)?.close();
  }
  return merged;
}

/** Merges, writes, prints; returns the exit code (0 pass, 1 a threshold or check failed). */
export async function mergeCommand(
  options: MergeOptions,
  io: { out: (line: string) => void; err: (line: string) => void; ci?: CiTargets },
): Promise<number> {
  const shards: ShardInput[] = [];
  for (const dir of options.dirs) shards.push(await readShardDir(dir));
  shards.sort((a, b) => a.facts.index - b.facts.index);
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
  const thresholds = parseSla(options.sla, options.maxErrorRate, metricNames(summary));
  const { results, verdict, exitCode } = judge({
    thresholds,
    summary,
    checks,
    interval: null,
    policy: "code",
  });
  await Deno.rename(partial, logPath);
  const first = shards[0]!.facts;
  const document = {
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
  await writeJson(`${options.outDir}/${options.phase}.json`, document);
  printMerge(options, summary, checks, results, verdict, io.out);
  const files = await publishGate(
    {
      command: "merge",
      results,
      checks,
      verdict,
      document,
      phases: [{ phase: options.phase, target: first.url ?? "", summary }],
      markdown: mergeMarkdown(options, results, verdict),
      timestamp: document.manifest.started_at,
      timeS: summary.duration_s,
    },
    io.ci ?? NO_CI_TARGETS,
    io.err,
  );
  if (files.length > 0) io.out(`wrote ${files.join(" and ")}`);
  return exitCode;
}

/** The job summary of a merge: the verdict line and the thresholds. */
function mergeMarkdown(
  options: MergeOptions,
  results: readonly ThresholdResult[],
  verdict: Verdict,
): string {
  const rows = results.map((r) =>
    `| ${r.expr} | ${r.actual === null ? "-" : Math.round(r.actual * 1000) / 1000} | ${
      r.pass ? "pass" : "**FAIL**"
    } |`
  );
  return [
    `### loadgate merge: ${verdict.state.toUpperCase()} (${options.phase})`,
    "",
    verdictLine(verdict),
    "",
    "| threshold | measured | |",
    "| --- | ---: | --- |",
    ...rows,
    "",
  ].join("\n");
}

function printMerge(
  options: MergeOptions,
  summary: PhaseSummary,
  checks: Record<string, MergeCheck>,
  results: readonly ThresholdResult[],
  verdict: Verdict,
  out: (line: string) => void,
): void {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  out(
    `${options.phase}: ${options.dirs.length} shards, ${summary.requests} requests, ${summary.ok} ok, ` +
      `${summary.failed} failed; p50 ${f(summary.p50)} ms, p95 ${f(summary.p95)} ms, p99 ${
        f(summary.p99)
      } ms`,
  );
  for (const [name, c] of Object.entries(checks)) {
    const s = checkState(c);
    const state = s === "not_made"
      ? "not made"
      : s === "failed"
      ? "FAIL"
      : c.warning
      ? "warn"
      : "ok";
    out(`check ${name}: ${state} (${c.detail})`);
  }
  for (const r of results) {
    out(
      `SLA ${r.expr}: ${r.pass ? "pass" : "FAIL"} (${
        r.actual === null ? "-" : Math.round(r.actual * 1000) / 1000
      })`,
    );
  }
  out(verdictLine(verdict));
  out(`wrote ${options.outDir}/${options.phase}.csv and ${options.outDir}/${options.phase}.json`);
}
