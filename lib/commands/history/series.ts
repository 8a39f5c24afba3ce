/**
 * The runs `history trend`, `changes` and `report` read: those comparable with
 * `--run` (the newest run by default), and a metric's series over them.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import type { ComparableKey } from "../../history/record.ts";
import type { HistoryStore, SeriesPoint } from "../../history/store.ts";

/** The comparable key `--run` names (the newest run's by default); null on an empty store. */
export async function keyFor(
  store: HistoryStore,
  run: number | null,
): Promise<ComparableKey | null> {
  const key = await store.keyOfRun(run ?? undefined);
  if (key === null && run !== null) throw new UsageError(`No run #${run} in the history store`);
  return key;
}

/** A metric's series over the runs comparable with `--run`; a metric never recorded is an error. */
export async function seriesFor(
  store: HistoryStore,
  key: ComparableKey,
  metric: string,
  last: number | null,
): Promise<SeriesPoint[]> {
  const points = await store.series(metric, key, last ?? undefined);
  if (points.length === 0) {
    const known = await store.metrics(key);
    throw new UsageError(
      `No figure "${metric}" in the comparable runs; recorded: ${known.join(", ") || "none"}`,
    );
  }
  return points;
}
