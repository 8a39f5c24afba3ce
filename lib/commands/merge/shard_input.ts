/**
 * Reads what one shard left in its folder for `merge`: the summary JSON that
 * carries `manifest.shard`, and the path of its log. Anything unreadable or
 * malformed is a {@linkcode UsageError} (exit 2) naming the file.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import type { ShardFacts } from "../../verdict/merge_checks.ts";

/** One shard's summary, checked. */
export interface ShardInput {
  facts: ShardFacts;
  /** The summary file. */
  summaryPath: string;
  /** The shard's CSV log. */
  logPath: string;
  /** `load.duration_s` was set: the run was bounded by time. */
  boundedByTime: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads the shard summary in `dir` (exactly one JSON file there has `manifest.shard`). */
export async function readShardDir(dir: string): Promise<ShardInput> {
  const found: { path: string; json: Json }[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const path = `${dir}/${entry.name}`;
      const json = await readJson(path);
      if (isObject(json) && isObject(json.manifest) && isObject(json.manifest.shard)) {
        found.push({ path, json });
      }
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `Cannot read shard folder "${dir}": ${err instanceof Error ? err.message : err}`,
    );
  }
  if (found.length !== 1) {
    throw new UsageError(
      `Cannot read shard folder "${dir}": ${
        found.length === 0 ? "no" : String(found.length)
      } summary files with a manifest.shard (expected one)`,
    );
  }
  return shardInput(found[0]!.json, found[0]!.path, dir);
}

/** The files merge reads from each shard folder (its summary and its log): never replaced. */
export async function shardFiles(dirs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const dir of dirs) {
    const shard = await readShardDir(dir);
    files.push(shard.summaryPath, shard.logPath);
  }
  return files;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new UsageError(`Cannot read "${path}": ${err instanceof Error ? err.message : err}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`Cannot parse "${path}": ${err instanceof Error ? err.message : err}`);
  }
}

/** Checks a shard summary's fields; `dir` is where its log lies. */
export function shardInput(json: Json, path: string, dir: string): ShardInput {
  const bad = (field: string, want: string): never => {
    throw new UsageError(`Cannot read shard summary "${path}": ${field} is not ${want}`);
  };
  const manifest = json.manifest as Json;
  const shard = manifest.shard as Json;
  const int = (o: Json, k: string, where: string, min: number): number => {
    const v = o[k];
    return typeof v === "number" && Number.isSafeInteger(v) && v >= min
      ? v
      : bad(where, `an integer >= ${min}`);
  };
  const text = (o: Json, k: string, where: string): string => {
    const v = o[k];
    return typeof v === "string" && v !== "" ? v : bad(where, "a non-empty string");
  };
  const count = int(shard, "count", "manifest.shard.count", 1);
  const index = int(shard, "index", "manifest.shard.index", 0);
  if (index >= count) bad("manifest.shard.index", `below manifest.shard.count (${count})`);
  const log = text(json, "log", "log");
  if (log.includes("/") || log.includes("\\")) bad("log", "a file name in the shard's folder");
  if (!isObject(json.load)) bad("load", "an object");
  if (typeof json.interrupted !== "boolean") bad("interrupted", "true or false");
  const facts: ShardFacts = {
    source: dir,
    index,
    count,
    total_requests: int(shard, "total_requests", "manifest.shard.total_requests", 0),
    workload_digest: text(shard, "workload_digest", "manifest.shard.workload_digest"),
    load: json.load,
    tool_version: text(manifest, "tool_version", "manifest.tool_version"),
    url: text(json, "url", "url"),
    interrupted: json.interrupted as boolean,
    start: startOf(shard.start, bad),
  };
  return {
    facts,
    summaryPath: path,
    logPath: `${dir}/${log}`,
    boundedByTime: (json.load as Json).duration_s !== undefined,
  };
}

function startOf(v: unknown, bad: (field: string, want: string) => never): ShardFacts["start"] {
  if (v === null || v === undefined) return null;
  const where = "manifest.shard.start";
  const want = "null or {target, actual, offset_ms}";
  if (!isObject(v)) return bad(where, want);
  const { target, actual, offset_ms } = v;
  if (
    typeof target !== "string" || !Number.isFinite(Date.parse(target)) ||
    typeof actual !== "string" || !Number.isFinite(Date.parse(actual)) ||
    typeof offset_ms !== "number" || !Number.isFinite(offset_ms)
  ) return bad(where, want);
  return { target, actual, offset_ms };
}
