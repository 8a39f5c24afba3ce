/**
 * The flags every gating command shares for CI (`--junit FILE`, `--prom
 * FILE`, `--json`, `--history`), the `--config FILE` flag every command takes, and how
 * they become the command's CI targets and writers: under `--json` the JSON
 * document is the only thing on stdout, every human line goes to stderr.
 *
 * @module
 */

import { type FlagSpec, parseFlags, str } from "../../../base/flags.ts";
import { CONFIG_FLAG } from "../../../base/config_file.ts";
import { UsageError } from "../../../base/errors.ts";
import type { CiTargets } from "../ci_outputs.ts";
import { readEnv } from "../terminal.ts";
import type { CliContext } from "../context.ts";
import { HISTORY_FLAGS, parseHistoryTarget } from "./history.ts";

/** `--config FILE`, on every command (expanded before the command parses, lib/cli/cli.ts). */
export const CONFIG_FLAGS: FlagSpec = {
  [CONFIG_FLAG]: {
    type: "string",
    arg: "FILE",
    help: 'JSON object of long flags (`{"concurrency": 8}`); the command\nline wins',
  },
};

/** The CI outputs of a gating command. */
export const CI_FLAGS: FlagSpec = {
  junit: {
    type: "string",
    arg: "FILE",
    help: "also write the gate as JUnit XML (a test case per threshold\nand check)",
  },
  prom: {
    type: "string",
    arg: "FILE",
    help: "also write the summary as Prometheus text (textfile\ncollector, Pushgateway)",
  },
  json: {
    type: "boolean",
    help: "print the result JSON on stdout, every other line on stderr",
  },
  ...HISTORY_FLAGS,
  ...CONFIG_FLAGS,
};

/**
 * The CI targets in `args` (parsed against the command's full `spec`, which
 * includes {@linkcode CI_FLAGS}), and the context the command then writes
 * through: with `--json`, its `out` is stderr and the document goes to stdout.
 * `$GITHUB_STEP_SUMMARY` is read here, once.
 */
export function ciSetup(
  args: string[],
  spec: FlagSpec,
  ctx: CliContext,
): { ctx: CliContext; ci: CiTargets } {
  // The command's own parser checked these args already; this reads only the CI flags.
  const { values } = parseFlags(args, spec, true);
  const file = (name: string): string | null => {
    if (values[name] === undefined) return null;
    const path = str(values, name, "");
    if (path === "") throw new UsageError(`Cannot parse --${name}: expected a file`);
    return path;
  };
  const json = values.json === true;
  const ci: CiTargets = {
    junit: file("junit"),
    prom: file("prom"),
    json: json ? ctx.out : null,
    stepSummary: readEnv("GITHUB_STEP_SUMMARY") || null,
    history: parseHistoryTarget(values),
  };
  return { ctx: json ? { ...ctx, out: ctx.err, color: false } : ctx, ci };
}
