/**
 * `loadgate sweep`: a series of phases at rising load (listed rates, a
 * search for the capacity at the SLA, or closed-loop concurrency levels),
 * each a full `run` phase under OUT/step-NN-<load>/; then the capacity at the
 * SLA, the knee, the gate on capacity, sweep.json, summary.md and report.html.
 * The decisions are lib/commands/sweep/capacity.ts's; flags are parsed in
 * lib/commands/sweep/flags.ts.
 *
 * @module
 */

import { ExitCode } from "../../base/errors.ts";
import { writeText } from "../shared/write_text.ts";
import { capacityGate, findKnee, gateExitCode, kneeMetric } from "./capacity.ts";
import { verdictLine } from "../../report/verdict_line.ts";
import { renderSweepHtml } from "./html.ts";
import { slaLines } from "../../report/html/data.ts";
import { alignTable, capacityLines, describeSweep, sweepMarkdown, sweepTable } from "./text.ts";
import type { VerdictState } from "../../verdict/verdict.ts";
import { sweepHead, sweepJsonOf } from "./json.ts";
import { type SweepJson, writeSweepJson } from "../shared/result_json.ts";
import type { SweepOptions } from "./options.ts";
import { runSweepSteps, type SweepIo } from "./series.ts";
import { publishSweep } from "./ci.ts";
import { NO_CI_TARGETS } from "../shared/ci_outputs.ts";

export type { SweepOptions };
export type { SweepIo };

/** Runs the sweep; returns the exit code (the gate's; 0 without one; 130 when stopped). */
export async function sweepCommand(o: SweepOptions, io: SweepIo): Promise<number> {
  for (const line of describeSweep(sweepHead(o), loadsText(o))) io.out(line);
  const { runs, result, stopped, overload } = await runSweepSteps(o, io);
  const gate = o.minCapacity === null || stopped ? null : capacityGate(result, o.minCapacity);
  const json = sweepJsonOf({
    options: o,
    runs,
    result,
    overload,
    knee: findKnee(result.steps, kneeMetric(o.shared.thresholds.map((t) => t.metric))),
    gate,
    stopped,
  });
  const written = await writeSweepFiles(o, json);
  const ciFiles = await publishSweep(
    json,
    sweepMarkdown(json, verdictWord(json)),
    io.ci ?? NO_CI_TARGETS,
    io.err,
  );
  const policy = o.shared.uncertainty?.inconclusive ?? "code";
  const exitCode = stopped
    ? ExitCode.Interrupted
    : gate
    ? gateExitCode(gate.state, policy)
    : ExitCode.Pass;
  for (const line of ["", ...alignTable(sweepTable(json)), ...capacityLines(json)]) io.out(line);
  io.out(finalLine(json, policy));
  const files = [...written.map((f) => `${o.outDir}/${f}`), ...ciFiles];
  io.out(`wrote ${files.join(" and ")} (each step in its folder)`);
  return exitCode;
}

function loadsText(o: SweepOptions): string {
  switch (o.mode.kind) {
    case "rates":
      return o.mode.rates.join(", ");
    case "concurrency":
      return o.mode.levels.join(", ");
    case "search":
      return `${o.mode.minRate}..${o.mode.maxRate} req/s (resolution ${o.mode.resolution})`;
  }
}

/** The gate's verdict line (the one renderer of verdict lines), or what the sweep found. */
function finalLine(j: SweepJson, policy: "code" | "fail" | "pass"): string {
  if (j.stopped) {
    return verdictLine({ state: "fail", basis: "point", reasons: [] }, {
      interrupted:
        `stopped in step ${j.stopped.step} at ${j.stopped.load} ${j.unit}; ${j.steps.length} steps finished and kept`,
    });
  }
  if (!j.gate) return "verdict: none (no --min-capacity gate; the capacity above is a measurement)";
  const state: VerdictState = j.gate.state;
  // The basis of the line is the gate's own (steps judged on intervals still make a point gate).
  return verdictLine({ state, basis: "point", reasons: [j.gate.reason] }, {
    policy,
    passDetail: j.gate.reason,
    confidence: j.confidence,
  });
}

/** The verdict as summary.md names it. */
function verdictWord(json: SweepJson): string {
  return json.verdict === "none" ? "no gate" : json.verdict.toUpperCase();
}

/** sweep.json, summary.md and (with --html) report.html; returns the names written. */
async function writeSweepFiles(o: SweepOptions, json: SweepJson): Promise<string[]> {
  await Deno.mkdir(o.outDir, { recursive: true });
  await writeSweepJson(`${o.outDir}/sweep.json`, json);
  await writeText(`${o.outDir}/summary.md`, sweepMarkdown(json, verdictWord(json)));
  const names = ["sweep.json", "summary.md"];
  if (o.shared.html) {
    await writeText(
      `${o.outDir}/report.html`,
      renderSweepHtml(json, slaLines(o.shared.thresholds)),
    );
    names.push("report.html");
  }
  return names;
}
