/**
 * `run --trace`: the trace read and replayed through its window, with the
 * manifest fields that say what was replayed.
 *
 * @module
 */

import { tokenizer } from "../../../workload/tokens.ts";
import { readTrace, type TraceReplay, traceReplay } from "../../../workload/trace/replay.ts";
import type { TraceOptions } from "./options.ts";

export type { TraceReplay };

/** Reads `--trace` and replays it through its window; prompt words seeded by `seed`. */
export async function traceReplayOf(trace: TraceOptions, seed: number): Promise<TraceReplay> {
  const t = await tokenizer();
  const parsed = await readTrace(trace.path, trace.format, t.count);
  return traceReplay(parsed, {
    speed: trace.speed,
    startMs: trace.startMs,
    durationMs: trace.durationMs,
    seed,
  });
}
