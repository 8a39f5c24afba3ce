/**
 * Why requests failed, in words: the failures of a phase by kind, so that a
 * failed verdict says what went wrong ("8 of 8 requests failed: 8 timeout")
 * and not only which threshold it missed.
 *
 * @example
 * ```ts
 * describeFailures({ requests: 10, failed: 3, errors: { timeout: 2, connect: 1 } });
 * // "3 of 10 requests failed: 2 timeout, 1 connect"
 * ```
 *
 * @module
 */

/** What each error kind of the log means, for reports and the README. */
export const FAILURE_MEANINGS: Readonly<Record<string, string>> = {
  timeout: "no complete answer within the per-request timeout (headers or body)",
  connect: "no response: connection refused, reset or closed before the headers",
  http_4xx: "the server answered a status below 500 that is not 2xx",
  http_5xx: "the server answered 5xx",
  body: "the body was cut (reset or closed early) or larger than the response limit",
};

/** The part of a phase summary this module reads. */
export interface FailureCounts {
  requests: number;
  failed: number;
  /** Failures by kind. */
  errors: Record<string, number>;
}

/**
 * One phrase naming the failures by kind, most frequent first (ties by name);
 * empty when nothing failed.
 */
export function describeFailures(s: FailureCounts): string {
  if (s.failed === 0) return "";
  const kinds = Object.entries(s.errors)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([kind, n]) => `${n} ${kind}`);
  return `${s.failed} of ${s.requests} requests failed: ${kinds.join(", ")}`;
}
