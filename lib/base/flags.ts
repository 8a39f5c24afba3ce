/**
 * Flags: one spec per command that both parses (through `node:util`
 * parseArgs) and writes the help text, so the two cannot drift apart; and the
 * readers that turn flag values into checked numbers, with the one-line
 * messages that bad usage deserves (exit 2).
 *
 * @example
 * ```ts
 * const SPEC: FlagSpec = {
 *   requests: { type: "string", short: "n", arg: "N", help: "requests (default 100)" },
 *   quiet: { type: "boolean", short: "q", help: "no live progress line" },
 * };
 * const { values } = parseFlags(["-n", "5"], SPEC);
 * int(values, "requests", 100); // 5
 * flagHelp(SPEC); // "  -n, --requests N       requests (default 100)\n  -q, --quiet ..."
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

/** One flag: how it parses, and how the help shows it. */
export interface FlagDef {
  type: "string" | "boolean";
  /** One-letter alias (`-n`). */
  short?: string;
  /** Repeatable; the values come as a list. */
  multiple?: boolean;
  /** The value's placeholder in the help (`N`, `URL`, `EXPR`). */
  arg?: string;
  /** The help text; a "\n" starts a continuation line. Without it the flag is not listed. */
  help?: string;
  /** Replaces the left column of the help (`--reuse | --no-reuse`). */
  label?: string;
}

/** A command's flags by long name: the one source of its parser and its help. */
export type FlagSpec = Readonly<Record<string, FlagDef>>;

/** A flag that takes a value shown as `arg` in the help. */
export function valueFlag(arg: string, help: string): FlagDef {
  return { type: "string", arg, help };
}

/** Parsed flags: strings, booleans, or repeated strings. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Column where the help text of a flag starts. */
const HELP_COLUMN = 25;

/** Parses `args` against `spec`, turning parser errors into {@linkcode UsageError}. */
export function parseFlags(
  args: string[],
  spec: FlagSpec,
  allowPositionals = false,
): { values: FlagValues; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, d]) => [name, {
      type: d.type,
      ...(d.short ? { short: d.short } : {}),
      ...(d.multiple ? { multiple: true } : {}),
    }]),
  );
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals,
      strict: true,
    });
    return { values: values as FlagValues, positionals };
  } catch (err) {
    const full = err instanceof Error ? err.message : String(err);
    const message = full.split("\n")[0] ?? full;
    // `--requests -5`: no flag is a negative number, so take it as the value and let the
    // flag's reader judge it ("-5" is not a positive integer) instead of suggesting `=-5`.
    const joined = negativeNumberJoined(full, args);
    if (joined) return parseFlags(joined, spec, allowPositionals);
    throw new UsageError(
      ambiguousValue(full, args) ?? message.replace(/\. To specify a positional.*$/, ""),
    );
  }
}

/** `args` with an ambiguous `-c -1` joined as `--concurrency=-1`, or null if not that case. */
function negativeNumberJoined(message: string, args: string[]): string[] | null {
  const opt = /^Option '([^']+)' argument is ambiguous/.exec(message)?.[1];
  const long = /use '(--[\w-]+)=/.exec(message)?.[1];
  const at = opt === undefined ? -1 : args.indexOf(opt);
  const value = args[at + 1];
  if (at < 0 || long === undefined || !/^-\d+(\.\d+)?$/.test(value ?? "")) return null;
  return [...args.slice(0, at), `${long}=${value}`, ...args.slice(at + 2)];
}

/** The help lines of `spec`, one flag a line (continuations indented), in spec order. */
export function flagHelp(spec: FlagSpec): string {
  const lines: string[] = [];
  for (const [name, d] of Object.entries(spec)) {
    if (d.help === undefined) continue;
    const label = d.label ??
      `${d.short ? `-${d.short}, ` : ""}--${name}${d.arg ? ` ${d.arg}` : ""}`;
    const text = d.help.split("\n");
    // A label too long for its column gets a line of its own.
    if (label.length > HELP_COLUMN - 3) lines.push(`  ${label}`);
    else lines.push(`  ${label.padEnd(HELP_COLUMN - 3)} ${text.shift()}`);
    for (const more of text) lines.push(`${" ".repeat(HELP_COLUMN)}${more}`);
  }
  return lines.join("\n");
}

/** A command's help: the usage line, its flags from the spec, then notes. */
export function helpText(usage: string, spec: FlagSpec, notes?: string): string {
  return [`Usage: ${usage}`, flagHelp(spec), ...(notes ? [notes] : [])].join("\n");
}

/** `-c -1`: node's parser calls the value ambiguous; say what to write instead. */
function ambiguousValue(message: string, args: string[]): string | null {
  const opt = /^Option '([^']+)' argument is ambiguous/.exec(message)?.[1];
  if (opt === undefined) return null;
  const long = /use '(--[\w-]+)=/.exec(message)?.[1] ?? opt;
  const value = args[args.indexOf(opt) + 1] ?? "";
  return `Cannot parse ${opt}: "${value}" looks like another option; write ${long}=${value} to give it as the value`;
}

/** The string value of flag `name`, or `fallback`. */
export function str(values: FlagValues, name: string, fallback: string): string {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string") throw new UsageError(`Cannot parse --${name}: expected a value`);
  return v;
}

/** Repeated string values of flag `name`. */
export function strList(values: FlagValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** A whole number >= `min` from flag `name`. */
export function int(values: FlagValues, name: string, fallback: number, min = 1): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const text = String(v).trim();
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    const want = min === 1
      ? "a positive integer"
      : min === 0
      ? "a non-negative integer"
      : `an integer >= ${min}`;
    throw new UsageError(`Cannot parse --${name}: "${text}" is not ${want}`);
  }
  return n;
}

/** A finite number > 0 (or >= 0 with `allowZero`) from flag `name`. */
export function num(values: FlagValues, name: string, fallback: number, allowZero = false): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const text = String(v).trim();
  const n = Number(text);
  if (text === "" || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UsageError(
      `Cannot parse --${name}: "${text}" is not a ${
        allowZero ? "non-negative" : "positive"
      } number`,
    );
  }
  return n;
}

/** A range `MIN:MAX` of non-negative numbers from flag `name`. */
export function range(
  values: FlagValues,
  name: string,
  fallback: [number, number],
): [number, number] {
  const v = values[name];
  if (v === undefined) return fallback;
  const text = String(v).trim();
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2])) {
    throw new UsageError(
      `Cannot parse --${name}: "${text}" is not a range MIN:MAX with MIN <= MAX`,
    );
  }
  return [Number(m[1]), Number(m[2])];
}

/** One of `choices` from flag `name`. */
export function choice<T extends string>(
  values: FlagValues,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const v = values[name];
  if (v === undefined) return fallback;
  const text = String(v);
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`Cannot parse --${name}: "${text}" is not one of ${choices.join(", ")}`);
  }
  return text as T;
}
