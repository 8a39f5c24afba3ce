/**
 * `job --tests-junit FILE`: the functional tests' counts read from the JUnit
 * report of a `deno task test` run made just before (CI runs the suite once),
 * instead of running the suite again. A report older than any file of the
 * checkout's code or tests would vouch for code it did not test: refused.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { countsFromJunit, type TestCounts } from "./functional_tests.ts";

/** What decides the tests' outcome: a report must be newer than all of it. */
const SOURCES = ["lib", "tests", "main.ts", "deno.json", "deno.lock"];

/** The newest file under `paths` (relative to `root`) by modification time. */
async function newestFile(root: string, paths: string[]): Promise<{ path: string; ms: number }> {
  let newest = { path: "", ms: 0 };
  const visit = async (rel: string): Promise<void> => {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(`${root}/${rel}`);
    } catch {
      return;
    }
    if (info.isDirectory) {
      for await (const e of Deno.readDir(`${root}/${rel}`)) await visit(`${rel}/${e.name}`);
    } else if ((info.mtime?.getTime() ?? 0) > newest.ms) {
      newest = { path: rel, ms: info.mtime!.getTime() };
    }
  };
  for (const p of paths) await visit(p);
  return newest;
}

/** Reads `file`; throws {@linkcode UsageError} when it is missing, malformed or stale. */
export async function readEarlierReport(file: string, checkout: URL): Promise<TestCounts> {
  let xml: string;
  let info: Deno.FileInfo;
  try {
    [xml, info] = await Promise.all([Deno.readTextFile(file), Deno.stat(file)]);
  } catch (err) {
    throw new UsageError(
      `Cannot read --tests-junit "${file}": ${err instanceof Error ? err.message : err}`,
    );
  }
  let counts: TestCounts;
  try {
    counts = countsFromJunit(xml, file);
  } catch (err) {
    throw new UsageError(`Cannot use --tests-junit "${file}": ${(err as Error).message}`);
  }
  const written = info.mtime?.getTime() ?? 0;
  let age = "its age not checked: no checkout";
  if (checkout.protocol === "file:") {
    const newest = await newestFile(checkout.pathname.replace(/\/$/, ""), SOURCES);
    if (newest.ms > written) {
      throw new UsageError(
        `Cannot use --tests-junit "${file}": ${newest.path} changed after it was written; ` +
          "run deno task test again",
      );
    }
    age = `newer than every file of lib/ and tests/`;
  }
  const ago = Math.max(0, Math.round((Date.now() - written) / 1000));
  return { ...counts, reused_report: `read from ${file}, written ${ago} s ago, ${age}` };
}
