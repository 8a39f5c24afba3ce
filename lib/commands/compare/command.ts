/**
 * `loadgate compare BEFORE.csv AFTER.csv`: the comparison, checks and gate on
 * any two logs written by `run` or the main job. Flags are parsed in
 * lib/commands/compare/flags.ts.
 *
 * @module
 */

import { formatSummaryMarkdown } from "../../report/summary_md.ts";
import { goodputLine } from "./goodput_text.ts";
import type { AnyLog } from "./any_log.ts";
import { type CiTargets, NO_CI_TARGETS, publishGate } from "../shared/ci_outputs.ts";
import { extraTable } from "./inputs.ts";
import { type ComparedLogs, compareLogs } from "./logs.ts";
import type { CompareOptions } from "./options.ts";
import { gateComparison, type GateResult } from "../shared/gate.ts";
import { makeManifest, type Manifest } from "../shared/manifest.ts";
import { comparisonReport, writeReports } from "../shared/report_files.ts";

export type { CompareOptions } from "./options.ts";

/** What {@linkcode compareCommand} writes to. */
export interface CompareIo {
  out: (line: string) => void;
  err?: (line: string) => void;
  /** JUnit, Prometheus, JSON on stdout, the job summary (none by default). */
  ci?: CiTargets;
}

/** Compares two logs; returns the exit code. */
export async function compareCommand(options: CompareOptions, io: CompareIo): Promise<number> {
  const compared = await compareLogs(options, io.out);
  const { logs, before, after, comparison, extra, shared, good } = compared;
  await Deno.mkdir(options.outDir, { recursive: true });
  const manifest = makeManifest({ command: "compare" });
  const earlier = await existing(options.outDir, ["comparison.json", "comparison.csv"]);
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
  const written = await writeCompareOutputs(options, io, { compared, gate, manifest });
  if (earlier.length > 0) io.err?.(`replaced the earlier ${earlier.join(", ")}`);
  io.out(
    `\nwrote ${options.outDir}/comparison.json and comparison.csv${
      written.map((f) => ` and ${f}`).join("")
    }`,
  );
  return gate.exitCode;
}

/** The format a foreign log was read as, for comparison.json's phases. */
function formatOf(log: AnyLog): { format?: string } {
  return log.foreign ? { format: log.foreign.format } : {};
}

/** Writes report.html (with --html) and the CI outputs; returns the files written. */
async function writeCompareOutputs(
  options: CompareOptions,
  io: CompareIo,
  r: { compared: ComparedLogs; gate: GateResult; manifest: Manifest },
): Promise<string[]> {
  const { comparison, before, after } = r.compared;
  const { gate, manifest } = r;
  const err = io.err ?? (() => {});
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
    ? await writeReports(report, {
      outDir: options.outDir,
      html: true,
      markdown: false,
      stepSummary: null,
      err,
    })
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
    err,
  );
  return [...reports, ...ciFiles];
}

/** Which of `names` are already in `dir`, as paths (none when the folder cannot be read). */
async function existing(dir: string, names: string[]): Promise<string[]> {
  const found = await Promise.all(
    names.map((n) => Deno.stat(`${dir}/${n}`).then(() => `${dir}/${n}`, () => null)),
  );
  return found.filter((p) => p !== null);
}
