/**
 * A trace made ready to replay: read (format detected or named), windowed
 * (`--trace-start`, `--trace-duration`, seconds on the trace's clock from its
 * first request), its clock scaled (`--trace-speed`: 2 replays twice as fast),
 * and turned into a schedule (ms from the phase start; the first kept request
 * at 0) and one prompt per request, whose `maxTokens` is the recorded output
 * length.
 *
 * @example
 * ```ts
 * const trace = parseTrace('{"timestamp":0,"input_length":4,"output_length":2}\n' +
 *   '{"timestamp":1000,"input_length":4,"output_length":2}\n', "t.jsonl", null, (s) => s.length);
 * const r = traceReplay(trace, { speed: 2, startMs: 0, durationMs: null, seed: 1 });
 * r.schedule; // Float64Array [0, 500]
 * ```
 *
 * @module
 */

import { readInputText } from "../../base/read_text.ts";
import { UsageError } from "../../base/errors.ts";
import type { Prompt } from "../prompt.ts";
import { BlockTexts } from "./block_text.ts";
import { csvFormatOf, parseCsvTrace } from "./csv.ts";
import type { Trace, TraceEntry, TraceFormat } from "./entry.ts";
import { parseJsonlTrace } from "./jsonl.ts";

/** How a trace is replayed. */
export interface TraceWindow {
  /** Clock factor: 2 sends twice as fast (gaps halved). */
  speed: number;
  /** Skip requests before this many ms after the trace's first. */
  startMs: number;
  /** Keep requests before `startMs + durationMs`; null for the rest of the trace. */
  durationMs: number | null;
  /** Seed of the prompt words. */
  seed: number;
}

/** A replay: request k is sent at `schedule[k]` with `prompts[k]`. */
export interface TraceReplay {
  format: TraceFormat;
  schedule: Float64Array;
  prompts: Prompt[];
  /** Prompt tokens of each request (exact for generated text; the tokenizer's for given text). */
  inputTokens: number[];
  /** Entries in the file (kept rows) and rows skipped as unusable. */
  entries: number;
  skipped: number;
  window: TraceWindow;
}

/** What a manifest records of a replay (the schedule's digest is in the load parameters). */
export function replayManifest(r: TraceReplay): Record<string, unknown> {
  return {
    format: r.format,
    entries: r.entries,
    skipped_rows: r.skipped,
    replayed: r.schedule.length,
    speed: r.window.speed,
    start_ms: r.window.startMs,
    duration_ms: r.window.durationMs,
  };
}

/** Parses trace text: `format` named, or detected (JSONL Mooncake / loadgate, CSV Azure / BurstGPT). */
export function parseTrace(
  text: string,
  name: string,
  format: TraceFormat | null,
  count: (text: string) => number,
): Trace {
  const first = text.trimStart();
  const json = first.startsWith("{");
  if (format === "mooncake" || format === "loadgate" || (format === null && json)) {
    const trace = parseJsonlTrace(text, name, count);
    if (format !== null && trace.format !== format) {
      throw new UsageError(
        `Cannot use trace "${name}" as --trace-format ${format}: it is ${trace.format}`,
      );
    }
    return checked(trace, name);
  }
  if (format === null && csvFormatOf(first.split("\n", 1)[0]!.split(",")) === null) {
    throw new UsageError(
      `Cannot use trace "${name}": neither JSONL (Mooncake, loadgate) nor a CSV header of ` +
        "Azure (TIMESTAMP,ContextTokens,GeneratedTokens) or BurstGPT (Timestamp,...,Request tokens,Response tokens)",
    );
  }
  return checked(parseCsvTrace(text, name, format ?? undefined), name);
}

function checked(trace: Trace, name: string): Trace {
  if (trace.entries.length === 0) {
    throw new UsageError(`Cannot use trace "${name}": it holds no usable request`);
  }
  // Stable: requests of one instant keep their file order.
  trace.entries.sort((a, b) => a.timestampMs - b.timestampMs);
  return trace;
}

/** Reads and parses a trace file. Throws {@linkcode UsageError}. */
export async function readTrace(
  path: string,
  format: TraceFormat | null,
  count: (text: string) => number,
): Promise<Trace> {
  return parseTrace(await readInputText(path, "trace"), path, format, count);
}

/** The schedule and prompts of `trace` replayed through `window`. Throws on an empty window. */
export function traceReplay(trace: Trace, window: TraceWindow): TraceReplay {
  const origin = trace.entries[0]!.timestampMs;
  const from = origin + window.startMs;
  const until = window.durationMs === null ? Infinity : from + window.durationMs;
  const kept: TraceEntry[] = trace.entries.filter((e) =>
    e.timestampMs >= from && e.timestampMs < until
  );
  if (kept.length === 0) {
    throw new UsageError("Cannot replay the trace: --trace-start/--trace-duration keep no request");
  }
  const zero = kept[0]!.timestampMs;
  const schedule = Float64Array.from(kept, (e) => (e.timestampMs - zero) / window.speed);
  const blocks = new BlockTexts(window.seed);
  const prompts = kept.map((e, k): Prompt => {
    const p: Prompt = {
      text: e.text ?? blocks.prompt(e.inputTokens, e.hashIds ?? [], k),
      maxTokens: e.outputTokens,
    };
    if (e.messages) p.messages = e.messages;
    return p;
  });
  return {
    format: trace.format,
    schedule,
    prompts,
    inputTokens: kept.map((e) => e.inputTokens),
    entries: trace.entries.length,
    skipped: trace.skipped,
    window,
  };
}
