/** Runs `run` and `compare` in the test's own process (no deno start-up), capturing output. */
import { compareCommand } from "../lib/commands/compare/command.ts";
import { parseCompareArgs } from "../lib/commands/compare/flags.ts";
import { UsageError } from "../lib/base/errors.ts";
import { runCommand } from "../lib/commands/run/command.ts";
import { parseRunArgs } from "../lib/commands/run/flags.ts";

/** What a command printed and returned; exit 2 with the message for a usage error. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function capture(
  body: (io: { out: (l: string) => void; err: (l: string) => void }) => Promise<number>,
): Promise<InProcessResult> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await body({ out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { code: 2, stdout: out.join("\n"), stderr: `loadgate: ${e.message}` };
  }
}

/** `loadgate run ARGS`, in process. */
export function runInProcess(args: string[]): Promise<InProcessResult> {
  return capture(async (io) => {
    const options = parseRunArgs(args);
    if (options === "help") return 0;
    await Deno.mkdir(options.outDir, { recursive: true });
    return await runCommand(options, { ...io, stop: new AbortController().signal });
  });
}

/** `loadgate compare ARGS`, in process. */
export function compareInProcess(args: string[]): Promise<InProcessResult> {
  return capture(async (io) => {
    const options = parseCompareArgs(args, false);
    if (options === "help") return 0;
    await Deno.mkdir(options.outDir, { recursive: true });
    return await compareCommand(options, io);
  });
}
