/**
 * Exit codes and the error type that maps to "bad usage" (exit 2).
 *
 * @module
 */

/** Process exit codes, as DESIGN.md fixes them. */
export const ExitCode = {
  /** The SLA was met and every check held. */
  Pass: 0,
  /** The SLA or a quality check failed. */
  Fail: 1,
  /** Bad usage, configuration or input file. */
  Usage: 2,
  /** The functional verification tests failed. */
  FunctionalTests: 3,
  /** The interval verdict was inconclusive (`--verdict interval`, neither --strict nor --lenient). */
  Inconclusive: 4,
  /** The run was interrupted (SIGINT / SIGTERM) before it finished. */
  Interrupted: 130,
} as const;

/** A mistake in what the user gave us: a flag, a URL, a file. Exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
