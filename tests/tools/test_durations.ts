/**
 * Writes `tests/parts/durations.json` (test file -> seconds) from a JUnit
 * report of the suite, or the mean over several, so that `tests/parts/plan.ts`
 * deals the files to the parts by what they take (a file's time varies with
 * what runs beside it: a mean over a few runs deals more evenly than one run).
 * Re-run after adding or changing slow tests; a stale table only makes the
 * parts less even, never drops a file.
 *
 * ```sh
 * deno task test --junit-path=results/tests.xml
 * deno run --allow-read=results --allow-write=tests/parts tests/tools/test_durations.ts results/tests.xml [MORE.xml...]
 * ```
 *
 * @module
 */
import { readJunit } from "../../lib/commands/job/test_report.ts";

/** The table: files relative to `tests/`, seconds to 0.1 s, sorted by file. */
export function durationsTable(fileSeconds: Record<string, number>): Record<string, number> {
  const table: Record<string, number> = {};
  for (const [file, seconds] of Object.entries(fileSeconds).sort(([a], [b]) => a < b ? -1 : 1)) {
    const relative = file.replace(/^\.\//, "").replace(/^tests\//, "");
    table[relative] = Math.round(seconds * 10) / 10;
  }
  return table;
}

/** Each file's mean seconds over `reports` (a file missing from a report counts in the others'). */
export function meanSeconds(reports: readonly Record<string, number>[]): Record<string, number> {
  const sums: Record<string, { total: number; n: number }> = {};
  for (const report of reports) {
    for (const [file, seconds] of Object.entries(report)) {
      const s = sums[file] ??= { total: 0, n: 0 };
      s.total += seconds;
      s.n++;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([f, s]) => [f, s.total / s.n]));
}

if (import.meta.main) {
  if (Deno.args.length === 0) {
    console.error("usage: test_durations.ts JUNIT_REPORT [JUNIT_REPORT...]");
    Deno.exit(2);
  }
  const reports = await Promise.all(
    Deno.args.map(async (f) => readJunit(await Deno.readTextFile(f)).fileSeconds),
  );
  const table = durationsTable(meanSeconds(reports));
  const out = new URL("../parts/durations.json", import.meta.url);
  await Deno.writeTextFile(out, JSON.stringify(table, null, 2) + "\n");
  console.log(`${Object.keys(table).length} files -> ${out.pathname}`);
}
