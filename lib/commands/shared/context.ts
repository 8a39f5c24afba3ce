/**
 * What a command gets from the process: its output writers, colour, a
 * progress line where a terminal shows one, and a stop signal on SIGINT /
 * SIGTERM.
 *
 * @module
 */

import { ExitCode } from "../../base/errors.ts";
import { type ProgressFactory, progressFactory, unrefInterval } from "./progress.ts";
import { colorEnabled, progressEnabled, readEnv, stderrColumns, writeStderr } from "./terminal.ts";

/** The process as a command sees it. */
export interface CliContext {
  /** A line to stdout. */
  out: (line: string) => void;
  /** A line to stderr. */
  err: (line: string) => void;
  /** Colour on stdout (a terminal without NO_COLOR). */
  color: boolean;
  /** Prints help text; returns exit 0. */
  print: (text: string) => number;
}

/** Where a command writes its lines and what stops it: the part every command's I/O shares. */
export interface CommandIo {
  /** A line of the report (stdout). */
  out: (line: string) => void;
  /** A line of progress or a warning (stderr). */
  err: (line: string) => void;
  /** Aborted on SIGINT / SIGTERM. */
  stop: AbortSignal;
}

/** The context of the real process: console output, colour from the terminal. */
export function processContext(): CliContext {
  const out = (line: string) => console.log(line);
  return {
    out,
    err: (line: string) => console.error(line),
    color: colorEnabled({ isTerminal: Deno.stdout.isTerminal(), noColor: Deno.noColor }),
    print: (text) => (out(text), ExitCode.Pass),
  };
}

/** A live progress line on stderr, or null where it must not show (see progressEnabled). */
export function terminalProgress(quiet: boolean): ProgressFactory | null {
  const isTerminal = Deno.stderr.isTerminal();
  if (!progressEnabled({ isTerminal, env: readEnv, quiet })) return null;
  return progressFactory(
    {
      write: writeStderr,
      now: () => performance.now(),
      every: unrefInterval,
      columns: stderrColumns,
    },
    colorEnabled({ isTerminal, noColor: Deno.noColor }),
  );
}

/** Runs `body` with an AbortSignal that SIGINT and SIGTERM abort. */
export async function withStopSignal<T>(
  ctx: Pick<CliContext, "err">,
  body: (stop: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    if (!controller.signal.aborted) ctx.err("loadgate: stopping; waiting for requests in flight");
    controller.abort();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    return await body(controller.signal);
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}
