/**
 * Shards: one run's workload split over N processes so that the union of the
 * shards is exactly the single-process run. Request ids stay global.
 *
 * - Closed loop: requests and concurrency are split as evenly as possible, the
 *   remainders going one each to the first shards; shard i sends the
 *   contiguous id range that follows shard i-1's.
 * - Open loop: one seeded global arrival schedule; arrival k (id k, at the
 *   global time schedule[k]) goes to shard k mod N.
 *
 * Pure: the shard index comes from the flag or from an injected environment
 * (`JOB_COMPLETION_INDEX`, set by Kubernetes in each pod of an Indexed Job).
 *
 * @example
 * ```ts
 * const shard = parseShard("4", (k) => ({ JOB_COMPLETION_INDEX: "1" })[k]); // { index: 1, count: 4 }
 * closedLoopShare({ requests: 10, concurrency: 8 }, shard); // { requests: 3, concurrency: 2, firstId: 3 }
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** One shard of a run: `index` of `count` (0-based). */
export interface Shard {
  index: number;
  count: number;
}

/** The environment variable Kubernetes sets in each pod of an Indexed Job. */
export const SHARD_INDEX_ENV = "JOB_COMPLETION_INDEX";

/** Most shards a run may be split into. */
export const MAX_SHARDS = 10_000;

const DIGITS = /^\d{1,6}$/;

/**
 * Parses `--shard I/N`, or `--shard N` with I read from `JOB_COMPLETION_INDEX`
 * through `env`. Throws {@linkcode UsageError} naming the bad value.
 */
export function parseShard(text: string, env: (name: string) => string | undefined): Shard {
  const t = text.trim();
  const slash = t.indexOf("/");
  const countText = slash < 0 ? t : t.slice(slash + 1);
  if (!DIGITS.test(countText) || Number(countText) < 1 || Number(countText) > MAX_SHARDS) {
    throw new UsageError(
      `Cannot parse --shard: "${text}" is not I/N or N with N a whole number in 1..${MAX_SHARDS}`,
    );
  }
  const count = Number(countText);
  let indexText: string;
  let source: string;
  if (slash < 0) {
    const fromEnv = env(SHARD_INDEX_ENV);
    if (fromEnv === undefined) {
      throw new UsageError(
        `Cannot use --shard ${t} without an index: give --shard I/${t} or set ${SHARD_INDEX_ENV}`,
      );
    }
    indexText = fromEnv.trim();
    source = `${SHARD_INDEX_ENV}="${fromEnv}"`;
  } else {
    indexText = t.slice(0, slash);
    source = `--shard "${text}"`;
  }
  if (!DIGITS.test(indexText) || Number(indexText) >= count) {
    throw new UsageError(
      `Cannot parse ${source}: the index must be a whole number in 0..${count - 1}`,
    );
  }
  return { index: Number(indexText), count };
}

/** Shard `index`'s part of `total` things split over `count`, remainders to the first shards. */
export function splitCount(total: number, count: number, index: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}

/** The first id of shard `index`'s contiguous part of `total` (the parts of earlier shards before it). */
export function firstIdOf(total: number, count: number, index: number): number {
  return index * Math.floor(total / count) + Math.min(index, total % count);
}

/** The global closed-loop load to split. */
export interface ClosedLoopTotal {
  requests: number;
  concurrency: number;
}

/** One shard's closed-loop share: ids `firstId .. firstId + requests - 1`, its workers. */
export interface ClosedLoopShare {
  requests: number;
  concurrency: number;
  firstId: number;
}

/**
 * Shard `shard`'s share of a closed loop. Every shard needs a worker and a
 * request, so concurrency and requests must each be at least the shard count.
 */
export function closedLoopShare(total: ClosedLoopTotal, shard: Shard): ClosedLoopShare {
  const { count, index } = shard;
  for (const [name, value] of [["concurrency", total.concurrency], ["requests", total.requests]]) {
    if ((value as number) < count) {
      throw new UsageError(
        `Cannot split --${name} ${value} over ${count} shards: each shard needs at least one`,
      );
    }
  }
  return {
    requests: splitCount(total.requests, count, index),
    concurrency: splitCount(total.concurrency, count, index),
    firstId: firstIdOf(total.requests, count, index),
  };
}

/** One shard's open-loop share: global ids and their global scheduled times (ms). */
export interface OpenLoopShare {
  ids: Uint32Array;
  times: Float64Array;
}

/** Shard `shard`'s arrivals of the global `schedule`: arrival k goes to shard k mod N. */
export function openLoopShare(schedule: Float64Array, shard: Shard): OpenLoopShare {
  const n = splitCount(schedule.length, shard.count, shard.index);
  const ids = new Uint32Array(n);
  const times = new Float64Array(n);
  for (let j = 0, k = shard.index; j < n; j++, k += shard.count) {
    ids[j] = k;
    times[j] = schedule[k]!;
  }
  return { ids, times };
}

/** The request ids a shard sends, in order (closed loop: a range; open loop: every N-th). */
export function shardIds(
  model: "closed" | "open",
  total: number,
  shard: Shard,
): { first: number; step: number; n: number } {
  const n = splitCount(total, shard.count, shard.index);
  return model === "closed"
    ? { first: firstIdOf(total, shard.count, shard.index), step: 1, n }
    : { first: shard.index, step: shard.count, n };
}

/**
 * What a shard records in its summary's manifest (`manifest.shard`), and what
 * `merge` checks: which shard of how many, how ids were split, the run's
 * total requests (the expected ids are 0 .. total_requests - 1), the shard's
 * own share, the workload digest, and the coordinated start when there was one.
 */
export interface ShardManifest {
  index: number;
  count: number;
  /** `contiguous`: closed loop, an id range; `modulo`: open loop, ids k with k mod count = index. */
  split: "contiguous" | "modulo";
  /** Requests of the whole run over all shards (with a duration, its upper bound). */
  total_requests: number;
  /** This shard's planned requests. */
  requests: number;
  /** This shard's closed-loop workers (absent in the open loop). */
  concurrency?: number;
  /** The global workload's digest (every shard builds the same workload). */
  workload_digest: string;
  /** The coordinated start (`--start-at`), or null when the shard started at once. */
  start: { target: string; actual: string; offset_ms: number } | null;
}

/** The manifest field of a shard (see {@linkcode ShardManifest}). */
export function shardManifest(o: {
  shard: Shard;
  model: "closed" | "open";
  totalRequests: number;
  concurrency?: number;
  workloadDigest: string;
  start: ShardManifest["start"];
}): ShardManifest {
  const { shard, model, totalRequests } = o;
  return {
    index: shard.index,
    count: shard.count,
    split: model === "closed" ? "contiguous" : "modulo",
    total_requests: totalRequests,
    requests: splitCount(totalRequests, shard.count, shard.index),
    ...(model === "closed" && o.concurrency !== undefined
      ? { concurrency: splitCount(o.concurrency, shard.count, shard.index) }
      : {}),
    workload_digest: o.workloadDigest,
    start: o.start,
  };
}
