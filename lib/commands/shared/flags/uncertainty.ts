/**
 * The flags that choose the confidence and how the verdict gates, shared by
 * `job`, `compare` and `run`.
 *
 * @module
 */

import { choice, type FlagSpec, type FlagValues } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { UNCERTAINTY_DEFAULTS, type UncertaintyOptions } from "../../../verdict/uncertainty.ts";

/** Flag definitions, to spread into a command's own. */
export const UNCERTAINTY_FLAGS: FlagSpec = {
  verdict: {
    type: "string",
    label: "--verdict point|interval",
    help: "gate on the point estimates (default) or on the\n" +
      "confidence intervals: pass, fail or inconclusive (exit 4)",
  },
  confidence: {
    type: "string",
    arg: "C",
    help: "confidence of the intervals: 0.95 (default), 95 or 95%",
  },
  strict: {
    type: "boolean",
    label: "--strict | --lenient",
    help: "with --verdict interval: inconclusive exits 1 | exits 0",
  },
  lenient: { type: "boolean" },
};

/** Reads the flags; throws {@linkcode UsageError}. */
export function parseUncertaintyFlags(values: FlagValues): UncertaintyOptions {
  const verdict = choice(values, "verdict", ["point", "interval"] as const, "point");
  if (values.strict && values.lenient) {
    throw new UsageError("Cannot use --strict with --lenient");
  }
  if ((values.strict || values.lenient) && verdict !== "interval") {
    throw new UsageError(
      `Cannot use --${values.strict ? "strict" : "lenient"} without --verdict interval`,
    );
  }
  return {
    confidence: values.confidence === undefined
      ? UNCERTAINTY_DEFAULTS.confidence
      : parseConfidence(String(values.confidence)),
    verdict,
    inconclusive: values.strict ? "fail" : values.lenient ? "pass" : "code",
  };
}

/** `0.95`, `95` and `95%` all mean 0.95; the result is strictly between 0 and 1. */
export function parseConfidence(text: string): number {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(t);
  const v = m ? Number(m[1]) : NaN;
  const c = m && (m[2] === "%" || v > 1) ? v / 100 : v;
  if (!(c > 0 && c < 1)) {
    throw new UsageError(
      `Cannot parse --confidence: "${text}" is not a confidence between 0 and 1 (for example 0.95 or 95%)`,
    );
  }
  return c;
}
