import assert from "node:assert/strict";
import type { ReportInput } from "../../lib/report/html/report.ts";
import { formatSummaryMarkdown } from "../../lib/report/summary_md.ts";
import { appendStepSummary } from "../../lib/commands/shared/step_summary.ts";
import { runMain } from "../_helpers.ts";

const INPUT: ReportInput = {
  title: "baseline vs optimized",
  verdict: {
    status: "fail",
    headline: "Optimized does not pass: 1 reason below.",
    reasons: ["SLA p95<=800 missed: measured 900"],
  },
  phases: [],
  slaLines: [],
  table: [
    ["", "baseline", "optimized", "delta"],
    ["p95 (ms)", "1100.0", "900.0", "-200.0 (x0.82)"],
    ["SLA p95<=800", "FAIL (1100.000)", "FAIL (900.000)", ""],
    ["odd | label", "1", "2", "+1"],
  ],
  checks: [{ name: "outputs_identical", ok: true, detail: "400 outputs compared, all identical" }],
  meta: [],
};

Deno.test("formatSummaryMarkdown() puts the verdict first, then a GitHub table and the checks", () => {
  const md = formatSummaryMarkdown(INPUT);
  const lines = md.split("\n");
  assert.equal(lines[0], "### loadgate: FAIL (baseline vs optimized)");
  assert.equal(lines[2], "Optimized does not pass: 1 reason below.");
  assert.ok(lines.includes("- SLA p95<=800 missed: measured 900"));
  assert.ok(lines.includes("|  | baseline | optimized | delta |"));
  assert.ok(lines.includes("| --- | ---: | ---: | ---: |"));
  assert.ok(lines.includes("| SLA p95<=800 | **FAIL (1100.000)** | **FAIL (900.000)** |  |"));
  assert.ok(lines.includes("| odd \\| label | 1 | 2 | +1 |"), "a pipe in a cell is escaped");
  assert.ok(lines.includes("- ok: outputs identical: 400 outputs compared, all identical"));
  const tableRows = lines.filter((l) => l.startsWith("|"));
  assert.equal(tableRows.length, INPUT.table!.length + 1);
  assert.ok(tableRows.every((r) => r.split(/(?<!\\)\|/).length === 6), "4 cells on every row");
});

Deno.test("appendStepSummary() appends, and reports an unwritable path as one line instead of throwing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_md_" });
  try {
    const path = `${dir}/step_summary.md`;
    await Deno.writeTextFile(path, "earlier step\n");
    assert.equal(await appendStepSummary(path, "first\n"), null);
    assert.equal(await appendStepSummary(path, "second\n"), null);
    assert.equal(await Deno.readTextFile(path), "earlier step\nfirst\nsecond\n");
    const problem = await appendStepSummary(`${dir}/missing/dir/summary.md`, "x");
    assert.match(
      problem ?? "",
      /^loadgate: could not append the summary to \$GITHUB_STEP_SUMMARY \(".*missing\/dir\/summary\.md"\): /,
    );
    assert.equal(problem?.includes("\n"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const SMALL_JOB = [
  "job",
  "--skip-tests",
  "--requests",
  "8",
  "--concurrency",
  "2",
  "--service-ms",
  "1:2",
  // The 2 x 2 run's extra cells add nothing to what these tests read.
  "--no-factorial",
];

Deno.test("the job writes summary.md and appends it to $GITHUB_STEP_SUMMARY when it may", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_md_" });
  try {
    const step = `${dir}/step_summary.md`;
    await Deno.writeTextFile(step, "## earlier step\n");
    const perms = [
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env=GITHUB_STEP_SUMMARY",
    ];
    const r = await runMain([...SMALL_JOB, "--out", `${dir}/out`], perms, {
      GITHUB_STEP_SUMMARY: step,
    });
    assert.equal(r.code, 0, r.stderr);
    const summary = await Deno.readTextFile(`${dir}/out/summary.md`);
    assert.match(summary, /^### loadgate: PASS \(baseline vs optimized\)\n/);
    assert.match(summary, /\| requests \(total\) \| 8 \| 8 \| 0 \|/);
    assert.equal(await Deno.readTextFile(step), "## earlier step\n" + summary);
    assert.match(r.stdout, /wrote .*report\.html summary\.md/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without write permission for $GITHUB_STEP_SUMMARY the job says so in one line and still passes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_md_" });
  try {
    const step = `${dir}/elsewhere/step_summary.md`;
    await Deno.mkdir(`${dir}/elsewhere`);
    const perms = [
      "--allow-net=127.0.0.1",
      "--allow-read",
      `--allow-write=${dir}/out`,
      "--allow-run",
      "--allow-env=GITHUB_STEP_SUMMARY",
    ];
    const r = await runMain([...SMALL_JOB, "--out", `${dir}/out`], perms, {
      GITHUB_STEP_SUMMARY: step,
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l.includes("GITHUB_STEP_SUMMARY"));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /could not append the summary .*no permission to write it \(run with --allow-write=/,
    );
    assert.ok((await Deno.stat(`${dir}/out/summary.md`)).isFile);
    await assert.rejects(Deno.stat(step), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
