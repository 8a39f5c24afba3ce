/**
 * Runs the functional verification tests (`deno task test`) as a child
 * process: its whole output goes to a log file (and, with `--verbose`, to
 * stderr as it comes), each result line moves a progress count, and the
 * counts, failures and ignored tests are read from the JUnit report it writes.
 *
 * @module
 */

import { type IgnoredTest, readJunit, type TestFailure } from "./test_report.ts";

/** Counts from a test run, as comparison.json records them. */
export interface TestCounts {
  passed: number;
  failed: number;
  /** Tests marked `ignore:` (counted neither as passed nor as failed). */
  ignored?: number;
  /** Wall time of the test run, s (absent when read from an earlier run's report). */
  seconds?: number;
  /** Where the JUnit report is, or null when the tests did not run. */
  junit: string | null;
  /** Where the runner's whole output is, when the job ran the tests. */
  log?: string;
  /** Why the tests were not run, when they were not. */
  skipped_reason?: string;
  /** Set when the counts come from a report written before the job (`--tests-junit`). */
  reused_report?: string;
  /** Each failure with the runner's message in full. */
  failures?: TestFailure[];
  /** The ignored tests by name. */
  ignored_tests?: IgnoredTest[];
  /** Lines of the runner's output that say why tests were ignored. */
  ignored_reasons?: string[];
}

/** Reads test counts from JUnit XML (the root `<testsuites>` element). */
export function parseJunitCounts(xml: string): { passed: number; failed: number } {
  const { passed, failed } = readJunit(xml);
  return { passed, failed };
}

/** The counts, failures and ignored tests of a JUnit report, as {@linkcode TestCounts}. */
export function countsFromJunit(xml: string, junit: string): TestCounts {
  const r = readJunit(xml);
  return {
    passed: r.passed,
    failed: r.failed,
    ignored: r.ignored,
    junit,
    ...(r.failures.length > 0 ? { failures: r.failures } : {}),
    ...(r.ignoredTests.length > 0 ? { ignored_tests: r.ignoredTests } : {}),
  };
}

/** Options of {@linkcode runFunctionalTests}. */
export interface FunctionalTestOptions {
  /** deno.json of the checkout. */
  configPath: string;
  /** Where to write the JUnit report. */
  junitPath: string;
  /** Where to write the runner's whole output. */
  logPath: string;
  /** Extra environment for the test process. */
  env?: Record<string, string>;
  /** Called with the runner's output as it comes (`--verbose`). */
  echo?: (chunk: Uint8Array) => void;
  /** Called after each result line: tests finished and failed so far. */
  progress?: (done: number, failed: number) => void;
  /** Monotonic clock, ms. */
  now?: () => number;
}

const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*[A-Za-z]", "g");
/** A result line of Deno's runner: `name ... ok (2ms)`, `FAILED`, `ignored`. */
const RESULT = / \.\.\. (ok|FAILED|ignored) \(/g;
/** A line a test file prints to say why something is ignored (not a result line). */
const REASON = /\b(ignored|skipped)\b/i;

/** Lines of the runner's output that say why a test is ignored, each once. */
export function ignoredReasons(log: string): string[] {
  const lines = log.replace(ANSI, "").split("\n").map((l) => l.trim());
  const reasons = lines.filter((l) =>
    REASON.test(l) && !/ \.\.\. /.test(l) && !/^(ok|FAILED) \|/.test(l)
  );
  return [...new Set(reasons)];
}

/** Counts result lines in the runner's output, across chunk boundaries. */
export class ResultCounter {
  done = 0;
  failed = 0;
  #tail = "";

  /** Adds a chunk of output; returns whether a result line was completed in it. */
  add(text: string): boolean {
    const lines = (this.#tail + text).split("\n");
    this.#tail = lines.pop() ?? "";
    let moved = false;
    for (const line of lines) {
      for (const m of line.replace(ANSI, "").matchAll(RESULT)) {
        this.done++;
        if (m[1] === "FAILED") this.failed++;
        moved = true;
      }
    }
    return moved;
  }
}

/** Runs `deno task test`, its output into `logPath`; returns the counts. */
export async function runFunctionalTests(options: FunctionalTestOptions): Promise<TestCounts> {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "--config",
      options.configPath,
      "test",
      `--junit-path=${options.junitPath}`,
    ],
    stdin: "null",
    env: { NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const log = await Deno.open(options.logPath, { write: true, create: true, truncate: true });
  const counter = new ResultCounter();
  const decoder = new TextDecoder();
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      await log.write(chunk);
      options.echo?.(chunk);
      const s = decoder.decode(chunk, { stream: true });
      text += s;
      if (counter.add(s)) options.progress?.(counter.done, counter.failed);
    }
  };
  const [status] = await Promise.all([child.status, pump(child.stdout), pump(child.stderr)]);
  log.close();
  const seconds = (now() - start) / 1000;
  let counts: TestCounts;
  try {
    counts = countsFromJunit(await Deno.readTextFile(options.junitPath), options.junitPath);
  } catch {
    counts = { passed: 0, failed: 1, junit: null, failures: [noReport(text)] };
  }
  if (!status.success && counts.failed === 0) {
    counts = { ...counts, failed: 1, failures: [noReport(text, status.code)] };
  }
  const reasons = ignoredReasons(text);
  return {
    ...counts,
    seconds,
    log: options.logPath,
    ...(reasons.length > 0 ? { ignored_reasons: reasons } : {}),
  };
}

/** The failure of a run that ended badly without a failed test: the runner's last lines. */
function noReport(text: string, code?: number): TestFailure {
  const tail = text.replace(ANSI, "").trimEnd().split("\n").slice(-30).join("\n");
  return {
    name: code === undefined ? "the test run wrote no JUnit report" : `the test run exited ${code}`,
    file: "deno task test",
    message: tail,
  };
}
