/**
 * The main job's functional-test stage: the JUnit report read back (counts,
 * failures in full, ignored tests), the lines printed, a real `deno task test`
 * of a small checkout with its output in a log, a failing test failing the job
 * with exit 3, and `--tests-junit` refusing a missing or stale report.
 */
import assert from "node:assert/strict";
import { readJunit, unescapeXml } from "../../../lib/commands/job/test_report.ts";
import { testProgressLine, testStageLines } from "../../../lib/commands/job/test_stage.ts";
import {
  ignoredReasons,
  ResultCounter,
  runFunctionalTests,
  type TestCounts,
} from "../../../lib/commands/job/functional_tests.ts";
import { readEarlierReport } from "../../../lib/commands/job/earlier_report.ts";
import { JOB_DEFAULTS, runJob } from "../../../lib/commands/job/command.ts";
import { UsageError } from "../../../lib/base/errors.ts";

/** A report in the shape Deno writes it: a pass, a failure, an ignored test and a step. */
const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="5" failures="1" errors="0" time="0.660">
    <testsuite name="./a_test.ts" tests="5" disabled="1" errors="0" failures="1">
        <testcase name="passes" classname="./a_test.ts" time="0.001" line="2" col="6">
        </testcase>
        <testcase name="fails &quot;loudly&quot;" classname="./a_test.ts" time="0.085" line="3" col="6">
            <failure message="Uncaught AssertionError: one is not two">AssertionError: one is not two
second line &lt;&amp;&gt;

1 !== 2
    at file:///a_test.ts:3:50</failure>
        </testcase>
        <testcase name="needs a tool" classname="./a_test.ts" time="0.000" line="4" col="6">
            <skipped/>
        </testcase>
        <testcase name="steps" classname="./a_test.ts" time="0.024" line="5" col="6">
        </testcase>
        <testcase name="steps &gt; s1" classname="./a_test.ts" time="0.020" line="5" col="43">
        </testcase>
    </testsuite>
</testsuites>`;

Deno.test("readJunit() counts passed, failed and ignored tests and keeps each failure's text whole", () => {
  const r = readJunit(REPORT);
  assert.deepEqual([r.passed, r.failed, r.ignored], [3, 1, 1]);
  assert.deepEqual(r.failures, [{
    name: 'fails "loudly"',
    file: "./a_test.ts",
    message:
      "AssertionError: one is not two\nsecond line <&>\n\n1 !== 2\n    at file:///a_test.ts:3:50",
  }]);
  assert.deepEqual(r.ignoredTests, [{ name: "needs a tool", file: "./a_test.ts" }]);
  // A step's time is inside its test's: the file took 0.001 + 0.085 + 0.024 s, not 0.020 more.
  assert.equal(r.fileSeconds["./a_test.ts"]!.toFixed(3), "0.110");
  assert.equal(unescapeXml("&#65;&#x42;&amp;lt;"), "AB&lt;");
  assert.throws(() => readJunit("<nothing/>"), /no <testsuites>/);
});

Deno.test("testStageLines() prints one line of counts, every failure in full, and the ignored tests with why", () => {
  const r = readJunit(REPORT);
  const lines = testStageLines({
    passed: r.passed,
    failed: r.failed,
    ignored: r.ignored,
    seconds: 41.4,
    junit: "results/tests.xml",
    log: "results/tests.log",
    failures: r.failures,
    ignored_tests: r.ignoredTests,
    ignored_reasons: ["a_test.ts: what needs openssl is ignored: openssl is not available"],
  });
  assert.deepEqual(lines, [
    "functional tests: 3 passed, 1 failed, 1 ignored in 41 s (runner's output: results/tests.log)",
    'FAILED: fails "loudly" (./a_test.ts)',
    "  AssertionError: one is not two",
    "  second line <&>",
    "  ",
    "  1 !== 2",
    "      at file:///a_test.ts:3:50",
    "ignored: needs a tool (./a_test.ts)",
    "  why, as the test files print it:",
    "    a_test.ts: what needs openssl is ignored: openssl is not available",
  ]);
  assert.deepEqual(testStageLines({ passed: 0, failed: 0, junit: null, skipped_reason: "x" }), [
    "functional tests: x",
  ]);
  assert.equal(testProgressLine(312, 1, 17_900), "functional tests: 312 done, 1 failed, 17 s");
});

Deno.test("ResultCounter counts result lines split across chunks; ignoredReasons() skips result lines", () => {
  const c = new ResultCounter();
  assert.equal(c.add("./a_test.ts => passes ... ok (1ms)\nfails ... FA"), true);
  assert.equal(c.add("ILED (2ms)\nsteps ... s1 ... ok (0ms)\n"), true);
  assert.equal(c.add("no result here\n"), false);
  assert.deepEqual([c.done, c.failed], [3, 1]);
  const log = [
    "a_test.ts: what needs openssl is ignored: openssl is not available",
    "needs a tool ... ignored (0ms)",
    "ok | 3 passed | 0 failed | 1 ignored (1s)",
    "sweep_browser_test: ignored, Chromium is not installed",
    "a_test.ts: what needs openssl is ignored: openssl is not available",
  ].join("\n");
  assert.deepEqual(ignoredReasons(log), [
    "a_test.ts: what needs openssl is ignored: openssl is not available",
    "sweep_browser_test: ignored, Chromium is not installed",
  ]);
});

/** A checkout of its own: a deno.json whose `test` task runs one test file. */
async function tinyCheckout(test: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_stage_" });
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ tasks: { test: "deno test --no-check" } }),
  );
  await Deno.writeTextFile(`${dir}/a_test.ts`, test);
  return dir;
}

const TINY_TESTS = `
console.log("a_test.ts: what needs a unicorn is ignored: no unicorn here");
Deno.test("passes", () => {});
Deno.test("fails", () => {
  throw new Error("expected 1 to equal 2\\nthe whole message, second line");
});
Deno.test({ name: "needs a unicorn", ignore: true, fn() {} });
`;

Deno.test("runFunctionalTests() puts the runner's whole output in the log and reads each failure in full", async () => {
  const dir = await tinyCheckout(TINY_TESTS);
  try {
    const moves: number[] = [];
    const t = await runFunctionalTests({
      configPath: `${dir}/deno.json`,
      junitPath: `${dir}/tests.xml`,
      logPath: `${dir}/tests.log`,
      progress: (done) => moves.push(done),
    });
    assert.deepEqual([t.passed, t.failed, t.ignored], [1, 1, 1]);
    assert.equal(t.log, `${dir}/tests.log`);
    assert.ok(t.seconds! > 0);
    assert.equal(t.failures?.length, 1);
    assert.equal(t.failures![0]!.name, "fails");
    assert.match(t.failures![0]!.message, /expected 1 to equal 2\nthe whole message, second line/);
    assert.deepEqual(t.ignored_tests, [{ name: "needs a unicorn", file: "./a_test.ts" }]);
    assert.deepEqual(t.ignored_reasons, [
      "a_test.ts: what needs a unicorn is ignored: no unicorn here",
    ]);
    assert.equal(moves.at(-1), 3, "the last move counts every result line");
    assert.ok(moves.every((m, i) => i === 0 || m > moves[i - 1]!), `${moves}`);
    const log = await Deno.readTextFile(`${dir}/tests.log`);
    assert.match(log, /passes \.\.\. ok/);
    assert.match(log, /the whole message, second line/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing functional test fails the job with exit 3 and its message printed in full", async () => {
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "stage_job_" });
  const out: string[] = [];
  const failing: TestCounts = {
    passed: 619,
    failed: 1,
    ignored: 0,
    seconds: 40,
    junit: `${dir}/tests.xml`,
    log: `${dir}/tests.log`,
    failures: [{ name: "fails", file: "./a_test.ts", message: "AssertionError: 1 !== 2\nline 2" }],
  };
  try {
    const code = await runJob({ ...JOB_DEFAULTS, outDir: dir }, {
      out: (l) => out.push(l),
      err: () => {},
      startStub: () => Promise.reject(new Error("the phases must not run")),
      runTests: (paths) => {
        assert.deepEqual(paths, { junit: `${dir}/tests.xml`, log: `${dir}/tests.log` });
        return Promise.resolve(failing);
      },
      stop: new AbortController().signal,
    });
    assert.equal(code, 3);
    assert.deepEqual(out.slice(0, 4), [
      `functional tests: 619 passed, 1 failed, 0 ignored in 40 s (runner's output: ${dir}/tests.log)`,
      "FAILED: fails (./a_test.ts)",
      "  AssertionError: 1 !== 2",
      "  line 2",
    ]);
    const c = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    assert.equal(c.verdict, "fail");
    assert.equal(c.functional_tests.failures[0].message, "AssertionError: 1 !== 2\nline 2");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--tests-junit reads a report newer than the checkout's code, and refuses a stale or missing one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_reuse_" });
  try {
    await Deno.mkdir(`${dir}/lib`);
    await Deno.writeTextFile(`${dir}/lib/a.ts`, "export {};\n");
    const report = `${dir}/tests.xml`;
    await Deno.writeTextFile(report, REPORT);
    const now = Date.now() / 1000;
    await Deno.utime(`${dir}/lib/a.ts`, now - 60, now - 60);
    const checkout = new URL(`file://${dir}/`);
    const t = await readEarlierReport(report, checkout);
    assert.deepEqual([t.passed, t.failed, t.ignored], [3, 1, 1]);
    assert.match(t.reused_report!, /^read from .*tests\.xml, written \d+ s ago, newer than every/);
    assert.match(testStageLines(t)[0]!, /; not run again\)$/);
    await Deno.utime(`${dir}/lib/a.ts`, now + 60, now + 60);
    await assert.rejects(
      readEarlierReport(report, checkout),
      (e: Error) =>
        e instanceof UsageError && /lib\/a\.ts changed after it was written/.test(e.message),
    );
    await assert.rejects(readEarlierReport(`${dir}/none.xml`, checkout), UsageError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
