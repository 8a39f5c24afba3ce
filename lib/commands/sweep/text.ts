/**
 * What a sweep prints and writes as text: the line before it starts, one line
 * a step as it finishes, the table of steps with the capacity, the knee and
 * the gate, and summary.md. Pure: they return text.
 *
 * @module
 */

import type { SweepJson, SweepStepJson } from "./data.ts";

const f = (v: number | null): string => (v !== null && Number.isFinite(v) ? v.toFixed(1) : "-");
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** How a sweep will run, in two lines (said before the first step). */
export function describeSweep(
  j: Pick<SweepJson, "mode" | "unit" | "url" | "step_plan" | "sla">,
  loads: string,
): string[] {
  const p = j.step_plan;
  const length = p.requests !== null ? `${p.requests} requests` : `${p.duration_s} s`;
  const what = j.mode === "search"
    ? `search for the highest rate meeting ${j.sla.join(", ")} in ${loads}`
    : j.mode === "concurrency"
    ? `closed loop at ${loads} workers`
    : `open loop at ${loads} req/s`;
  return [
    `sweep: ${what} -> ${j.url}`,
    `  each step: ${p.warmup_requests} warm-up requests (not measured), then ${length}; ` +
    `${p.cool_down_s} s cool-down between steps`,
  ];
}

/** One finished step: `step 3  40 req/s: 40 requests, achieved 40.2/s, p50 ... : PASS`. */
export function stepLine(s: SweepStepJson, unit: string): string {
  const state = s.overloaded ? `FAIL (overloaded: ${s.overloaded})` : stateWord(s);
  return `step ${s.step}  ${s.load} ${unit}: ${s.requests} requests, achieved ${
    f(s.achieved_rate)
  }/s; p50 ${f(s.p50)} p95 ${f(s.p95)} p99 ${f(s.p99)} ms; errors ${pct(s.error_rate)}; ` +
    `lag p99 ${f(s.schedule_lag_p99_ms)} ms: ${state}`;
}

function stateWord(s: SweepStepJson): string {
  if (s.sla === "inconclusive") return `INCONCLUSIVE (counted as ${s.counted})`;
  return s.sla === "pass" ? "PASS" : "FAIL";
}

/** The table of steps by load, header first (for the terminal and summary.md). */
export function sweepTable(j: SweepJson): string[][] {
  const rows = [...j.steps].sort((a, b) => a.load - b.load).map((s) => [
    String(s.load),
    f(s.achieved_rate),
    String(s.requests),
    f(s.p50),
    f(s.p95),
    f(s.p99),
    pct(s.error_rate),
    f(s.schedule_lag_p99_ms),
    s.overloaded ? "FAIL (overloaded)" : stateWord(s),
  ]);
  return [
    [
      j.unit === "workers" ? "workers" : "offered/s",
      "achieved/s",
      "requests",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "errors",
      "lag p99 ms",
      "SLA",
    ],
    ...rows,
  ];
}

/** The capacity, the knee and what was skipped or stopped, one line each. */
export function capacityLines(j: SweepJson): string[] {
  const u = j.unit;
  const lines = [
    j.capacity === null
      ? `capacity at the SLA: below ${j.lowest_failed ?? "-"} ${u} (the lowest step did not pass)`
      : j.lowest_failed === null
      ? `capacity at the SLA: at least ${j.capacity} ${u} (every step passed)`
      : `capacity at the SLA: ${j.capacity} ${u} (highest passed; lowest failed ${j.lowest_failed} ${u}, resolution ${
        Math.round(j.resolution! * 1000) / 1000
      })`,
    j.knee.load === null
      ? "knee: none in the loads tried (P95 never rose faster than throughput)"
      : `knee: ${j.knee.load} ${u} (after it, P95 rises faster than throughput)`,
  ];
  const unsure = j.steps.filter((s) => !s.conclusive);
  if (unsure.length > 0) {
    lines.push(
      `${unsure.length} step${unsure.length === 1 ? "" : "s"} inconclusive (${
        unsure.map((s) => s.load).join(", ")
      } ${u}), counted as ${unsure[0]!.counted}${
        unsure[0]!.counted === "fail" ? " (--lenient counts them as passes)" : ""
      }`,
    );
  }
  if (j.non_monotone) lines.push("warning: a step passed above one that failed (not monotone)");
  if (j.skipped.length > 0) {
    lines.push(`skipped after a clearly overloaded step: ${j.skipped.join(", ")} ${u}`);
  }
  if (j.stopped) lines.push(`stopped in step ${j.stopped.step} (${j.stopped.load} ${u})`);
  return lines;
}

/** Text table with aligned columns. */
export function alignTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r.map((
      cell,
      c,
    ) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ").trimEnd()
  );
}

/** summary.md of a sweep: verdict, capacity, the table of steps, and the files. */
export function sweepMarkdown(j: SweepJson, verdict: string): string {
  const table = sweepTable(j);
  const md = (r: readonly string[]) => `| ${r.join(" | ")} |`;
  return [
    `# loadgate sweep: ${verdict}`,
    "",
    `Target ${j.url}; SLA ${j.sla.join(", ") || "(none)"}; ${j.mode} sweep.`,
    "",
    ...capacityLines(j).map((l) => `- ${l}`),
    ...(j.gate
      ? [`- gate --min-capacity ${j.gate.min_capacity}: ${j.gate.state} (${j.gate.reason})`]
      : []),
    "",
    md(table[0]!),
    md(table[0]!.map(() => "---")),
    ...table.slice(1).map(md),
    "",
    "Each step's log and summary are in its folder (`step-NN-<load>/`).",
    "",
  ].join("\n");
}
