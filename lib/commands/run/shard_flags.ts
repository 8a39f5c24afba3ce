/**
 * The flags of `run` that make it one shard of a distributed run:
 * `--shard I/N` (or `--shard N`, I from `JOB_COMPLETION_INDEX`) and
 * `--start-at TIME`. Spread into `run`'s spec, like the uncertainty flags.
 *
 * @module
 */

import type { FlagSpec, FlagValues } from "../../base/flags.ts";
import { str } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { closedLoopShare, parseShard, type Shard, SHARD_INDEX_ENV } from "../../load/shard.ts";
import { parseStartAt } from "../../load/start_at.ts";

/** Flag definitions, to spread into `run`'s. */
export const SHARD_FLAGS: FlagSpec = {
  shard: {
    type: "string",
    arg: "I/N",
    help: "run shard I (0-based) of N; --shard N takes I from\n" +
      `${SHARD_INDEX_ENV} (Kubernetes Indexed Jobs; allow it with\n` +
      `--allow-env=${SHARD_INDEX_ENV}); see docs/distributed.md`,
  },
  "start-at": {
    type: "string",
    arg: "TIME",
    help: "wait until TIME (RFC 3339 or epoch ms; at most 10 min past,\n" +
      "24 h ahead), then start; records the offset (clocks need NTP)",
  },
};

/** What the shard flags set. */
export interface ShardFlags {
  shard?: Shard;
  /** The coordinated start, epoch ms. */
  startAtMs?: number;
}

/** Reads an environment variable; a refused permission is bad usage naming the flag to add. */
export function permittedEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    throw new UsageError(
      `Missing permission: reading ${name} was not granted (run deno with --allow-env=${name})`,
    );
  }
}

/**
 * Parses `--shard` and `--start-at`; `split` is the run's load (closed loop:
 * requests and workers; open loop: concurrency null), checked to be divisible
 * over the shards now, before anything runs.
 */
export function parseShardFlags(
  values: FlagValues,
  split: { requests: number; concurrency: number | null },
  deps: { env: (name: string) => string | undefined; nowMs: number },
): ShardFlags {
  const out: ShardFlags = {};
  if (values.shard !== undefined) {
    const shard = parseShard(str(values, "shard", ""), deps.env);
    if (split.concurrency !== null) {
      closedLoopShare({ requests: split.requests, concurrency: split.concurrency }, shard);
    } else if (split.requests < shard.count) {
      throw new UsageError(
        `Cannot split --requests ${split.requests} over ${shard.count} shards: each shard needs at least one`,
      );
    }
    out.shard = shard;
  }
  if (values["start-at"] !== undefined) {
    out.startAtMs = parseStartAt(str(values, "start-at", ""), deps.nowMs);
  }
  return out;
}
