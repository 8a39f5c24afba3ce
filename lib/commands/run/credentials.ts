/**
 * Where a run's credentials come from, and how they are kept out of what it
 * writes: user information in `--url` becomes an `Authorization: Basic`
 * header (what fetch sends for it; the URL loadgate logs and prints has none),
 * `--api-key-env NAME` (default `OPENAI_API_KEY` with `--api openai-*`, as
 * vLLM's benchmark reads it) becomes `Authorization: Bearer KEY`, and every
 * secret header value is remembered for {@linkcode redact}.
 *
 * @module
 */

import type { FlagSpec, FlagValues } from "../../base/flags.ts";
import { str } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { isSecretHeader, rememberSecret, splitCredentials } from "../../base/secrets.ts";

/** The environment variable an `--api openai-*` run reads its key from by default. */
export const DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";

/** `--api-key-env NAME`. */
export const API_KEY_FLAG: FlagSpec = {
  "api-key-env": {
    type: "string",
    arg: "NAME",
    help: "send Authorization: Bearer $NAME (default OPENAI_API_KEY with\n--api openai-*, " +
      "when set and --allow-env permits it)",
  },
};

/**
 * The URL without credentials and the headers with the credentials' header;
 * `apiKeyEnv` is the variable a key was (or, in a pod, will be) read from.
 */
export function runCredentials(
  values: FlagValues,
  input: {
    url: string;
    headers: Record<string, string>;
    llm: boolean;
    env: (name: string) => string | undefined;
  },
): { url: string; headers: Record<string, string>; apiKeyEnv: string | null } {
  const headers = { ...input.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (isSecretHeader(name)) rememberSecret(value);
  }
  const { url, basic } = splitCredentials(input.url);
  if (basic !== null && headers.authorization === undefined) headers.authorization = basic;
  const given = values["api-key-env"] === undefined ? null : str(values, "api-key-env", "");
  if (given !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(given)) {
    throw new UsageError(`Cannot parse --api-key-env: "${given}" is not a variable name`);
  }
  const name = given ?? (input.llm ? DEFAULT_API_KEY_ENV : null);
  if (name === null) return { url, headers, apiKeyEnv: null };
  const key = given !== null ? input.env(name) : quietEnv(name);
  if (key === undefined || key === "") {
    if (given !== null) throw new UsageError(`Cannot use --api-key-env ${name}: it is not set`);
    return { url, headers, apiKeyEnv: null };
  }
  rememberSecret(key);
  if (headers.authorization === undefined) headers.authorization = `Bearer ${key}`;
  rememberSecret(headers.authorization);
  return { url, headers, apiKeyEnv: name };
}

/** The default variable, read only when permission was granted: no prompt, no error. */
function quietEnv(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
