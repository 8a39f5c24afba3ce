/**
 * What `run` needs to send production-shaped LLM traffic: a trace replayed
 * on its own clock, and how faithfully it must be sent. Parsed by
 * lib/commands/run/traffic/flags.ts.
 *
 * @module
 */

import type { TraceFormat } from "../../../workload/trace/entry.ts";
import type { HistoryMode } from "../../../workload/sessions/conversation.ts";

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

/** `--conversations` or synthetic sessions (`--turns`), and how sessions run. */
export interface ConversationOptions {
  /** `--conversations FILE` (ShareGPT or loadgate JSONL sessions), or null for synthetic. */
  path: string | null;
  /** `--turns`: turns of each synthetic session. */
  turns: number;
  /** `--session-count`: synthetic sessions made, or the file's first N (null: all). */
  count: number | null;
  /** `--sessions N`: sessions at once (closed); null with `rate`. */
  concurrency: number | null;
  /** `--session-rate R`: sessions arriving per second (open); null when closed. */
  rate: number | null;
  /** `--think-ms`: think time of turns that state none (synthetic: the exponential mean). */
  thinkMs: number;
  /** `--session-history`: resend the model's actual answers or the dataset's recorded ones. */
  history: HistoryMode;
}
