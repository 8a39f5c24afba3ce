/**
 * TLS for the stub and the client: a throwaway self-signed certificate made
 * at run time with `openssl`, for 127.0.0.1 and localhost only, and the
 * line that hands it to a stub process on its standard input (so the key is
 * never written to disk nor shown in a process list).
 *
 * ```ts
 * const tls = await makeSelfSignedCert();
 * // stub: Deno.serve({ cert: tls.cert, key: tls.key, ... })
 * // client: Deno.createHttpClient({ caCerts: [tls.cert] })
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** A certificate and its private key, PEM. */
export interface TlsMaterial {
  /** The certificate (`-----BEGIN CERTIFICATE-----`), also what the client trusts. */
  cert: string;
  /** The PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`). */
  key: string;
}

/**
 * Arguments of `openssl req` that print a new P-256 key and a self-signed
 * certificate for 127.0.0.1 and localhost, valid one day, to stdout.
 * `CA:FALSE` because rustls refuses a CA certificate as a server's own.
 */
export function opensslArgs(): string[] {
  return [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=loadgate-stub",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-keyout",
    "-",
    "-out",
    "-",
  ];
}

const PEM_BLOCK = (label: string) =>
  new RegExp(`-----BEGIN ${label}-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END ${label}-----`);

/**
 * Finds the certificate and the private key in PEM text (in any order).
 * Throws `TypeError` when either is missing.
 *
 * @example
 * ```ts
 * splitPem(keyPem + certPem); // { cert: certPem, key: keyPem }
 * ```
 */
export function splitPem(text: string): TlsMaterial {
  const cert = PEM_BLOCK("CERTIFICATE").exec(text)?.[0];
  const key = PEM_BLOCK("PRIVATE KEY").exec(text)?.[0];
  if (!cert || !key) {
    throw new TypeError(
      `Cannot find ${!cert ? "a CERTIFICATE" : "a PRIVATE KEY"} block in the PEM text`,
    );
  }
  return { cert: `${cert}\n`, key: `${key}\n` };
}

/** Runs a command and returns its stdout; injected by tests. */
export type CommandRunner = (
  cmd: string,
  args: string[],
) => Promise<{ success: boolean; stdout: string; stderr: string }>;

const runCommand: CommandRunner = async (cmd, args) => {
  const out = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { success: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
};

/**
 * Makes a new self-signed certificate with `openssl`. Throws
 * {@linkcode UsageError} when openssl is missing or fails.
 */
export async function makeSelfSignedCert(run: CommandRunner = runCommand): Promise<TlsMaterial> {
  let result: Awaited<ReturnType<CommandRunner>>;
  try {
    result = await run("openssl", opensslArgs());
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new UsageError(
        "Cannot use --tls: openssl is not installed (on Debian: apt-get install openssl)",
      );
    }
    throw err;
  }
  if (!result.success) {
    const why = result.stderr.trim().split("\n").pop() ?? "";
    throw new UsageError(`Cannot use --tls: openssl failed to make a certificate (${why})`);
  }
  return splitPem(result.stdout);
}

/** The one line a parent writes to a stub's stdin to hand it TLS material. */
export function tlsLine(tls: TlsMaterial): string {
  return JSON.stringify({ cert: tls.cert, key: tls.key }) + "\n";
}

/** Parses {@linkcode tlsLine}'s output. Throws `TypeError` when it is not one. */
export function parseTlsLine(line: string): TlsMaterial {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new TypeError("Cannot parse the TLS line on stdin: not JSON");
  }
  const { cert, key } = (value ?? {}) as { cert?: unknown; key?: unknown };
  if (typeof cert !== "string" || typeof key !== "string") {
    throw new TypeError('Cannot parse the TLS line on stdin: expected {"cert": PEM, "key": PEM}');
  }
  return { cert, key };
}

/** Reads bytes from `read` up to the first newline; returns the line without it, or null at EOF. */
export async function readLineFrom(
  read: (buf: Uint8Array) => Promise<number | null>,
  maxBytes = 1 << 16,
): Promise<string | null> {
  const bytes: number[] = [];
  const buf = new Uint8Array(1);
  // One byte at a time: nothing after the newline may be consumed, because the
  // caller goes on reading the same stream (to notice EOF).
  while (bytes.length < maxBytes) {
    const n = await read(buf);
    if (n === null) return null;
    if (n === 0) continue;
    if (buf[0] === 0x0a) break;
    bytes.push(buf[0]!);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
