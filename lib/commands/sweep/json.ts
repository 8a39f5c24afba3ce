/**
 * `sweep.json` built from what the capacity search found and how the steps
 * ran. Its shape and its writer are in lib/commands/shared/result_json.ts
 * (`SweepJson`, `writeSweepJson`), documented in docs/json-sweep.md.
 *
 * @module
 */

import type { CapacityGate, CapacityResult, Knee, OverloadLimits, StepRecord } from "./capacity.ts";
import { makeManifest } from "../shared/manifest.ts";
import type { SweepJson, SweepStepJson, SweepStepLlm } from "../shared/result_json.ts";
import type { StepRun } from "./step.ts";
import type { SweepOptions } from "./options.ts";
import { unitOf } from "./options.ts";

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** One step of sweep.json: how the search counted it (`s`) and where it ran (`run`). */
export function stepJsonOf(s: StepRecord, run: StepRun | undefined, step: number): SweepStepJson {
  return {
    step,
    dir: run?.dir ?? "",
    load: s.rate,
    achieved_rate: s.achievedRate,
    requests: s.requests,
    p50: num(s.p50Ms),
    p95: num(s.p95Ms),
    p99: num(s.p99Ms),
    error_rate: s.errorRate,
    schedule_lag_p99_ms: s.scheduleLagMs,
    sla: s.sla,
    conclusive: s.conclusive,
    counted: s.counted,
    overloaded: s.overloaded,
    cut_short: s.cutShort ?? null,
    reasons: run?.reasons ?? [],
    missed: s.missed ?? [],
    llm: stepLlmOf(s.metrics ?? {}),
  };
}

/** The streaming and token figures of a step's summary; null when it has neither. */
function stepLlmOf(m: Readonly<Record<string, number>>): SweepStepLlm | null {
  if (m.ttft_p50 === undefined && m.output_tokens_per_s === undefined) return null;
  const pcts = (name: string) => ({
    p50: num(m[`${name}_p50`] ?? NaN),
    p95: num(m[`${name}_p95`] ?? NaN),
    p99: num(m[`${name}_p99`] ?? NaN),
  });
  return {
    ttft: pcts("ttft"),
    tpot: pcts("tpot"),
    itl: pcts("itl"),
    output_tokens_per_s: num(m.output_tokens_per_s ?? NaN),
  };
}

/** The plan and target part of sweep.json (known before the first step). */
export function sweepHead(
  o: SweepOptions,
): Pick<SweepJson, "command" | "mode" | "unit" | "url" | "sla" | "step_plan"> {
  return {
    command: "sweep",
    mode: o.mode.kind,
    unit: unitOf(o.mode),
    url: o.shared.url,
    sla: o.shared.thresholds.map((t) => t.expr),
    step_plan: {
      duration_s: o.stepDurationS,
      requests: o.stepRequests,
      warmup_requests: o.shared.warmup,
      cool_down_s: o.coolDownMs / 1000,
    },
  };
}

/** sweep.json from the options, the steps as they ran, the result, the knee and the gate. */
export function sweepJsonOf(input: {
  options: SweepOptions;
  runs: readonly StepRun[];
  result: CapacityResult;
  overload: OverloadLimits;
  knee: Knee;
  gate: CapacityGate | null;
  stopped: { step: number; load: number } | null;
}): SweepJson {
  const { options: o, result } = input;
  const u = o.shared.uncertainty;
  const steps = result.steps.map((s, i) => stepJsonOf(s, input.runs[i], i + 1));
  return {
    ...sweepHead(o),
    verdict_basis: u?.verdict ?? "point",
    confidence: u?.confidence ?? 0.95,
    overload: {
      schedule_lag_ms: num(input.overload.scheduleLagMs),
      error_rate: input.overload.errorRate,
      achieved_share: input.overload.achievedShare,
    },
    capacity: result.capacity,
    lowest_failed: result.lowestFailed,
    resolution: result.resolution,
    non_monotone: result.nonMonotone,
    skipped: result.skipped,
    knee: {
      load: input.knee.rate,
      metric: input.knee.metric,
      elasticities: input.knee.elasticities.map(num),
    },
    steps,
    gate: input.gate && o.minCapacity !== null
      ? { min_capacity: o.minCapacity, state: input.gate.state, reason: input.gate.reason }
      : null,
    verdict: input.stopped ? "interrupted" : input.gate?.state ?? "none",
    stopped: input.stopped,
    manifest: { ...makeManifest({ command: "sweep", seed: o.shared.seed }) },
  };
}
