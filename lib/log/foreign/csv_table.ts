/**
 * A CSV file as a header and rows, for the foreign readers.
 *
 * @module
 */

import { parseCsv } from "../../base/deps.ts";
import { UsageError } from "../../base/errors.ts";

/** A parsed CSV: its header (trimmed) and data rows. */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Parses CSV text; `hasHeader` false keeps every row as data. Throws {@linkcode UsageError}. */
export function csvTable(text: string, name: string, hasHeader = true): CsvTable {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`Cannot parse "${name}" as CSV: ${msg.split("\n")[0]}`);
  }
  if (!hasHeader) return { header: [], rows };
  const header = (rows[0] ?? []).map((h) => h.trim());
  return { header, rows: rows.slice(1) };
}

/** Index of each wanted column in `header`; throws naming the missing ones. */
export function columnsOf<K extends string>(
  header: readonly string[],
  wanted: readonly K[],
  what: string,
  name: string,
): Record<K, number> {
  const lower = header.map((h) => h.toLowerCase());
  const index = {} as Record<K, number>;
  const missing: string[] = [];
  for (const w of wanted) {
    index[w] = lower.indexOf(w.toLowerCase());
    if (index[w] < 0) missing.push(w);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `Cannot read "${name}" as ${what}: missing column ${missing.join(", ")} (expected ${
        wanted.join(", ")
      })`,
    );
  }
  return index;
}
