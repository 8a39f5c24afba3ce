/**
 * `loadgate import`: its flags (the one spec that parses them and writes the
 * help) and the parser.
 *
 * @module
 */

import { type FlagSpec, parseFlags, str } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { FOREIGN_FORMATS } from "../../log/foreign/foreign_log.ts";
import { parseFormat } from "../../log/foreign/read_foreign.ts";
import type { ImportOptions } from "./command.ts";
import { CONFIG_FLAGS } from "../shared/flags/ci.ts";
import { HELP_FLAG } from "../shared/flags/common.ts";

/** Flags of `import`. */
export const IMPORT_FLAGS: FlagSpec = {
  out: { type: "string", arg: "DIR", help: "output folder (required)" },
  format: {
    type: "string",
    arg: "NAME",
    help: `force a format instead of detecting it:\n${FOREIGN_FORMATS.slice(0, 5).join(", ")},\n${
      FOREIGN_FORMATS.slice(5).join(", ")
    }`,
  },
  phase: {
    type: "string",
    arg: "NAME",
    help: "phase name in the log and the file name (default: FILE's name)",
  },
  ...CONFIG_FLAGS,
  ...HELP_FLAG,
};

/** Usage line of `import`. */
export const IMPORT_USAGE = "loadgate import FILE --out DIR [options]";

/** Notes under the flags of `import --help`. */
export const IMPORT_NOTES =
  `Converts another tool's request log to loadgate's CSV (DIR/PHASE.csv); DIR/PHASE.import.json
names the format and the checks the log cannot support (reported as not made).
compare also reads these logs directly (docs/foreign-formats.md).`;

/** Parses `import`'s arguments. Throws {@linkcode UsageError}. */
export function parseImportArgs(args: string[]): ImportOptions | "help" {
  const { values, positionals } = parseFlags(args, IMPORT_FLAGS, true);
  if (values.help) return "help";
  if (positionals.length !== 1) {
    throw new UsageError(
      `Cannot import: give one FILE (got ${positionals.length}; try import --help)`,
    );
  }
  const file = positionals[0]!;
  const outDir = str(values, "out", "");
  if (outDir === "") throw new UsageError("Cannot import: --out DIR is required");
  const base = file.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, "");
  const phase = str(values, "phase", base.replace(/[^A-Za-z0-9_.-]/g, "_") || "imported");
  if (!/^[A-Za-z0-9_.-]+$/.test(phase)) {
    throw new UsageError(`Cannot parse --phase: "${phase}" may hold only letters, digits, _ . -`);
  }
  const format = values.format === undefined
    ? {}
    : { format: parseFormat(str(values, "format", "")) };
  return { file, outDir, phase, ...format };
}
