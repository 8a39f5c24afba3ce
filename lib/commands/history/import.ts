/**
 * `history import DIR...`: results folders written before, recorded in the
 * store: each phase summary that carries a verdict (`run`, `merge`), each
 * `comparison.json` (`job`, `compare`) and `sweep.json`, at their start time.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { type HistoryRecord, recordOf } from "../../history/record.ts";
import { encodeDistribution } from "../../history/distribution.ts";
import { streamLog } from "../../log/log_stream.ts";

/** The measured latencies of the CSV log a result names, encoded; null when it is not there. */
async function logDistribution(dir: string, doc: Record<string, unknown>): Promise<string | null> {
  const phases = (doc.phases ?? {}) as Record<string, { log?: unknown }>;
  const log = typeof doc.log === "string" ? doc.log : phases.optimized?.log;
  if (typeof log !== "string") return null;
  const path = log.startsWith("/") ? log : `${dir}/${log.replace(/^.*\//, "")}`;
  const ms: number[] = [];
  try {
    await streamLog(path, (s) => {
      if (!s.warmup) ms.push(s.latencyMs);
    });
  } catch {
    return null; // the log was moved or is not loadgate's: the figures stand without it
  }
  return encodeDistribution(ms);
}

/** The command a result file came from, or null when it is not a judged result. */
function commandOf(name: string, doc: Record<string, unknown>): string | null {
  const manifest = (doc.manifest ?? {}) as Record<string, unknown>;
  const command = typeof manifest.command === "string" ? manifest.command : null;
  if (name === "comparison.json") return command ?? ("functional_tests" in doc ? "job" : "compare");
  if (name === "sweep.json") return "sweep";
  // A phase summary is judged when it carries a verdict (run, merge); the job's phases do not.
  if ("summary" in doc && "verdict" in doc) return command ?? "run";
  return null;
}

/** The records of the judged results in `dirs`, oldest first; the files that were read. */
export async function importRecords(
  dirs: readonly string[],
  labels: Record<string, string>,
): Promise<{ records: HistoryRecord[]; files: string[] }> {
  const found: { record: HistoryRecord; file: string }[] = [];
  for (const dir of dirs) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable) throw err;
      throw new UsageError(`Cannot import ${dir}: not a readable folder`);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const file = `${dir.replace(/\/+$/, "")}/${entry.name}`;
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(await Deno.readTextFile(file));
      } catch {
        continue; // not a result file (the report's data, a foreign tool's JSON)
      }
      if (doc === null || typeof doc !== "object") continue;
      const command = commandOf(entry.name, doc);
      if (command === null) continue;
      const started = ((doc.manifest ?? {}) as Record<string, unknown>).started_at;
      const recordedAt = typeof started === "string" ? started : new Date().toISOString();
      const distribution = await logDistribution(dir.replace(/\/+$/, ""), doc);
      const ctx = { command, labels, recordedAt, source: file, distribution };
      found.push({ record: recordOf(doc, ctx), file });
    }
  }
  found.sort((a, b) => (a.record.recordedAt < b.record.recordedAt ? -1 : 1));
  return { records: found.map((f) => f.record), files: found.map((f) => f.file) };
}
