/**
 * `--output-check exact|text|none`, on `compare` and `job`: what the
 * outputs check compares (lib/verdict/compare.ts, {@linkcode OutputCheck}).
 *
 * @module
 */

import { type FlagSpec, type FlagValues, str } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { OUTPUT_CHECKS, type OutputCheck } from "../../../verdict/compare.ts";

/** The flag, to spread into a command's spec. */
export const OUTPUT_CHECK_FLAGS: FlagSpec = {
  "output-check": {
    type: "string",
    arg: "MODE",
    help: "what outputs_identical compares: exact (response bytes), text\n" +
      "(generated text or token ids, not ids/created: greedy decoding)\n" +
      "or none (sampled output; the check is not made)",
  },
};

/** The flag's value, or undefined when not given. Throws {@linkcode UsageError}. */
export function parseOutputCheck(values: FlagValues): OutputCheck | undefined {
  if (values["output-check"] === undefined) return undefined;
  const v = str(values, "output-check", "");
  if (!(OUTPUT_CHECKS as readonly string[]).includes(v)) {
    throw new UsageError(
      `Cannot parse --output-check: "${v}" is not one of ${OUTPUT_CHECKS.join(", ")}`,
    );
  }
  return v as OutputCheck;
}
