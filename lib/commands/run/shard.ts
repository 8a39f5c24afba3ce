/**
 * What `run --shard` and `--start-at` add around the one phase: the wait for
 * the coordinated start (on the wall clock, abortable), and the manifest
 * fields that `merge` reads (`manifest.shard`, or `manifest.start` for a
 * coordinated start without shards).
 *
 * @module
 */

import { abortableSleep } from "../../base/abortable_sleep.ts";
import type { LoadPlan } from "../../load/load_plan.ts";
import { plannedRequests } from "../../load/load_plan.ts";
import { type Shard, shardManifest } from "../../load/shard.ts";
import { type StartRecord, waitUntil } from "../../load/start_at.ts";

/** What a run's shard and start are: `--shard` (the plan's) and `--start-at`. */
export interface ShardStart {
  shard?: Shard | undefined;
  /** `--start-at`, epoch ms. */
  startAtMs?: number | undefined;
}

/**
 * Waits until `options.startAtMs` (bounded: the flag parser allows at most a
 * day ahead, and `stop` ends the wait); null without `--start-at` or when
 * stopped before the start.
 */
export async function coordinatedStart(
  options: Pick<ShardStart, "startAtMs">,
  stop: AbortSignal,
): Promise<StartRecord | null> {
  if (options.startAtMs === undefined) return null;
  return await waitUntil(options.startAtMs, {
    now: Date.now,
    sleep: (ms) => abortableSleep(ms, stop),
  }, stop);
}

/** The manifest fields of a shard or of a coordinated start; none for a plain run. */
export function shardFields(o: {
  options: ShardStart;
  plan: LoadPlan;
  workloadDigest: string;
  start: StartRecord | null;
}): Record<string, unknown> {
  const { options, plan } = o;
  if (!options.shard) return options.startAtMs === undefined ? {} : { start: o.start };
  return {
    shard: shardManifest({
      shard: options.shard,
      model: plan.kind === "closed" ? "closed" : "open",
      totalRequests: plannedRequests(plan),
      ...(plan.kind === "closed" ? { concurrency: plan.concurrency } : {}),
      workloadDigest: o.workloadDigest,
      start: o.start,
    }),
  };
}

/** One line on stderr saying which shard this is and when it started. */
export function shardLine(
  options: Pick<ShardStart, "shard"> & { phase: string },
  own: number,
  total: number,
  start: StartRecord | null,
): string | null {
  const at = start ? `, started at ${start.actual} (${start.offset_ms} ms after the target)` : "";
  if (!options.shard) return start ? `${options.phase}: coordinated start${at}` : null;
  const { index, count } = options.shard;
  return `${options.phase}: shard ${index} of 0..${count - 1}, ${own} of ${total} requests${at}`;
}
