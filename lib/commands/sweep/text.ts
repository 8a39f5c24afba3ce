/**
 * What a sweep prints and writes as text: the line before it starts, one line
 * a step as it finishes, the table of steps with the capacity, the knee and
 * the gate, and summary.md. Pure: they return text.
 *
 * @module
 */

import type {
  StepPercentiles,
  SweepJson,
  SweepStepJson,
  SweepStepLlm,
} from "../shared/result_json.ts";

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

/**
 * One finished step: `step 3  40 req/s: 40 requests, achieved 40.2/s; p50 ... ms; errors 0.0%;
 * lag p99 1.2 ms: PASS`; a streamed step adds TTFT, TPOT and ITL (P50/P95/P99) and output
 * tokens/s, and a failed one names the thresholds it missed.
 */
export function stepLine(s: SweepStepJson, unit: string): string {
  const state = s.overloaded ? `FAIL (overloaded: ${s.overloaded})` : stateWord(s, true);
  return `step ${s.step}  ${s.load} ${unit}: ${s.requests} requests, achieved ${
    f(s.achieved_rate)
  }/s; p50 ${f(s.p50)} p95 ${f(s.p95)} p99 ${f(s.p99)} ms; ${
    s.llm ? `${llmText(s.llm)}; ` : ""
  }errors ${pct(s.error_rate)}; lag p99 ${f(s.schedule_lag_p99_ms)} ms: ${state}`;
}

/** `12.1/15.0/18.2`: a metric's P50/P95/P99. */
const pcts = (p: StepPercentiles): string => `${f(p.p50)}/${f(p.p95)}/${f(p.p99)}`;

/** "ttft p50/p95/p99 12.1/15.0/18.2 ms, tpot ..., itl ..., 412.0 output tok/s". */
function llmText(l: SweepStepLlm): string {
  return `ttft p50/p95/p99 ${pcts(l.ttft)} ms, tpot ${pcts(l.tpot)} ms, itl ${pcts(l.itl)} ms, ${
    f(l.output_tokens_per_s)
  } output tok/s`;
}

/** PASS, FAIL (naming what it missed, in full or by metric), INCONCLUSIVE (counted as ...). */
function stateWord(s: SweepStepJson, full: boolean): string {
  if (s.sla === "inconclusive") return `INCONCLUSIVE (counted as ${s.counted})`;
  if (s.sla === "pass") return "PASS";
  const missed = s.missed ?? [];
  if (missed.length === 0) return "FAIL";
  return `FAIL (${full ? missed.join("; ") : missed.map((m) => m.split(" (")[0]).join(", ")})`;
}

/** The table of steps by load, header first (for the terminal and summary.md). */
export function sweepTable(j: SweepJson): string[][] {
  const llm = j.steps.some((s) => s.llm);
  const rows = [...j.steps].sort((a, b) => a.load - b.load).map((s) => [
    String(s.load),
    f(s.achieved_rate),
    String(s.requests),
    f(s.p50),
    f(s.p95),
    f(s.p99),
    ...(llm ? llmCells(s.llm ?? null) : []),
    pct(s.error_rate),
    f(s.schedule_lag_p99_ms),
    s.overloaded ? "FAIL (overloaded)" : stateWord(s, false),
  ]);
  return [
    [
      j.unit === "workers" ? "workers" : "offered/s",
      "achieved/s",
      "requests",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      ...(llm ? ["ttft p50/p95/p99", "tpot p50/p95/p99", "itl p50/p95/p99", "out tok/s"] : []),
      "errors",
      "lag p99 ms",
      "SLA",
    ],
    ...rows,
  ];
}

function llmCells(l: SweepStepLlm | null): string[] {
  if (!l) return ["-", "-", "-", "-"];
  return [pcts(l.ttft), pcts(l.tpot), pcts(l.itl), f(l.output_tokens_per_s)];
}

/** "TTFT P95" for `ttft_p95`, "E2E P95" for `p95`. */
export function metricLabel(metric: string): string {
  const m = /^(?:(.*)_)?(p[\d.]+|mean)$/.exec(metric);
  if (!m) return metric;
  const what = m[1] === undefined ? "E2E" : m[1].toUpperCase().replace(/_/g, " ");
  return `${what} ${m[2] === "mean" ? "mean" : m[2]!.toUpperCase()}`;
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
      ? `knee: none in the loads tried (${
        metricLabel(j.knee.metric)
      } never rose faster than throughput)`
      : `knee: ${j.knee.load} ${u} (after it, ${
        metricLabel(j.knee.metric)
      } rises faster than throughput)`,
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
