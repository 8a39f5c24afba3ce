/**
 * Writes `tests/parts/durations.json` (test file -> seconds) from a JUnit
 * report of the suite, so that `tests/parts/plan.ts` deals the files to the
 * parts by what they take. Re-run after adding or changing slow tests; a stale
 * table only makes the parts less even, never drops a file.
 *
 * ```sh
 * deno task test --junit-path=results/tests.xml
 * deno run --allow-read=results --allow-write=tests/parts tests/tools/test_durations.ts results/tests.xml
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

if (import.meta.main) {
  const [report] = Deno.args;
  if (report === undefined) {
    console.error("usage: test_durations.ts JUNIT_REPORT");
    Deno.exit(2);
  }
  const table = durationsTable(readJunit(await Deno.readTextFile(report)).fileSeconds);
  const out = new URL("../parts/durations.json", import.meta.url);
  await Deno.writeTextFile(out, JSON.stringify(table, null, 2) + "\n");
  console.log(`${Object.keys(table).length} files -> ${out.pathname}`);
}
