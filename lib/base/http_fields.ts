/**
 * HTTP header fields given on the command line (`-H 'Name: value'`), checked
 * when the flags are parsed: a name is an RFC 9110 token, a value a
 * field-value (visible ASCII, obs-text, spaces and tabs inside; never CR, LF
 * or NUL). Headers the client owns (`Host`, `Content-Length`,
 * `Transfer-Encoding`, `Connection`, ...) are refused: the two engines would
 * otherwise send different requests for them.
 *
 * @example
 * ```ts
 * parseHeaderFlag("X-Api-Key: abc"); // ["x-api-key", "abc"]
 * parseHeaderFlag("Bad Name: v"); // throws UsageError
 * ```
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** RFC 9110 section 5.6.2: token = 1*tchar. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 section 5.5: field-value, without the surrounding whitespace. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers the HTTP client sets itself (framing and connection management). */
export const CLIENT_OWNED_HEADERS: readonly string[] = [
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
];

/**
 * Parses one `--header` flag, `NAME: VALUE`, into a lower-cased name and a
 * trimmed value. Throws {@linkcode UsageError} naming what is wrong.
 */
export function parseHeaderFlag(text: string): [string, string] {
  const i = text.indexOf(":");
  if (i <= 0) {
    throw new UsageError(`Cannot parse --header: ${JSON.stringify(text)} is not NAME: VALUE`);
  }
  const name = text.slice(0, i).trim();
  const value = text.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, "");
  if (!TOKEN.test(name)) {
    throw new UsageError(
      `Cannot parse --header: name ${JSON.stringify(name)} is not an HTTP token (RFC 9110)`,
    );
  }
  if (!FIELD_VALUE.test(value)) {
    throw new UsageError(
      `Cannot parse --header: the value of ${name} holds a character no header may carry (CR, LF, NUL, another control, or beyond Latin-1)`,
    );
  }
  const lower = name.toLowerCase();
  if (CLIENT_OWNED_HEADERS.includes(lower)) {
    throw new UsageError(
      `Cannot use --header ${name}: the HTTP client sets it (both engines must send the same request)`,
    );
  }
  return [lower, value];
}

/** An IPv4 address, an IPv6 literal (bare or bracketed), or a DNS name of valid labels. */
export function isHostname(text: string): boolean {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (bare.includes(":")) return /^[0-9A-Fa-f:.]+$/.test(bare) && bare.length <= 45;
  if (text.length === 0 || text.length > 253) return false;
  return text.split(".").every((label) =>
    /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)
  );
}
