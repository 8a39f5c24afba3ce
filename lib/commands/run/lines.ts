/**
 * The lines `run` prints: the notes about the client before the phase, and
 * the result block after it (results, stages, SLA rows, intervals, verdict).
 *
 * @module
 */

import {
  percentileKey,
  type PercentileTable,
  percentileTable,
} from "../../stats/percentile_table.ts";
import type { PhaseOutcome } from "../../load/phase_runner.ts";
import { resultLines, slaResultLines } from "./text.ts";
import { stageLines } from "./stages_text.ts";
import { sessionLines } from "../../stats/llm/session_summary.ts";
import { steadyLine } from "../../stats/steady_window.ts";
import { formatPhaseUncertainty } from "../../report/uncertainty_report.ts";
import { verdictLine } from "../../report/verdict_line.ts";
import { HISTOGRAM_PRECISION } from "../../stats/histogram/hdr_histogram.ts";
import type { RunEvaluation } from "./evaluate.ts";
import type { RunClient } from "./phase.ts";
import type { RunSetup } from "./setup.ts";
import type { RunCommandOptions } from "./options.ts";

/** The result block `run` prints after its phase, ending with the verdict line. */
export function runResultLines(
  setup: Pick<RunSetup, "groups" | "own" | "outputs" | "shape">,
  ev: RunEvaluation,
  outcome: Pick<PhaseOutcome, "capWaits" | "interrupted">,
): string[] {
  const { summary, uOptions } = ev;
  return [
    ...resultLines({
      phase: setup.outputs.phase,
      summary,
      groups: setup.groups,
      warmups: ev.warmups,
      behind: ev.behind,
      capWaits: outcome.capWaits,
      maxInFlight: setup.shape.openLoop?.maxInFlight ?? null,
      ...(setup.outputs.tokensBy ? { tokensBy: setup.outputs.tokensBy } : {}),
    }),
    ...(setup.outputs.percentiles && ev.measured.length > 0
      ? percentileLines(percentileTable(ev.measured, setup.outputs.percentiles))
      : []),
    ...(ev.stages ? stageLines(ev.stages) : []),
    ...(ev.sessions ? sessionLines(ev.sessions) : []),
    ...(ev.steady ? [steadyLine(ev.steady, summary)] : []),
    ...slaResultLines(ev.judged.results),
    ...formatPhaseUncertainty(ev.uncertainty, uOptions),
    verdictLine(ev.judged.verdict, {
      confidence: uOptions.confidence,
      policy: uOptions.inconclusive,
      ...(outcome.interrupted
        ? { interrupted: `${summary.requests} of ${setup.own} requests finished` }
        : {}),
    }),
  ];
}

/** `--percentiles`: a line per latency metric, `  ttft (ms): p50 12.1, p99.9 40.2 (120 values)`. */
export function percentileLines(t: PercentileTable): string[] {
  return Object.entries(t.metrics).map(([metric, row]) => {
    const values = t.percentiles.map((p) => {
      const v = row[percentileKey(p)]!;
      return `${percentileKey(p)} ${Number.isFinite(v) ? v.toFixed(1) : "-"}`;
    });
    return `  ${metric} (ms): ${values.join(", ")} (${row.count} values)`;
  });
}

/**
 * Without `--sla`, the SLA the run gates on, said as the default it is; with
 * `--goodput` alone, how to gate on goodput (it is reported, not gated).
 */
export function slaNote(
  options: Pick<RunCommandOptions, "slaDefault" | "thresholds" | "goodput">,
): string | null {
  if (!options.slaDefault) return null;
  const gated = options.thresholds.map((t) => t.expr).join(" and ");
  const good = options.goodput
    ? "; --goodput is reported, not gated: add --sla 'goodput_ratio>=0.95' to gate on it"
    : "";
  return `SLA: ${gated} (the default: no --sla given${good})`;
}

/** What the user must know about the client before the run: no verification, a histogram. */
export function clientNotes(client: Pick<RunClient, "insecure" | "histogram">): string[] {
  const notes: string[] = [];
  if (client.insecure) {
    notes.push(
      "WARNING: --insecure: the server's TLS certificate is NOT verified; anyone on the path " +
        "can answer for it",
    );
  }
  if (client.histogram) {
    notes.push(`latencies kept in a histogram: percentiles are ${HISTOGRAM_PRECISION}`);
  }
  return notes;
}
