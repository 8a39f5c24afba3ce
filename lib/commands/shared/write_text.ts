/**
 * The one way a command writes a text file (summaries, reports, JUnit,
 * Prometheus, manifests): every secret it was given is taken out first
 * ({@linkcode redact}), whatever the renderer put in.
 *
 * @module
 */

import { redact } from "../../base/secrets.ts";

/** Writes `text` to `path` (appends with `append`), secrets replaced by `***`. */
export async function writeText(
  path: string,
  text: string,
  options: { append?: boolean } = {},
): Promise<void> {
  await Deno.writeTextFile(path, redact(text), options);
}
