/**
 * CSV traces, columns found by their header names:
 *
 * - Azure LLM inference traces (Azure/AzurePublicDataset,
 *   `AzureLLMInferenceTrace_{code,conv}.csv` of 2023 and the 2024 week-long
 *   ones): `TIMESTAMP,ContextTokens,GeneratedTokens`, `TIMESTAMP` a wall-clock
 *   time with up to 7 fractional digits (`2023-11-16 18:15:46.6805900`), read
 *   as UTC.
 * - BurstGPT (HPMLL/BurstGPT): `Timestamp,Model,Request tokens,Response
 *   tokens,Total tokens,Log Type` (later releases add `Session ID,Elapsed
 *   time` after `Timestamp`), `Timestamp` in seconds. Rows with 0 response
 *   tokens are the trace's failed requests and are skipped (counted).
 *
 * @example
 * ```ts
 * const t = parseCsvTrace("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.5,374,44\n", "a.csv");
 * t.format; // "azure"
 * ```
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { CsvRecordParser } from "../../log/csv/records.ts";
import type { Trace, TraceEntry, TraceFormat } from "./entry.ts";

/** The columns each CSV format needs: time, input tokens, output tokens. */
const COLUMNS: Readonly<Record<"azure" | "burstgpt", readonly [string, string, string]>> = {
  azure: ["TIMESTAMP", "ContextTokens", "GeneratedTokens"],
  burstgpt: ["Timestamp", "Request tokens", "Response tokens"],
};

/** The CSV format a header row names, or null. */
export function csvFormatOf(header: readonly string[]): "azure" | "burstgpt" | null {
  const names = new Set(header.map((h) => h.trim()));
  for (const format of ["azure", "burstgpt"] as const) {
    if (COLUMNS[format].every((c) => names.has(c))) return format;
  }
  return null;
}

/** Parses `YYYY-MM-DD HH:MM:SS[.fffffff]` (UTC) into epoch ms with its fraction; NaN if not. */
export function azureTimeMs(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, ...number[]];
  const whole = Date.UTC(y, mo! - 1, d!, h!, mi!, s!);
  return whole + (m[7] ? Number(`0.${m[7]}`) * 1000 : 0);
}

/**
 * Parses CSV trace text; `format` forces one (else the header decides).
 * Throws {@linkcode UsageError} naming the row.
 */
export function parseCsvTrace(text: string, name: string, format?: TraceFormat): Trace {
  const rows: string[][] = [];
  const parser = new CsvRecordParser();
  try {
    parser.push(text, (r) => rows.push(r));
    parser.end((r) => rows.push(r));
  } catch (err) {
    throw new UsageError(`Cannot parse trace "${name}": ${(err as Error).message}`);
  }
  const header = rows[0] ?? [];
  const found = csvFormatOf(header);
  const kind = format === "azure" || format === "burstgpt" ? format : found;
  if (kind === null || found !== kind) {
    const want = kind ?? "azure or burstgpt";
    throw new UsageError(
      `Cannot use trace "${name}": its header "${header.join(",")}" is not a ${want} trace's`,
    );
  }
  const at = COLUMNS[kind].map((c) => header.findIndex((h) => h.trim() === c));
  const entries: TraceEntry[] = [];
  let skipped = 0;
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const where = `Cannot use trace "${name}" row ${r + 1}`;
    const time = row[at[0]!] ?? "";
    const timestampMs = kind === "azure" ? azureTimeMs(time) : Number(time) * 1000;
    if (time.trim() === "" || !Number.isFinite(timestampMs)) {
      throw new UsageError(`${where}: "${time}" is not a ${COLUMNS[kind][0]}`);
    }
    const inputTokens = count(row[at[1]!], COLUMNS[kind][1], where);
    const outputTokens = count(row[at[2]!], COLUMNS[kind][2], where);
    if (inputTokens < 1 || outputTokens < 1) skipped++;
    else entries.push({ timestampMs, inputTokens, outputTokens });
  }
  return { format: kind, entries, skipped };
}

function count(text: string | undefined, column: string, where: string): number {
  const n = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`${where}: ${column} "${text ?? ""}" is not a non-negative integer`);
  }
  return n;
}
