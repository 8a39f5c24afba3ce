/**
 * `--config loadgate.json`: a JSON object whose keys are long flag names
 * (`{"url": "http://127.0.0.1:8000/v1/infer", "concurrency": 8, "sla":
 * ["p95<=800"]}`), turned into arguments placed before the explicit ones. A
 * flag given on the command line wins: its key in the file is dropped.
 *
 * @example
 * ```ts
 * expandConfig(["--config", "lg.json", "-c", "4"], spec, (p) => Deno.readTextFileSync(p));
 * // ["--url=http://...", "-c", "4"] when lg.json holds url and concurrency
 * ```
 *
 * @module
 */

import type { FlagSpec } from "./flags.ts";
import { UsageError } from "./errors.ts";

/** The flag that names a config file. */
export const CONFIG_FLAG = "config";

/** Whether `args` (before any `--`) set flag `name` (long or short form). */
function givenOnCommandLine(args: readonly string[], name: string, short?: string): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === `--${name}` || a.startsWith(`--${name}=`)) return true;
    if (short !== undefined && (a === `-${short}` || (a.startsWith(`-${short}`) && a[1] !== "-"))) {
      return true;
    }
  }
  return false;
}

/**
 * Arguments for a parsed config object: `--name=value` for strings and
 * numbers, repeated for arrays of a `multiple` flag, `--name` for `true`,
 * nothing for `false`. Keys set in `explicit` are left out. Throws
 * {@linkcode UsageError} naming the file and key.
 */
export function configToArgs(
  config: unknown,
  spec: FlagSpec,
  source: string,
  explicit: readonly string[] = [],
): string[] {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new UsageError(`Cannot read config "${source}": expected a JSON object of flag names`);
  }
  const args: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const flag = spec[key];
    if (flag === undefined || key === CONFIG_FLAG || key === "help") {
      throw new UsageError(
        `Cannot read config "${source}": unknown key "${key}" (expected a long flag name such as ${
          Object.keys(spec).filter((k) => k !== CONFIG_FLAG && k !== "help").slice(0, 3).join(", ")
        })`,
      );
    }
    if (givenOnCommandLine(explicit, key, flag.short)) continue;
    const bad = (): never => {
      // JSON.stringify shows an overflowed number (1e309 parses as Infinity) as null.
      const shown = typeof value === "number"
        ? "a number beyond any finite value"
        : JSON.stringify(value);
      throw new UsageError(
        `Cannot read config "${source}": key "${key}" has ${shown} (expected ${
          flag.type === "boolean"
            ? "true or false"
            : flag.multiple
            ? "a value or a list"
            : "a value"
        })`,
      );
    };
    if (flag.type === "boolean") {
      if (typeof value !== "boolean") bad();
      if (value) args.push(`--${key}`);
      continue;
    }
    const values = Array.isArray(value) && flag.multiple ? value : [value];
    for (const v of values) {
      if (typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v))) bad();
      args.push(`--${key}=${v}`);
    }
  }
  return args;
}

/**
 * `args` with `--config FILE` (or `--config=FILE`) replaced by the file's
 * flags, placed first so the explicit ones win. `args` without `--config`
 * come back unchanged. Throws {@linkcode UsageError}.
 */
export function expandConfig(
  args: readonly string[],
  spec: FlagSpec,
  readText: (path: string) => string,
): string[] {
  const end = args.indexOf("--") < 0 ? args.length : args.indexOf("--");
  let at = -1;
  let path: string | undefined;
  for (let i = 0; i < end; i++) {
    const a = args[i]!;
    if (a === `--${CONFIG_FLAG}`) [at, path] = [i, args[i + 1]];
    else if (a.startsWith(`--${CONFIG_FLAG}=`)) [at, path] = [i, a.slice(CONFIG_FLAG.length + 3)];
    else continue;
    break;
  }
  if (at < 0) return [...args];
  if (path === undefined || path === "") {
    throw new UsageError("Cannot parse --config: expected a file");
  }
  const rest = [...args];
  rest.splice(at, args[at] === `--${CONFIG_FLAG}` ? 2 : 1);
  if (givenOnCommandLine(rest, CONFIG_FLAG)) {
    throw new UsageError("Cannot parse --config: give it once");
  }
  let text: string;
  try {
    text = readText(path);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Cannot read config "${path}": ${why}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`Cannot read config "${path}": not JSON (${why})`);
  }
  return [...configToArgs(config, spec, path, rest), ...rest];
}
