/**
 * What every foreign log reader returns, and the pieces they share: a sample
 * without the fields a foreign tool does not record, and the mapping of its
 * errors onto loadgate's error kinds.
 *
 * @module
 */

import type { ErrorKind, Sample } from "../../stats/sample.ts";
import { UsageError } from "../../base/errors.ts";

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
 * loadgate's error kind for a foreign request: a non-2xx status maps to
 * `http_4xx`/`http_5xx` (other statuses to `http_4xx`), an error text naming a
 * timeout to `timeout`, any other error without a status to `connect`, and an
 * error after a 2xx to `body`.
 */
export function errorKindOf(status: number | null, errorText: string): ErrorKind {
  const text = errorText.trim();
  if (status !== null && status >= 500) return "http_5xx";
  if (status !== null && status >= 300) return "http_4xx";
  if (status !== null && status > 0 && status < 200) return "http_4xx";
  if (text === "" && status !== null && status >= 200) return "";
  if (/timeout|timed out|deadline/i.test(text)) return "timeout";
  if (status !== null && status >= 200) return "body";
  return "connect";
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

/** A finite, non-negative number from a field, or a {@linkcode UsageError} naming where. */
export function numberField(value: unknown, column: string, where: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  if ((typeof value === "string" && value.trim() === "") || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`Cannot read ${where}: ${column} has "${String(value)}"`);
  }
  return n;
}

/** An HTTP status from a field: null when empty, 0 or not a number (no response). */
export function statusField(value: unknown): number | null {
  const n = Number(value);
  return value === null || value === undefined || value === "" || !Number.isInteger(n) || n <= 0
    ? null
    : n;
}
