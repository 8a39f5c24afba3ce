/**
 * Flag readers shared by several commands: the target URL, request headers,
 * and the help of `--sla`.
 *
 * @module
 */

import { UsageError } from "../../../base/errors.ts";
import { parseHeaderFlag } from "../../../base/http_fields.ts";

/** Help of `--sla`, shared by the commands that gate. */
export const SLA_HELP = "threshold METRIC OP VALUE, repeatable (default p95<=800)";

/** Checks a target URL: absolute, http or https, not port 0. */
export function parseTargetUrl(text: string): string {
  if (text === "") {
    throw new UsageError("Missing --url (for example --url http://127.0.0.1:8000/v1/infer)");
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Cannot parse --url: "${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `Cannot parse --url: "${text}" has scheme ${url.protocol} (use http or https)`,
    );
  }
  if (url.port === "0") {
    throw new UsageError(`Cannot parse --url: "${text}" has port 0 (no server listens there)`);
  }
  return url.href;
}

/**
 * `-H 'Name: value'` flags as a header record (names lower-cased), each checked
 * by {@linkcode parseHeaderFlag} (RFC 9110 token and field-value, no client-owned header).
 */
export function parseHeaders(list: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of list) {
    const [name, value] = parseHeaderFlag(h);
    headers[name] = value;
  }
  return headers;
}
