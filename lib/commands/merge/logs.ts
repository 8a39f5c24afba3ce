/**
 * `merge`'s reading of the shards: each shard's folder read and checked, and
 * every shard's log streamed into one merged log, the sample store and the id
 * tally (bounded memory: 5 bytes a request in the store, one bit an id).
 *
 * @module
 */

import { CsvLogWriter } from "../../log/csv/log.ts";
import { streamLog } from "../../log/log_stream.ts";
import { SampleStore } from "../../stats/sample_store.ts";
import { IdTally } from "../../verdict/merge_checks.ts";
import { readShardDir, type ShardInput } from "./shard_input.ts";

/** Reads every shard's folder, in shard order. */
export async function readShards(dirs: readonly string[]): Promise<ShardInput[]> {
  const shards: ShardInput[] = [];
  for (const dir of dirs) shards.push(await readShardDir(dir));
  return shards.sort((a, b) => a.facts.index - b.facts.index);
}

/** What the logs held, merged. */
export interface MergedLogs {
  store: SampleStore;
  ids: IdTally;
  rows: number[];
}

/**
 * Streams every shard's log into one merged log (at `path`), the sample store
 * and the id tally. Send times move onto one timeline: each shard's by its
 * start's distance from the earliest shard's start.
 */
export async function mergeLogs(
  shards: readonly ShardInput[],
  path: string,
  phase: string,
): Promise<MergedLogs> {
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
