/**
 * The lines `run` prints: the notes about the client before the phase, and
 * the result block after it (results, stages, SLA rows, intervals, verdict).
 *
 * @module
 */

import type { PhaseOutcome } from "../../load/phase_runner.ts";
import { resultLines, slaResultLines } from "./text.ts";
import { stageLines } from "./stages_text.ts";
import { formatPhaseUncertainty } from "../../report/uncertainty_report.ts";
import { verdictLine } from "../../report/verdict_line.ts";
import { HISTOGRAM_PRECISION } from "../../stats/hdr_histogram.ts";
import type { RunEvaluation } from "./evaluate.ts";
import type { RunClient } from "./phase.ts";
import type { RunSetup } from "./setup.ts";

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
    }),
    ...(ev.stages ? stageLines(ev.stages) : []),
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
