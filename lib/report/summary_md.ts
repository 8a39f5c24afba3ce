/**
 * `summary.md`: the verdict and the summary table in Markdown, for a CI
 * job's page, and appending it to `$GITHUB_STEP_SUMMARY`.
 *
 * @module
 */

import type { ReportInput } from "./html.ts";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The verdict, reasons, table and checks of `input` as Markdown. Pure. */
export function formatSummaryMarkdown(input: ReportInput): string {
  const v = input.verdict;
  const badge = v.status.toUpperCase();
  const lines = [`### loadgate: ${badge} (${cell(input.title)})`, "", v.headline, ""];
  for (const r of v.reasons) lines.push(`- ${r}`);
  if (v.reasons.length > 0) lines.push("");
  const table = input.table;
  if (table && table.length > 0) {
    const [head, ...rows] = table as [string[], ...string[][]];
    lines.push(`| ${head.map(cell).join(" | ")} |`);
    lines.push(`| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`);
    for (const r of rows) {
      const cells = r.map((c, i) => {
        const t = cell(c);
        return i > 0 && /^FAIL\b/.test(t) ? `**${t}**` : t;
      });
      lines.push(`| ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  for (const c of input.checks) {
    lines.push(`- ${c.ok ? "ok" : "**FAIL**"}: ${c.name.replace(/_/g, " ")}: ${cell(c.detail)}`);
  }
  if (input.checks.length > 0) lines.push("");
  lines.push("Plots: `report.html` beside this file (opens offline).", "");
  return lines.join("\n");
}

/**
 * Appends `text` to the file `$GITHUB_STEP_SUMMARY` names. Never throws:
 * returns null on success, or a one-line reason (for stderr) when the file
 * cannot be written, such as when deno lacks write permission for it.
 */
export async function appendStepSummary(path: string, text: string): Promise<string | null> {
  try {
    await Deno.writeTextFile(path, text, { append: true });
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
