/**
 * `run --stages '10s:5,30s:20,10s:0'`: the flag, and its parser with the
 * flags it cannot be combined with (the stages set the rate and the length).
 *
 * @module
 */

import type { FlagSpec, FlagValues } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { parseStages, type Stage } from "../../load/stages.ts";

/** The flag's definition, to spread into `run`'s spec. */
export const STAGES_FLAG: FlagSpec = {
  stages: {
    type: "string",
    arg: "D:R,...",
    help: "open loop in stages: ramp linearly to R arrivals/s over D\n" +
      "(10s:5,30s:20,10s:0); each request's stage is logged",
  },
};

/** The stages of `--stages`, or null without it. Throws {@linkcode UsageError}. */
export function parseStagesFlag(values: FlagValues): Stage[] | null {
  if (values.stages === undefined) return null;
  for (const flag of ["rate", "duration", "requests", "arrival"]) {
    if (values[flag] !== undefined) {
      throw new UsageError(`Cannot use --stages with --${flag} (the stages set the load)`);
    }
  }
  return parseStages(String(values.stages));
}
