/**
 * One check of every file a command will write, made before it sends a
 * request or reads a log, and one rule for which files it may replace:
 *
 * - `--out` names a folder (never the empty string, which would put the
 *   files at the filesystem's root) that can be created and written;
 * - every file (in `--out` or named by `--junit`, `--prom`, `--hlog`) can be
 *   written: its folder exists, it is not a folder, its name is not too long;
 * - no file is one of the command's inputs, and no two outputs are one file
 *   (`--junit OUT/run.csv` would overwrite the run's own log);
 * - an existing file is replaced only when it holds the kind the command
 *   writes there (a JUnit file never replaces a CSV log or a summary).
 *
 * A failed check is a {@linkcode UsageError}: one line, exit 2, nothing touched.
 *
 * @example
 * ```ts
 * const code = await withCheckedOutputs({
 *   outDir: "results/run",
 *   files: [{ path: "results/run/run.csv", kind: "log", role: "the log" }],
 *   inputs: [],
 * }, () => Promise.resolve(0)); // the command, run once every output is checked
 * ```
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { createdFolders, ensureWritable } from "./out_dir.ts";

/** What a file holds, as loadgate writes it. */
export type FileKind =
  | "log"
  | "csv"
  | "json"
  | "xml"
  | "prom"
  | "hlog"
  | "html"
  | "markdown"
  | "yaml"
  | "partial";

/** One file a command will write. */
export interface OutputFile {
  path: string;
  kind: FileKind;
  /** How messages name it: "the log", "--junit". */
  role: string;
}

/** Everything a command writes and reads, checked by {@linkcode checkOutputs}. */
export interface OutputCheck {
  /** The `--out` folder; null for a command without one. */
  outDir: string | null;
  files: readonly OutputFile[];
  /** Files the command reads: never replaced. */
  inputs: readonly string[];
}

/** What an existing file may hold besides a kind loadgate writes. */
type HeldKind = FileKind | "binary";

const KIND_NAMES: Record<HeldKind, string> = {
  log: "a loadgate log",
  csv: "a CSV table",
  json: "JSON",
  xml: "XML",
  prom: "Prometheus text",
  hlog: "an HdrHistogram log",
  html: "HTML",
  markdown: "Markdown",
  yaml: "YAML",
  partial: "a partial file",
  binary: "binary data",
};

/** Checks every output of a command; throws {@linkcode UsageError} on the first problem. */
async function checkOutputs(check: OutputCheck): Promise<void> {
  if (check.outDir === null) return await checkFiles(check);
  if (check.outDir.trim() === "") {
    throw new UsageError("Cannot parse --out: expected a folder, got an empty name");
  }
  await ensureWritable(check.outDir);
  await checkFiles(check);
}

/**
 * Checks the outputs ({@linkcode checkOutputs}), then runs `command`; when the command is refused
 * as bad usage (a {@linkcode UsageError}, exit 2) after the check made its folder (a log that
 * cannot be read, a stale report), the folders made for it are removed again while still empty:
 * a refused command leaves no folder behind.
 */
export async function withCheckedOutputs<T>(
  check: OutputCheck,
  command: () => Promise<T>,
): Promise<T> {
  const undo = check.outDir === null || check.outDir.trim() === ""
    ? () => Promise.resolve()
    : await createdFolders(check.outDir);
  try {
    await checkOutputs(check);
  } catch (err) {
    await undo(); // a refused check leaves no folder it made behind
    throw err;
  }
  try {
    return await command();
  } catch (err) {
    if (err instanceof UsageError) await undo();
    throw err;
  }
}

/** The files' checks: inputs, doubles, each file. */
async function checkFiles(check: OutputCheck): Promise<void> {
  const inputs = new Map(check.inputs.map((p) => [resolvedPath(p), p]));
  const seen = new Map<string, OutputFile>();
  for (const file of check.files) {
    const cannot = (why: string) =>
      new UsageError(`Cannot write ${file.role} "${file.path}": ${why}`);
    if (file.path.trim() === "") {
      throw new UsageError(`Cannot parse ${file.role}: expected a file, got an empty name`);
    }
    const at = resolvedPath(file.path);
    const input = inputs.get(at);
    if (input !== undefined) throw cannot(`it is an input of this command ("${input}")`);
    const other = seen.get(at);
    if (other !== undefined) throw cannot(`${other.role} is written there too`);
    seen.set(at, file);
    await checkFile(file, cannot);
  }
}

/**
 * The file can be written and, when it exists, holds the kind it will hold.
 * Without read permission there (a run allowed only to write its folder) the
 * kind cannot be seen: only writing is checked.
 */
async function checkFile(file: OutputFile, cannot: (why: string) => UsageError): Promise<void> {
  const readable = Deno.permissions.querySync({ name: "read", path: file.path }).state ===
    "granted";
  let info: Deno.FileInfo | null = null;
  if (readable) {
    try {
      info = await Deno.stat(file.path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw cannot(firstLine(err));
    }
  }
  if (info?.isDirectory) throw cannot("it is a folder");
  if (info !== null && !info.isFile) throw cannot("it is not a regular file");
  if (info !== null && file.kind !== "partial") {
    const held = await kindHeld(file.path);
    if (held !== null && held !== file.kind) {
      throw cannot(
        `it holds ${KIND_NAMES[held]}, not ${KIND_NAMES[file.kind]} (loadgate replaces only a ` +
          "file of the kind it writes)",
      );
    }
  }
  try {
    await probeWrite(file.path, info !== null);
  } catch (err) {
    throw cannot(firstLine(err));
  }
}

/** Opens `path` for writing without truncating it (an existing file keeps every byte). */
async function probeWrite(path: string, exists: boolean): Promise<void> {
  if (!exists) {
    try {
      (await Deno.open(path, { write: true, createNew: true })).close();
      await Deno.remove(path);
      return;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    }
  }
  (await Deno.open(path, { write: true })).close();
}

/**
 * The kind an existing file holds, from its first bytes: null when it is
 * empty or anything loadgate could have written there (Markdown, YAML: plain
 * text that is none of the others).
 */
async function kindHeld(path: string): Promise<HeldKind | null> {
  const head = await readHead(path);
  if (head === "") return null;
  if (head.startsWith("phase,request_id,")) return "log";
  const first = head.trimStart().charAt(0);
  if (first === "\u007b" || first === "\u005b") return "json"; // an object or an array
  if (/^\s*<!doctype html|^\s*<html/i.test(head)) return "html";
  if (/^\s*<\?xml|^\s*</.test(head)) return "xml";
  if (head.startsWith("#[")) return "hlog";
  if (/^# (HELP|TYPE) /.test(head)) return "prom";
  if (head.includes("\0") || head.includes("\ufffd")) return "binary";
  return null;
}

async function readHead(path: string): Promise<string> {
  const f = await Deno.open(path, { read: true });
  try {
    const buf = new Uint8Array(256);
    const n = await f.read(buf);
    return new TextDecoder().decode(buf.subarray(0, n ?? 0));
  } finally {
    f.close();
  }
}

/** An absolute path with `.` and `..` resolved and symbolic links followed where it exists. */
export function resolvedPath(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    // Not there yet: its folder's real path and its name.
  }
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const name = path.slice(slash + 1);
  try {
    return `${Deno.realPathSync(dir).replace(/\/$/, "")}/${name}`;
  } catch {
    return normalized(path);
  }
}

function normalized(path: string): string {
  let full = path;
  if (!path.startsWith("/")) {
    try {
      full = `${Deno.cwd()}/${path}`;
    } catch {
      return path;
    }
  }
  const parts: string[] = [];
  for (const p of full.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return "/" + parts.join("/");
}

/** An error's first line, without the path the message already names (`: open '...'`). */
function firstLine(err: unknown): string {
  const line = (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
  return line.replace(/ \(os error \d+\)/, "").replace(/: [a-z]+ '.*'$/, "");
}

/** `--junit` and `--prom`, as files to check. */
export function ciOutputFiles(ci: { junit: string | null; prom: string | null }): OutputFile[] {
  return [
    ...(ci.junit === null ? [] : [{ path: ci.junit, kind: "xml" as const, role: "--junit" }]),
    ...(ci.prom === null ? [] : [{ path: ci.prom, kind: "prom" as const, role: "--prom" }]),
  ];
}

/** A file in the `--out` folder (and, when `partial`, its temporary name too). */
export function outFile(
  outDir: string,
  name: string,
  kind: FileKind,
  partial = false,
): OutputFile[] {
  const path = `${outDir}/${name}`;
  return [
    { path, kind, role: `the ${kind === "log" ? "log" : name}` },
    ...(partial
      ? [{ path: `${path}.partial`, kind: "partial" as const, role: `${name}.partial` }]
      : []),
  ];
}
