/**
 * Flags shared by several commands, spelled once: `-h, --help`, `-q, --quiet`,
 * `-n, --requests`, `-c, --concurrency` (each command keeps its own help text
 * for the last two), and the readers of the target URL, request headers, and
 * the help of `--sla`.
 *
 * @module
 */

import type { FlagSpec } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { parseHeaderFlag } from "../../../base/http_fields.ts";
import { redactUrl } from "../../../base/secrets.ts";

/** `-h, --help`: every command. */
export const HELP_FLAG: FlagSpec = { help: { type: "boolean", short: "h", help: "this help" } };

/** `-q, --quiet`: the commands that draw a live progress line (`run`, `sweep`, `job`). */
export const QUIET_FLAG: FlagSpec = {
  quiet: {
    type: "boolean",
    short: "q",
    help: "no live progress line (it shows only when stderr is a\nterminal and CI is unset)",
  },
};

/** `-n, --requests N`, with the command's own `help`. */
export function requestsFlag(help: string): FlagSpec {
  return { requests: { type: "string", short: "n", arg: "N", help } };
}

/** `-c, --concurrency C`, with the command's own `help`. */
export function concurrencyFlag(help: string): FlagSpec {
  return { concurrency: { type: "string", short: "c", arg: "C", help } };
}

/** Help of `--sla`, shared by the commands that gate. */
export const SLA_HELP = "threshold METRIC OP VALUE, repeatable (default p95<=800)";

/**
 * Checks a target URL: absolute, http or https (or with `grpc`, `grpc://HOST:PORT` only),
 * not port 0.
 */
export function parseTargetUrl(given: string, grpc = false): string {
  const text = redactUrl(given); // as a message shows it
  if (text === "") {
    throw new UsageError("Missing --url (for example --url http://127.0.0.1:8000/v1/infer)");
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new UsageError(`Cannot parse --url: "${text}" is not a URL`);
  }
  if (grpc && (url.protocol !== "grpc:" || url.port === "")) {
    throw new UsageError(
      `Cannot parse --url: "${text}" is not grpc://HOST:PORT (--api kserve-v2-grpc speaks gRPC)`,
    );
  }
  if (!grpc && url.protocol !== "http:" && url.protocol !== "https:") {
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
