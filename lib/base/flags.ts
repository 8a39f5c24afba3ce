/**
 * Flags: one spec per command that both parses and writes the help text, so
 * the two cannot drift apart; and the readers that turn flag values into
 * checked numbers, with the one-line messages that bad usage deserves (exit 2).
 *
 * The parser follows `node:util` parseArgs in strict mode (`--name value`,
 * `--name=value`, `-n value`, `-n5`, grouped short booleans, `--` ending the
 * flags, repeatable flags as lists, the same messages), and takes a negative
 * number after a flag as its value. It is written out here rather than
 * imported because `node:util` loads Deno's Node compatibility layer into
 * every command: several MB of resident memory (docs/benchmarks.md, memory).
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

import { flagHint } from "./flag_hints.ts";
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
  /**
   * The value of a string flag given bare (`--history`): the next argument is
   * its value only when it is there, is not another flag and matches
   * `bareTakes` (when given; `--history a.csv b.csv` leaves `a.csv` a
   * positional). `--flag=VALUE` always gives a value.
   */
  bare?: string;
  /** With `bare`: what the next argument must look like to be taken as the value. */
  bareTakes?: RegExp;
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

/** Parses `args` against `spec`. Throws {@linkcode UsageError} on bad usage. */
export function parseFlags(
  argv: readonly string[],
  spec: FlagSpec,
  allowPositionals = false,
): { values: FlagValues; positionals: string[] } {
  const args = [...argv]; // grouped short booleans are split into it
  const byShort = new Map<string, string>();
  for (const [name, d] of Object.entries(spec)) if (d.short) byShort.set(d.short, name);
  const values: FlagValues = {};
  const positionals: string[] = [];
  const set = (name: string, value: string | boolean): void => {
    if (!spec[name]!.multiple) values[name] = value;
    else ((values[name] ??= []) as (string | boolean)[]).push(value);
  };
  const positional = (arg: string): void => {
    if (!allowPositionals) {
      throw new UsageError(
        `Unexpected argument '${arg}'. This command does not take positional arguments`,
      );
    }
    positionals.push(arg);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      args.slice(i + 1).forEach(positional);
      break;
    }
    if (arg.length < 2 || !arg.startsWith("-")) {
      positional(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const name = long ? arg.slice(2, eq < 0 ? undefined : eq) : byShort.get(arg[1]!);
    if (name === undefined || !Object.hasOwn(spec, name)) {
      const hint = long ? flagHint(arg.slice(2, eq < 0 ? undefined : eq), Object.keys(spec)) : null;
      throw new UsageError(
        `Unknown option '${long ? arg.slice(0, eq < 0 ? undefined : eq) : arg.slice(0, 2)}'${
          hint ? `: ${hint}` : ""
        }`,
      );
    }
    const def = spec[name]!;
    const shown = long ? `--${name}` : arg.slice(0, 2);
    if (def.type === "boolean") {
      if (eq >= 0) throw new UsageError(`Option '${shown}' does not take an argument`);
      set(name, true);
      // -abc: more short booleans in one argument.
      if (!long && arg.length > 2) args.splice(i + 1, 0, `-${arg.slice(2)}`);
      continue;
    }
    if (eq >= 0) set(name, arg.slice(eq + 1));
    else if (!long && arg.length > 2) set(name, arg.slice(2));
    else if (def.bare !== undefined && isBare(args[i + 1], def.bareTakes)) set(name, def.bare);
    else set(name, valueAfter(args, i++, shown, name, def));
  }
  return { values, positionals };
}

/**
 * True when a flag with a bare value has no value after it: nothing, another
 * flag, or an argument that does not look like its value.
 */
function isBare(next: string | undefined, takes: RegExp | undefined): boolean {
  if (next === undefined || (next.startsWith("-") && next !== "-")) return true;
  return takes !== undefined && !takes.test(next);
}

/** The value of the string flag at `args[at]`, from the next argument. */
function valueAfter(args: string[], at: number, shown: string, name: string, def: FlagDef): string {
  const value = args[at + 1];
  if (value === undefined) {
    throw new UsageError(
      `Option '${def.short ? `-${def.short}, ` : ""}--${name} <value>' argument missing`,
    );
  }
  // `--requests -5`: no flag is a negative number, so take it as the value and let the flag's
  // reader judge it ("-5" is not a positive integer); anything else with a dash is a forgotten value.
  if (value.startsWith("-") && value !== "-" && !/^-\d+(\.\d+)?$/.test(value)) {
    throw new UsageError(
      `Cannot parse ${shown}: "${value}" looks like another option; write --${name}=${value} to give it as the value`,
    );
  }
  return value;
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
