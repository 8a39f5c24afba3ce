/**
 * Appending `summary.md` to the file `$GITHUB_STEP_SUMMARY` names, so a CI
 * job's page shows the verdict.
 *
 * @module
 */

import { writeText } from "./write_text.ts";

/**
 * Appends `text` to the file `$GITHUB_STEP_SUMMARY` names. Never throws:
 * returns null on success, or a one-line reason (for stderr) when the file
 * cannot be written, such as when deno lacks write permission for it.
 */
export async function appendStepSummary(path: string, text: string): Promise<string | null> {
  try {
    await writeText(path, text, { append: true });
    return null;
  } catch (err) {
    const denied = err instanceof Deno.errors.NotCapable ||
      err instanceof Deno.errors.PermissionDenied;
    const why = denied
      ? `no permission to write it (run with --allow-write=${path})`
      : (err instanceof Error ? err.message.split("\n")[0] : String(err));
    return `loadgate: could not append the summary to $GITHUB_STEP_SUMMARY ("${path}"): ${why}`;
  }
}
