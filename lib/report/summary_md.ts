/**
 * `summary.md`: the verdict and the summary table in Markdown, for a CI
 * job's page (lib/commands/shared/step_summary.ts appends it to `$GITHUB_STEP_SUMMARY`).
 *
 * @module
 */

import type { ReportInput } from "./html/report.ts";

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
    const state = c.notMade ? "not made" : c.ok ? "ok" : "**FAIL**";
    lines.push(`- ${state}: ${c.name.replace(/_/g, " ")}: ${cell(c.detail)}`);
  }
  if (input.checks.length > 0) lines.push("");
  for (const section of input.sections ?? []) {
    if (!section.markdown) continue;
    const { columns, rows } = section.table;
    lines.push(`#### ${cell(section.title)}`, "");
    lines.push(`| ${columns.map(cell).join(" | ")} |`);
    lines.push(`| ${columns.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`);
    for (const r of rows) {
      lines.push(`| ${r.map((c) => cell(c === null ? "-" : String(c))).join(" | ")} |`);
    }
    lines.push("");
  }
  lines.push("Plots: `report.html` beside this file (opens offline).", "");
  return lines.join("\n");
}
