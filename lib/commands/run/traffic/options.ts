/**
 * What `run` needs to send production-shaped LLM traffic: a trace replayed
 * on its own clock, and how faithfully it must be sent. Parsed by
 * lib/commands/run/traffic/flags.ts.
 *
 * @module
 */

import type { TraceFormat } from "../../../workload/trace/entry.ts";

/** `--trace` and its companions. */
export interface TraceOptions {
  path: string;
  /** Named with `--trace-format`, or null to detect it. */
  format: TraceFormat | null;
  /** `--trace-speed`: clock factor (2 = twice as fast). */
  speed: number;
  /** `--trace-start`: ms after the trace's first request. */
  startMs: number;
  /** `--trace-duration`: ms kept from the start, or null for the rest. */
  durationMs: number | null;
}
