/**
 * A foreign log's fields as loadgate reads them: numbers, HTTP statuses, and
 * the mapping of a tool's errors onto loadgate's error kinds.
 *
 * @module
 */

import type { ErrorKind } from "../../stats/sample.ts";
import { UsageError } from "../../base/errors.ts";

/**
 * loadgate's error kind for a foreign request: a non-2xx status maps to
 * `http_4xx`/`http_5xx` (other statuses to `http_4xx`), an error text naming a
 * timeout to `timeout`, any other error without a status to `connect`, and an
 * error after a 2xx to `body`.
 */
export function errorKindOf(status: number | null, errorText: string): ErrorKind {
  const text = errorText.trim();
  if (status !== null && status >= 500) return "http_5xx";
  if (status !== null && status >= 300) return "http_4xx";
  if (status !== null && status > 0 && status < 200) return "http_4xx";
  if (text === "" && status !== null && status >= 200) return "";
  if (/timeout|timed out|deadline/i.test(text)) return "timeout";
  if (status !== null && status >= 200) return "body";
  return "connect";
}

/** A finite, non-negative number from a field, or a {@linkcode UsageError} naming where. */
export function numberField(value: unknown, column: string, where: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  if ((typeof value === "string" && value.trim() === "") || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`Cannot read ${where}: ${column} has "${String(value)}"`);
  }
  return n;
}

/** An HTTP status from a field: null when empty, 0 or not a number (no response). */
export function statusField(value: unknown): number | null {
  const n = Number(value);
  return value === null || value === undefined || value === "" || !Number.isInteger(n) || n <= 0
    ? null
    : n;
}
