/**
 * The top-level help (`loadgate --help`): the commands from the registry,
 * then the main job's flags from their spec.
 *
 * @module
 */

import { flagHelp, type FlagSpec } from "../base/flags.ts";
import { VERSION } from "../base/version.ts";
import type { Command } from "../commands/shared/command.ts";

/** The top-level help of `commands`, in their order, with the main job's flags `jobFlags`. */
export function topLevelHelp(
  commands: Readonly<Record<string, Command>>,
  jobFlags: FlagSpec,
): string {
  const lines = Object.values(commands).flatMap((c) => {
    const [first, ...rest] = c.summary.split("\n");
    const left = `  loadgate ${c.synopsis}`;
    const pad = 30;
    return [
      `${left}${" ".repeat(Math.max(2, pad - left.length))}${first}`,
      ...rest.map((line) => `${" ".repeat(pad)}${line}`),
    ];
  });
  return `loadgate ${VERSION}: load-test an HTTP inference endpoint and gate on a latency SLA.

Usage:
${lines.join("\n")}
  loadgate --help | --version

Options of job:
${flagHelp(jobFlags)}

Besides baseline and optimized, the job runs the two other cells of a 2 x 2 run
(serialized stub + pooled connections, concurrent stub + fresh connections) and
writes analysis.json: each factor's effect, where the time goes, connections,
queueing, and the contributors ranked by measured effect.

Exit codes: 0 pass, 1 SLA or check failed, 2 bad usage or input, 3 functional
tests failed, 4 inconclusive (--verdict interval), 130 interrupted.`;
}

/** `--version`. */
export function versionLine(): string {
  return `loadgate ${VERSION} (deno ${Deno.version.deno})`;
}
