/**
 * Secrets loadgate is given (credentials in a URL, the values of
 * `Authorization`, `Proxy-Authorization`, `X-Api-Key`, `Api-Key` and cookie
 * headers, an API key read from the environment) are remembered when they are
 * parsed, and {@linkcode redact} takes them out of any text loadgate writes or
 * prints: log fields, summaries, reports, errors.
 *
 * @example
 * ```ts
 * rememberSecret("Bearer sk-123");
 * redact("sent Bearer sk-123 to http://user:pw@host/"); // "sent Bearer *** to http://***@host/"
 * ```
 *
 * @module
 */

/** Header names whose values are secrets (lower case). */
export const SECRET_HEADERS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "cookie",
  "set-cookie",
];

/** What a secret is replaced with. */
export const REDACTED = "***";

const known = new Set<string>();

/** Whether a header's value is a secret. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.includes(name.toLowerCase());
}

/**
 * Remembers a secret value; {@linkcode redact} replaces it from now on. An
 * auth scheme's credentials (`Bearer X`, `Basic X`) are remembered alone too.
 */
export function rememberSecret(value: string): void {
  const v = value.trim();
  if (v.length < 4) return; // too short to tell from ordinary text: its header is redacted by name
  known.add(v);
  const scheme = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(v);
  if (scheme && scheme[1]!.length >= 4) known.add(scheme[1]!);
  for (const part of v.split(/;\s*/)) { // cookies: each name=value pair
    const eq = part.indexOf("=");
    if (eq > 0 && part.length - eq > 4) known.add(part.slice(eq + 1));
  }
}

/** The user information of URLs in `text` (`http://user:pass@host`) replaced by `***`. */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, `$1${REDACTED}@`);
}

/** `text` with every remembered secret and every URL's credentials replaced by `***`. */
export function redact(text: string): string {
  let out = redactUrl(text);
  if (known.size === 0) return out;
  // Longest first: a secret that holds another is replaced whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.replaceAll(encoded, REDACTED);
  }
  return out;
}

/** A header's value as loadgate shows it: a secret's is `***` (its scheme kept). */
export function shownHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const scheme = /^(Bearer|Basic|Digest|Token)\s+/i.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/**
 * A URL without its user information, and that information as an
 * `Authorization: Basic` value (what a browser or fetch sends for it), or null.
 */
export function splitCredentials(href: string): { url: string; basic: string | null } {
  const url = new URL(href);
  if (url.username === "" && url.password === "") return { url: href, basic: null };
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  rememberSecret(`${url.username}:${url.password}`);
  rememberSecret(`${user}:${pass}`);
  if (pass.length >= 4) rememberSecret(pass);
  url.username = "";
  url.password = "";
  const bytes = new TextEncoder().encode(`${user}:${pass}`);
  const basic = `Basic ${btoa(String.fromCharCode(...bytes))}`;
  rememberSecret(basic);
  return { url: url.href, basic };
}
