/**
 * A sample's times as the log holds them: every millisecond value rounded to
 * 3 decimals ({@linkcode roundMs}, the value `formatMs` writes). The phase
 * rounds each sample once, before it is logged and kept, so every summary,
 * in every mode (warm-up, open loop, HTML report, streaming), is computed
 * from exactly the values the CSV log holds.
 *
 * @example
 * ```ts
 * roundSampleTimes(sample); // sample.latencyMs 12.34567 -> 12.346
 * ```
 *
 * @module
 */

import type { Sample } from "./sample.ts";
import { roundMs } from "./time_ms.ts";

const orNull = (v: number | null): number | null => (v === null ? null : roundMs(v));

/** Rounds every time of `s` in place to the log's 3 decimals; returns `s`. */
export function roundSampleTimes(s: Sample): Sample {
  s.sentMs = roundMs(s.sentMs);
  s.headersMs = orNull(s.headersMs);
  s.latencyMs = roundMs(s.latencyMs);
  s.serverQueueMs = orNull(s.serverQueueMs);
  s.serverInferMs = orNull(s.serverInferMs);
  if (s.scheduledMs !== undefined) s.scheduledMs = roundMs(s.scheduledMs);
  if (s.stream) {
    s.stream.ttftMs = orNull(s.stream.ttftMs);
    s.stream.itlMs = s.stream.itlMs.map(roundMs);
  }
  return s;
}
