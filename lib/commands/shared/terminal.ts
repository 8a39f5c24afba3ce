/**
 * What the terminal allows: colour and a live progress line. Pure decisions
 * over injected facts, so tests need no terminal; plus the environment
 * reader and stderr writer the CLI hands to them.
 *
 * @module
 */

/** Reads an environment variable; undefined when it is unset or not permitted. */
export type EnvReader = (name: string) => string | undefined;

/**
 * Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
 *
 * @example
 * ```ts
 * colorEnabled({ isTerminal: true, noColor: false }); // true
 * ```
 */
export function colorEnabled(facts: { isTerminal: boolean; noColor: boolean }): boolean {
  return facts.isTerminal && !facts.noColor;
}

/** True when `CI` is set to anything but an empty string, `0` or `false`. */
export function isCi(env: EnvReader): boolean {
  const ci = env("CI")?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}

/**
 * A live progress line only when stderr is a terminal that can redraw a line,
 * outside CI, and without `--quiet`.
 */
export function progressEnabled(
  facts: { isTerminal: boolean; env: EnvReader; quiet: boolean },
): boolean {
  if (facts.quiet || !facts.isTerminal || isCi(facts.env)) return false;
  return facts.env("TERM") !== "dumb";
}

/** `Deno.env.get`, returning undefined instead of throwing without `--allow-env`. */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Writes text to stderr as is (no newline added), whole. */
export function writeStderr(text: string): void {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  while (at < bytes.length) at += Deno.stderr.writeSync(bytes.subarray(at));
}

/** Columns of the terminal on stderr, or 80 when unknown. */
export function stderrColumns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}
