/**
 * What every foreign log reader returns, and the pieces they share: a sample
 * without the fields a foreign tool does not record, and the log made of the
 * samples (lib/log/foreign/fields.ts reads a row's fields).
 *
 * @module
 */

import type { ErrorKind, Sample } from "../../stats/sample.ts";

/** The foreign formats loadgate reads, by the name `--format` takes. */
export const FOREIGN_FORMATS = [
  "python-csv",
  "hey-csv",
  "oha-csv",
  "oha-json",
  "k6-csv",
  "k6-json",
  "vegeta-csv",
  "vegeta-json",
  "vllm-json",
] as const;

/** A foreign format's name. */
export type ForeignFormat = (typeof FOREIGN_FORMATS)[number];

/**
 * Checks or metrics a foreign log cannot support: `inputs_identical` and
 * `outputs_identical` (no digests), `conditions_match` (no load parameters),
 * `error_rate` (a tool that leaves failed requests out of its log).
 */
export type UnsupportedCheck =
  | "inputs_identical"
  | "outputs_identical"
  | "conditions_match"
  | "error_rate";

/** What no foreign log holds: input and output digests, the load parameters. */
export const NEVER_IN_FOREIGN_LOGS: readonly UnsupportedCheck[] = [
  "inputs_identical",
  "outputs_identical",
  "conditions_match",
];

/** A foreign log read into loadgate samples. */
export interface ForeignLog {
  /** The format it was read as. */
  format: ForeignFormat;
  /** One sample a request, `sentMs` from the earliest send in the file. */
  samples: Sample[];
  /** The checks this log cannot support, to be reported as not made. */
  unsupported: UnsupportedCheck[];
  /** Notes on derived fields (for example a latency rebuilt from TTFT and ITLs). */
  notes: string[];
  /** The tool's own summary figures, as its file has them (vLLM's `mean_ttft_ms`, ...). */
  aggregates?: Record<string, number | string | null>;
}

/** Options every reader takes. */
export interface ReadOptions {
  /** Phase name written into each sample. */
  phase: string;
  /** Name of the file, for error messages. */
  name: string;
}

/** A sample with every field a foreign tool does not record left empty. */
export function foreignSample(
  phase: string,
  requestId: number,
  fields: {
    sentMs: number;
    latencyMs: number;
    status: number | null;
    error: ErrorKind;
    headersMs?: number | null;
    bytesIn?: number;
  },
): Sample {
  return {
    phase,
    requestId,
    inputSha256: "",
    sentMs: fields.sentMs,
    headersMs: fields.headersMs ?? null,
    latencyMs: fields.latencyMs,
    status: fields.status,
    ok: fields.error === "",
    error: fields.error,
    bytesIn: fields.bytesIn ?? 0,
    outputSha256: "",
    serverQueueMs: null,
    serverInferMs: null,
    connId: "",
  };
}

/**
 * A reader's result: its samples moved to start at the first send, and as
 * unsupported the checks no foreign log supports plus `more.unsupported`.
 */
export function foreignLog(
  format: ForeignFormat,
  samples: Sample[],
  more: {
    notes?: string[];
    unsupported?: UnsupportedCheck[];
    aggregates?: Record<string, number | string | null>;
  } = {},
): ForeignLog {
  return {
    format,
    samples: fromFirstSend(samples),
    unsupported: [...NEVER_IN_FOREIGN_LOGS, ...(more.unsupported ?? [])],
    notes: more.notes ?? [],
    ...(more.aggregates ? { aggregates: more.aggregates } : {}),
  };
}

/** Moves every sample's `sentMs` so the earliest send is 0, rounded to the microsecond. */
export function fromFirstSend(samples: Sample[]): Sample[] {
  let first = Infinity;
  for (const s of samples) first = Math.min(first, s.sentMs);
  for (const s of samples) s.sentMs = round3(s.sentMs - first);
  return samples;
}

/** Rounds milliseconds to 3 decimals (the log's precision). */
export function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export { errorKindOf, numberField, statusField } from "./fields.ts";
