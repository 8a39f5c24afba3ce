/**
 * Runs the functional verification tests (`deno task test`) as a child
 * process and reads their counts from the JUnit report it writes.
 *
 * @module
 */

/** Counts from a test run. */
export interface TestCounts {
  passed: number;
  failed: number;
  /** Where the JUnit report is, or null when the tests did not run. */
  junit: string | null;
  /** Why the tests were not run, when they were not. */
  skipped_reason?: string;
}

/** Reads test counts from JUnit XML (the root `<testsuites>` element). */
export function parseJunitCounts(xml: string): { passed: number; failed: number } {
  const root = /<testsuites\b([^>]*)>/.exec(xml)?.[1];
  if (root === undefined) throw new Error("JUnit report has no <testsuites> element");
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? "0");
  const failed = attr("failures") + attr("errors");
  // Deno's root element has no `skipped` attribute: an ignored test is a <testcase> holding
  // <skipped/>, counted neither as passed nor as failed.
  const skipped = root.includes("skipped=")
    ? attr("skipped")
    : (xml.match(/<skipped\b/g) ?? []).length;
  return { passed: attr("tests") - failed - skipped, failed };
}

/** Options of {@linkcode runFunctionalTests}. */
export interface FunctionalTestOptions {
  /** deno.json of the checkout. */
  configPath: string;
  /** Where to write the JUnit report. */
  junitPath: string;
  /** Extra environment for the test process. */
  env?: Record<string, string>;
}

/** Runs `deno task test` with its output passed through; returns the counts. */
export async function runFunctionalTests(options: FunctionalTestOptions): Promise<TestCounts> {
  const status = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "--config",
      options.configPath,
      "test",
      `--junit-path=${options.junitPath}`,
    ],
    stdin: "null",
    env: options.env ?? {},
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  let counts: { passed: number; failed: number };
  try {
    counts = parseJunitCounts(await Deno.readTextFile(options.junitPath));
  } catch {
    counts = { passed: 0, failed: 1 };
  }
  if (!status.success && counts.failed === 0) counts.failed = 1;
  return { ...counts, junit: options.junitPath };
}
