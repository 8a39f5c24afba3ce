/**
 * The interop wiring end to end: `compare` on a Python baseline's CSV against
 * a real loadgate log, checks not made named everywhere, and the CI outputs
 * (--junit, --json, --prom, $GITHUB_STEP_SUMMARY) of run, compare and merge.
 */
import assert from "node:assert/strict";
import { serveStub } from "../../lib/stub/server.ts";
import { runMain } from "../_helpers.ts";
import { mainCaptured } from "../_main_captured.ts";

const PYTHON = new URL("../fixtures/foreign/baseline_from_python.csv", import.meta.url).pathname;
const PERMS = [
  "--allow-net=127.0.0.1",
  "--allow-read",
  "--allow-write",
  "--allow-env=GITHUB_STEP_SUMMARY,CI,NO_COLOR,TERM",
];

async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir("results", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "interop_cli_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A real `run` against the stub: `DIR/results/optimized.csv` and its summary; in this process
 * with `inProcess` (where only the files it writes are read), else as a process, whose stdout and
 * environment the CI outputs' tests read.
 */
async function optimizedRun(dir: string, extra: string[] = [], env = {}, inProcess = false) {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 3] });
  try {
    const args = [
      "run",
      "--url",
      stub.url,
      "-n",
      "20",
      "-c",
      "4",
      "--phase",
      "optimized",
      "--out",
      `${dir}/results`,
      "--quiet",
      ...extra,
    ];
    return inProcess ? await mainCaptured(args) : await runMain(args, PERMS, env);
  } finally {
    await stub.shutdown();
  }
}

Deno.test("compare baseline_from_python.csv results/optimized.csv gates, naming the checks it could not make", async () => {
  await inTemp(async (dir) => {
    assert.equal((await optimizedRun(dir, [], {}, true)).code, 0);
    const r = await mainCaptured(
      ["compare", PYTHON, `${dir}/results/optimized.csv`, "--out", `${dir}/cmp`],
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /read .*baseline_from_python\.csv as python-csv \(20 requests\)/);
    assert.match(
      r.stdout,
      /verdict: PASS, 3 checks not made: inputs_identical, outputs_identical, conditions_match \(/,
    );
    assert.match(r.stdout, /check inputs_identical +NOT MADE +a log has no input digests/);
    assert.doesNotMatch(r.stdout, /check inputs_identical +ok/);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/cmp/comparison.json`));
    assert.equal(json.verdict, "pass");
    assert.deepEqual(json.checks_not_made, [
      "inputs_identical",
      "outputs_identical",
      "conditions_match",
    ]);
    assert.equal(json.checks.inputs_identical.ok, false, "a check not made never says ok");
    assert.equal(json.checks.inputs_identical.made, false);
    assert.equal(json.phases.baseline.format, "python-csv");
    assert.equal(json.baseline.requests, 20);

    // --require-checks: a check not made fails the gate.
    const strict = await mainCaptured(
      [
        "compare",
        PYTHON,
        `${dir}/results/optimized.csv`,
        "--out",
        `${dir}/cmp2`,
        "--require-checks",
      ],
    );
    assert.equal(strict.code, 1);
    assert.match(
      strict.stdout,
      /verdict: FAIL \(check inputs_identical not made \(--require-checks\)/,
    );

    // A missed SLA still fails on a foreign baseline as the AFTER log.
    const missed = await mainCaptured(
      ["compare", `${dir}/results/optimized.csv`, PYTHON, "--out", `${dir}/cmp3`],
    );
    assert.equal(missed.code, 1);
    assert.match(missed.stdout, /verdict: FAIL, 3 checks not made: .*SLA p95<=800 missed/);
  });
});

Deno.test("compare --format forces a reader, and an unknown one is one line and exit 2", async () => {
  await inTemp(async (dir) => {
    const bad = await mainCaptured(["compare", PYTHON, PYTHON, "--format", "nope"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^loadgate: Cannot parse --format: "nope" is not a known format/);
    const forced = await mainCaptured(
      ["compare", PYTHON, PYTHON, "--format", "python-csv", "--out", `${dir}/c`],
    );
    assert.equal(forced.code, 1, "the Python baseline misses p95<=800");
    const wrong = await mainCaptured(["compare", PYTHON, PYTHON, "--format", "k6-json"]);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stderr.trim().split("\n").length, 1);
  });
});

Deno.test("compare --junit, --prom, --json and $GITHUB_STEP_SUMMARY: one JSON document on stdout", async () => {
  await inTemp(async (dir) => {
    assert.equal((await optimizedRun(dir)).code, 0);
    const step = `${dir}/step.md`;
    await Deno.writeTextFile(step, "earlier step\n");
    const r = await runMain(
      [
        "compare",
        PYTHON,
        `${dir}/results/optimized.csv`,
        "--out",
        `${dir}/cmp`,
        "--junit",
        `${dir}/gate.xml`,
        "--prom",
        `${dir}/gate.prom`,
        "--json",
      ],
      PERMS,
      { GITHUB_STEP_SUMMARY: step },
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.verdict, "pass");
    assert.deepEqual(doc, JSON.parse(await Deno.readTextFile(`${dir}/cmp/comparison.json`)));
    assert.match(r.stderr, /verdict: PASS, 3 checks not made/, "human output goes to stderr");
    const xml = await Deno.readTextFile(`${dir}/gate.xml`);
    assert.match(
      xml,
      /<testsuite name="loadgate\.compare" tests="5" failures="0" errors="0" skipped="3"/,
    );
    assert.match(
      xml,
      /name="inputs_identical" time="0">\n\s+<skipped message="not made: a log has no input digests/,
    );
    const prom = await Deno.readTextFile(`${dir}/gate.prom`);
    assert.match(prom, /^loadgate_p95\{phase="optimized",target="[^"]*optimized\.csv"\} [\d.]+$/m);
    assert.match(prom, /^loadgate_sla_pass\{phase="optimized",.*threshold="p95<=800"\} 1$/m);
    const summary = await Deno.readTextFile(step);
    assert.ok(summary.startsWith("earlier step\n"), "appended, never replaced");
    assert.match(summary, /### loadgate: PASS/);
    assert.match(summary, /- not made: inputs identical:/);
  });
});

Deno.test("run --json prints only the summary JSON on stdout, so jq .summary.p95 works; --junit and --prom", async () => {
  await inTemp(async (dir) => {
    const step = `${dir}/step.md`;
    const r = await optimizedRun(dir, [
      "--json",
      "--junit",
      `${dir}/run.xml`,
      "--prom",
      `${dir}/run.prom`,
      "--sla",
      "p95<=5000",
    ], { GITHUB_STEP_SUMMARY: step });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(typeof doc.summary.p95, "number");
    assert.equal(doc.summary.requests, 20);
    assert.equal(doc.verdict, "pass");
    assert.match(r.stderr, /verdict: PASS/);
    assert.doesNotMatch(r.stdout, /verdict:/);
    const xml = await Deno.readTextFile(`${dir}/run.xml`);
    assert.match(
      xml,
      /<testsuite name="loadgate\.run" tests="2" failures="0" errors="0" skipped="0"/,
    );
    assert.match(xml, /<testcase classname="loadgate\.run\.sla" name="p95&lt;=5000" time="0"\/>/);
    const prom = await Deno.readTextFile(`${dir}/run.prom`);
    assert.match(prom, /^# TYPE loadgate_requests gauge$/m);
    assert.match(
      prom,
      /^loadgate_requests\{phase="optimized",target="http:\/\/127\.0\.0\.1:\d+\/v1\/infer"\} 20$/m,
    );
    assert.match(await Deno.readTextFile(step), /### loadgate: PASS \(optimized\)/);
  });
});

Deno.test("run --junit marks a missed threshold as a failure with the measured value", async () => {
  await inTemp(async (dir) => {
    const r = await optimizedRun(dir, ["--junit", `${dir}/run.xml`, "--sla", "p50<0"]);
    assert.equal(r.code, 1);
    const xml = await Deno.readTextFile(`${dir}/run.xml`);
    assert.match(xml, /failures="1"/);
    assert.match(xml, /<failure message="measured [\d.]+, threshold &lt; 0" type="sla">/);
  });
});
