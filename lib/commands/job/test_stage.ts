/**
 * What the main job prints about its functional tests: one line of counts,
 * then every failure with its message in full, then the ignored tests by
 * name with the lines the test files printed about why. The live line shown
 * while they run is {@linkcode testProgressLine}.
 *
 * @module
 */

import type { TestCounts } from "./functional_tests.ts";

/** The test stage as printed after the tests ran (or were read, or not run). Pure. */
export function testStageLines(t: TestCounts): string[] {
  if (t.skipped_reason) return [`functional tests: ${t.skipped_reason}`];
  const counts = `${t.passed} passed, ${t.failed} failed, ${t.ignored ?? 0} ignored`;
  const where = t.reused_report
    ? ` (${t.reused_report}; not run again)`
    : `${t.seconds === undefined ? "" : ` in ${Math.round(t.seconds)} s`}${
      t.log ? ` (runner's output: ${t.log})` : ""
    }`;
  const lines = [`functional tests: ${counts}${where}`];
  for (const f of t.failures ?? []) {
    lines.push(`FAILED: ${f.name} (${f.file})`);
    for (const l of f.message.split("\n")) lines.push(`  ${l}`);
  }
  for (const i of t.ignored_tests ?? []) lines.push(`ignored: ${i.name} (${i.file})`);
  if ((t.ignored_tests?.length ?? 0) > 0) {
    const reasons = t.ignored_reasons ?? [];
    lines.push(
      reasons.length > 0
        ? "  why, as the test files print it:"
        : "  why: the test files printed no reason (see the runner's output)",
    );
    for (const r of reasons) lines.push(`    ${r}`);
  }
  return lines;
}

/** The live line while the tests run: "functional tests: 312 done, 0 failed, 17 s". Pure. */
export function testProgressLine(done: number, failed: number, elapsedMs: number): string {
  return `functional tests: ${done} done, ${failed} failed, ${Math.floor(elapsedMs / 1000)} s`;
}
