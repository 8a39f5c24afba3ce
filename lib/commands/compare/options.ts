/**
 * The options of `loadgate compare`, as its flag parser
 * (lib/commands/compare/flags.ts) builds them.
 *
 * @module
 */

import type { Slo } from "../../stats/goodput.ts";
import type { Threshold } from "../../verdict/threshold.ts";
import type { UncertaintyOptions } from "../../verdict/uncertainty.ts";
import type { OutputCheck } from "../../verdict/compare.ts";

/** Options of `compareCommand` (lib/commands/compare/command.ts). */
export interface CompareOptions {
  before: string;
  after: string;
  outDir: string;
  /** The SLA on AFTER: `--sla` and `--max-error-rate`, parsed once by the flag parser. */
  thresholds: Threshold[];
  /** Compare even when inputs or load parameters differ. */
  force: boolean;
  color: boolean;
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** Also write report.html. */
  html: boolean;
  /** Read both logs as this foreign format instead of detecting each (`--format`). */
  format?: string;
  /** A check not made fails the gate (`--require-checks`). */
  requireChecks?: boolean;
  /** Per-request SLOs (`--goodput`): goodput of both logs, compared with an interval. */
  goodput?: Slo[] | null;
  /** `--output-check`; default `text` for LLM API logs (text digests), else `exact`. */
  outputCheck?: OutputCheck;
}
