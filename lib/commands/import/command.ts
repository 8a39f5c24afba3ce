/**
 * `loadgate import FILE [--format NAME] --out DIR`: converts a foreign log
 * (Python baseline, hey, oha, k6, vegeta, vLLM bench serve) into loadgate's
 * per-request CSV, beside a small JSON naming its format and the checks it
 * cannot support. Flags are parsed in lib/commands/import/flags.ts.
 *
 * @module
 */

import { ExitCode, UsageError } from "../../base/errors.ts";
import { writeText } from "../shared/write_text.ts";
import { readForeign } from "../../log/foreign/read_foreign.ts";
import type { ForeignLog } from "../../log/foreign/foreign_log.ts";
import { CsvLogWriter } from "../../log/csv/log.ts";

/** Options of {@linkcode importCommand}. */
export interface ImportOptions {
  /** The foreign log to read. */
  file: string;
  /** Output folder; the log is written as `DIR/PHASE.csv`. */
  outDir: string;
  /** Phase name for the samples (default: the file's name without extension). */
  phase: string;
  /** A format to force instead of detecting one. */
  format?: string;
}

/** What {@linkcode importCommand} writes to and reads from. */
export interface ImportDeps {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Reads a file as text (injected for tests). */
  readTextFile?: (path: string) => Promise<string>;
}

/** The sidecar JSON of an imported log. */
export function importRecord(log: ForeignLog, source: string): Record<string, unknown> {
  return {
    source,
    format: log.format,
    requests: log.samples.length,
    checks_not_made: log.unsupported,
    notes: log.notes,
    ...(log.aggregates ? { aggregates: log.aggregates } : {}),
  };
}

/** Reads, converts and writes one foreign log; returns the exit code. */
export async function importCommand(options: ImportOptions, deps: ImportDeps): Promise<number> {
  const readText = deps.readTextFile ?? ((p: string) => Deno.readTextFile(p));
  let text: string;
  try {
    text = await readText(options.file);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Cannot read "${options.file}": ${why}`);
  }
  const log = readForeign(text, {
    name: options.file,
    phase: options.phase,
    ...(options.format === undefined ? {} : { format: options.format }),
  });
  await Deno.mkdir(options.outDir, { recursive: true });
  const csvPath = `${options.outDir}/${options.phase}.csv`;
  const streamed = log.samples.some((s) => s.stream !== undefined);
  // Write to a temporary name first: an earlier log of this phase stays until the new one is whole.
  const tmp = `${csvPath}.tmp`;
  const writer = CsvLogWriter.create(tmp, streamed);
  try {
    for (const s of log.samples) writer.write(s);
  } finally {
    writer.close();
  }
  await Deno.rename(tmp, csvPath);
  const jsonPath = `${options.outDir}/${options.phase}.import.json`;
  await writeText(
    jsonPath,
    JSON.stringify(importRecord(log, options.file), null, 2) + "\n",
  );
  deps.out(
    `loadgate: imported ${log.samples.length} requests from ${options.file} (${log.format})`,
  );
  deps.out(`  log: ${csvPath}`);
  deps.out(`  checks not made with this log: ${log.unsupported.join(", ")}`);
  for (const note of log.notes) deps.out(`  note: ${note}`);
  return ExitCode.Pass;
}
