/**
 * `--history`: records what a command judged in the history store, once its
 * files are written. Loaded only when asked, with the store's driver.
 *
 * @module
 */

import { openHistory, shownLocation } from "../../history/open.ts";
import { recordOf } from "../../history/record.ts";
import { encodeDistribution } from "../../history/distribution.ts";
import type { HistoryTarget } from "./flags/history.ts";

/** What a command judged, as the history records it (a part of the CI outputs' GateOutput). */
export interface JudgedRun {
  command: string;
  /** The result document: a phase summary, comparison.json or sweep.json. */
  document: object;
  /** The phases, the gated one last. */
  phases: readonly { target: string }[];
  /** The gated phase's latencies, ms. */
  latencies?: ArrayLike<number>;
}

/** Records `gate` in the store; returns the line that says where. */
export async function recordInHistory(gate: JudgedRun, target: HistoryTarget): Promise<string> {
  const gated = gate.phases[gate.phases.length - 1];
  const record = recordOf(gate.document, {
    command: gate.command,
    labels: target.labels,
    recordedAt: new Date().toISOString(),
    ...(gated ? { target: gated.target } : {}),
    distribution: gate.latencies ? encodeDistribution(gate.latencies) : null,
  });
  const store = await openHistory(target.location);
  try {
    const id = await store.record(record);
    return `recorded run #${id} in ${shownLocation(target.location)}`;
  } finally {
    await store.db.close();
  }
}
