/**
 * `loadgate sweep`: a series of phases at rising load (listed rates, a
 * search for the capacity at the SLA, or closed-loop concurrency levels),
 * each a full `run` phase under OUT/step-NN-<load>/; then the capacity at the
 * SLA, the knee, the gate on capacity, sweep.json, summary.md and report.html.
 * The decisions are lib/verdict/capacity.ts's; flags are parsed in
 * lib/cli/sweep_args.ts.
 *
 * @module
 */

import { ExitCode } from "../base/errors.ts";
import {
  capacityGate,
  capacityOf,
  type CapacityResult,
  countStep,
  DEFAULT_OVERLOAD,
  findKnee,
  gateExitCode,
  type OverloadLimits,
  type Probe,
  searchCapacity,
  sweepRates,
} from "../verdict/capacity.ts";
import { verdictLine } from "../report/verdict_line.ts";
import { renderSweepHtml } from "../report/sweep_html.ts";
import { slaLines } from "../report/html_data.ts";
import {
  alignTable,
  capacityLines,
  describeSweep,
  stepLine,
  sweepMarkdown,
  sweepTable,
} from "../report/sweep_text.ts";
import type { InconclusivePolicy, VerdictState } from "../verdict/verdict.ts";
import {
  stepJsonOf,
  sweepHead,
  type SweepJson,
  sweepJsonOf,
  writeSweepJson,
} from "./sweep_json.ts";
import { type SweepOptions, unitOf } from "./sweep_options.ts";
import { runStep, type StepRun } from "./sweep_step.ts";

export type { SweepOptions };

/** Where a sweep writes and what may stop it. */
export interface SweepIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stop: AbortSignal;
}

/** Thrown by the probe when the sweep is stopped in a step. */
class SweepStopped extends Error {
  constructor(readonly step: number, readonly load: number) {
    super(`stopped in step ${step}`);
  }
}

/** Runs the sweep; returns the exit code (the gate's; 0 without one; 130 when stopped). */
export async function sweepCommand(o: SweepOptions, io: SweepIo): Promise<number> {
  const overload = overloadOf(o);
  const unit = unitOf(o.mode);
  for (const line of describeSweep(sweepHead(o), loadsText(o))) io.out(line);
  const runs: StepRun[] = [];
  const probe: Probe = async (load, { index }) => {
    if (index > 0 && o.coolDownMs > 0) await abortableSleep(o.coolDownMs, io.stop);
    if (io.stop.aborted) throw new SweepStopped(index + 1, load);
    const { step, interrupted } = await runStep({ sweep: o, index, load, overload, ...io });
    if (interrupted) throw new SweepStopped(index + 1, load);
    runs.push(step);
    const counted = countStep(step, sweepCounting(o, overload));
    io.out(stepLine(stepJsonOf(counted, step, index + 1), unit));
    return step;
  };
  let result: CapacityResult;
  let stopped: { step: number; load: number } | null = null;
  try {
    result = await runSteps(o, probe, overload);
  } catch (err) {
    if (!(err instanceof SweepStopped)) throw err;
    stopped = { step: err.step, load: err.load };
    result = capacityOf(runs.map((r) => countStep(r, sweepCounting(o, overload))));
  }
  const gate = o.minCapacity === null || stopped ? null : capacityGate(result, o.minCapacity);
  const json = sweepJsonOf({
    options: o,
    runs,
    result,
    overload,
    knee: findKnee(result.steps, "p95Ms"),
    gate,
    stopped,
  });
  const written = await writeSweepFiles(o, json);
  const policy = o.base.uncertainty?.inconclusive ?? "code";
  const exitCode = stopped
    ? ExitCode.Interrupted
    : gate
    ? gateExitCode(gate.state, policy)
    : ExitCode.Pass;
  for (const line of ["", ...alignTable(sweepTable(json)), ...capacityLines(json)]) io.out(line);
  io.out(finalLine(json, policy));
  io.out(`wrote ${o.outDir}/${written.join(` and ${o.outDir}/`)} (each step in its folder)`);
  return exitCode;
}

type SweepCounting = { overload: OverloadLimits; inconclusive: InconclusivePolicy };

/** The listed steps, or the search. */
function runSteps(
  o: SweepOptions,
  probe: Probe,
  overload: OverloadLimits,
): Promise<CapacityResult> {
  const counting = sweepCounting(o, overload);
  switch (o.mode.kind) {
    case "rates":
      return sweepRates(o.mode.rates, probe, counting);
    case "concurrency":
      return sweepRates(o.mode.levels, probe, counting);
    case "search":
      return searchCapacity(probe, { ...counting, ...o.mode });
  }
}

function sweepCounting(o: SweepOptions, overload: OverloadLimits): SweepCounting {
  return { overload, inconclusive: o.base.uncertainty?.inconclusive ?? "code" };
}

/** A closed loop has no schedule to fall behind and no offered rate to miss. */
function overloadOf(o: SweepOptions): OverloadLimits {
  return o.mode.kind === "concurrency"
    ? { scheduleLagMs: Infinity, errorRate: DEFAULT_OVERLOAD.errorRate, achievedShare: 0 }
    : DEFAULT_OVERLOAD;
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

/** sweep.json, summary.md and (with --html) report.html; returns the names written. */
async function writeSweepFiles(o: SweepOptions, json: SweepJson): Promise<string[]> {
  await Deno.mkdir(o.outDir, { recursive: true });
  await writeSweepJson(`${o.outDir}/sweep.json`, json);
  const verdict = json.verdict === "none" ? "no gate" : json.verdict.toUpperCase();
  await Deno.writeTextFile(`${o.outDir}/summary.md`, sweepMarkdown(json, verdict));
  const names = ["sweep.json", "summary.md"];
  if (o.base.html) {
    await Deno.writeTextFile(
      `${o.outDir}/report.html`,
      renderSweepHtml(json, slaLines(o.base.thresholds)),
    );
    names.push("report.html");
  }
  return names;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
