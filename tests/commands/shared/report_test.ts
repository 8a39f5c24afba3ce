// Terminal output is under test here: its colour escape codes are the point.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { comparePhases } from "../../../lib/verdict/compare.ts";
import { visibleLength } from "../../../lib/commands/shared/progress.ts";
import { formatTable, summaryTable } from "../../../lib/report/comparison_table.ts";
import { evaluate, parseSla } from "../../../lib/verdict/threshold.ts";
import { decide } from "../../../lib/verdict/verdict.ts";
import { makeSample } from "../../_helpers.ts";

const phase = (base: number, failAt = -1) =>
  Array.from({ length: 20 }, (_, i) =>
    makeSample({
      requestId: i,
      latencyMs: base + i * 3,
      sentMs: i * 10,
      ok: i !== failAt,
      error: i === failAt ? "http_5xx" : "",
    }));

function tableInput(color: boolean, failAt = -1) {
  const comparison = comparePhases(phase(900), phase(20, failAt), {
    baseline: null,
    optimized: null,
  });
  // Load parameters that differ: the conditions check fails (unknown ones are "not made").
  comparison.checks.conditions_match = {
    ok: false,
    detail: "concurrency: 4 vs 8",
    differences: ["concurrency: 4 vs 8"],
  };
  const thresholds = parseSla(["p95<=800"], 0, ["p95", "error_rate"]);
  const sla = {
    baseline: evaluate(thresholds, comparison.baseline),
    optimized: evaluate(thresholds, comparison.optimized),
  };
  return { comparison, sla, verdict: decide(sla.optimized, comparison.checks), color };
}

const ROW_LABELS = [
  "requests (total)",
  "succeeded",
  "failed",
  "p50 (ms)",
  "p95 (ms)",
  "p99 (ms)",
  "mean (ms)",
  "max (ms)",
  "throughput (req/s)",
  "SLA p95<=800",
  "SLA error_rate<=0",
];

Deno.test("formatTable() aligns every number column and marks each SLA line pass or FAIL", () => {
  const text = formatTable(tableInput(false));
  const lines = text.split("\n");
  const rows = lines.slice(0, ROW_LABELS.length + 1);
  assert.deepEqual(rows.slice(1).map((l) => l.slice(0, 18).trim()), ROW_LABELS);
  // Right-aligned columns: each value of the baseline and optimized columns ends where its header ends.
  const header = rows[0]!;
  for (const name of ["baseline", "optimized"]) {
    const end = header.indexOf(name) + name.length;
    for (const row of rows.slice(1)) {
      assert.notEqual(row[end - 1], " ", `${name} column ends at ${end} in "${row}"`);
      assert.ok(row[end] === " " || row[end] === undefined, `"${row}"`);
    }
  }
  assert.match(text, /SLA p95<=800\s+FAIL \(\d+\.\d{3}\)\s+pass \(\d+\.\d{3}\)/);
  assert.match(text, /p95 \(ms\)\s+954\.\d\s+74\.\d\s+-880\.0 \(x0\.08\)/);
  assert.match(text, /verdict: FAIL \(check conditions_match failed: concurrency: 4 vs 8/);
  assert.ok(!text.includes("\x1b["), "no colour codes when colour is off");
});

Deno.test("formatTable() colours pass green and FAIL red without moving a column", () => {
  const plain = formatTable(tableInput(false)).split("\n");
  const coloured = formatTable(tableInput(true)).split("\n");
  assert.equal(coloured.length, plain.length);
  coloured.forEach((line, i) => assert.equal(visibleLength(line), plain[i]!.length, line));
  const slaLine = coloured.find((l) => l.startsWith("SLA p95<=800"))!;
  assert.match(slaLine, /\x1b\[31m\s*FAIL \([\d.]+\)\x1b\[0m/);
  assert.match(slaLine, /\x1b\[32m\s*pass \([\d.]+\)\x1b\[0m/);
  assert.match(coloured.at(-1)!, /^\x1b\[31mverdict: FAIL/);
});

Deno.test("summaryTable() counts failures and has a delta column only for two phases", () => {
  const { comparison, sla } = tableInput(false, 4);
  const two = summaryTable([
    { name: "baseline", summary: comparison.baseline, sla: sla.baseline },
    { name: "optimized", summary: comparison.optimized, sla: sla.optimized },
  ]);
  assert.deepEqual(two[0], ["", "baseline", "optimized", "delta"]);
  assert.deepEqual(two.find((r) => r[0] === "failed"), ["failed", "0", "1", "+1"]);
  assert.deepEqual(two.find((r) => r[0] === "SLA error_rate<=0"), [
    "SLA error_rate<=0",
    "pass (0.000)",
    "FAIL (0.050)",
    "",
  ]);
  const one = summaryTable([{ name: "run", summary: comparison.optimized, sla: sla.optimized }]);
  assert.deepEqual(one[0], ["", "run"]);
  assert.ok(one.every((r) => r.length === 2));
});
