/**
 * The suite's parts (tests/parts/plan.ts): every test file runs in exactly one
 * part, the task runs every part, and the files are dealt longest first.
 */
import assert from "node:assert/strict";
import { DEFAULT_SECONDS, PARTS, planParts, recordedDurations, testFiles } from "../parts/plan.ts";
import { durationsTable, meanSeconds } from "../tools/test_durations.ts";

Deno.test("every *_test.ts under tests/ is in exactly one part, and tests/parts/ has a file a part", async () => {
  const files = await testFiles();
  assert.ok(files.length > 100, `${files.length} test files found`);
  assert.ok(files.includes("project/parts_test.ts"));
  const plan = planParts(files, await recordedDurations(), PARTS);
  assert.equal(plan.length, PARTS);
  assert.deepEqual(plan.flat().sort(), files);
  for (const part of plan) assert.ok(part.length > 0);
  const entries: string[] = [];
  for await (const e of Deno.readDir("tests/parts")) {
    if (/^\d+\.ts$/.test(e.name)) entries.push(e.name);
  }
  assert.deepEqual(entries.sort(), Array.from({ length: PARTS }, (_, i) => `${i + 1}.ts`).sort());
  for (const name of entries) {
    const text = await Deno.readTextFile(`tests/parts/${name}`);
    assert.match(text, new RegExp(`await importPart\\(${name.slice(0, -3)}\\);`), name);
  }
});

Deno.test("deno task test runs every part; deno task check type-checks all of tests/, and CI and deno task ok run it", async () => {
  const tasks = JSON.parse(await Deno.readTextFile("deno.json")).tasks;
  assert.match(tasks.test, / tests\/parts\/\[0-9\]\*\.ts"?$/);
  // The parts import their files at run time, which deno test does not type-check; the type check
  // is its own step (docs/tests.md): deno task check, whose roots hold all of tests/, which the
  // pre-commit task and CI run, and whose failure fails CI.
  assert.match(tasks.check, /^deno check .*\btests\/( |$)/);
  assert.match(tasks.ok, /\bdeno task check && deno task test\b/);
  const ci = await Deno.readTextFile(".ci/run");
  assert.match(ci, /^deno task check \|\| status=1$/m);
  assert.ok(ci.indexOf("deno task check") < ci.indexOf("deno task test"), "CI checks, then tests");
});

Deno.test("planParts() deals the longest first to the part with the least so far", () => {
  const seconds = {
    "a_test.ts": 10,
    "b_test.ts": 6,
    "c_test.ts": 5,
    "d_test.ts": 4,
    "e_test.ts": 1,
  };
  const files = [...Object.keys(seconds), "new_test.ts"];
  // 10 -> [0]; 6 -> [1]; 5 -> [1] (6 < 10): 11; 4 -> [0]: 14; 1 -> [1]: 12; new (0.5) -> [1].
  // Each part runs its longest file first.
  assert.deepEqual(planParts(files, seconds, 2), [
    ["a_test.ts", "d_test.ts"],
    ["b_test.ts", "c_test.ts", "e_test.ts", "new_test.ts"],
  ]);
  assert.deepEqual(planParts(["z_test.ts", "y_test.ts", "x_test.ts"], { "x_test.ts": 2 }, 1), [
    ["x_test.ts", "y_test.ts", "z_test.ts"],
  ]);
  assert.equal(DEFAULT_SECONDS, 0.5);
  assert.deepEqual(planParts(files, {}, 1), [files.slice().sort()]);
});

Deno.test("the durations table is each file's mean over the reports, relative to tests/, to 0.1 s", () => {
  const mean = meanSeconds([
    { "./tests/a/x_test.ts": 2, "./tests/y_test.ts": 1 },
    { "./tests/a/x_test.ts": 4 },
  ]);
  assert.deepEqual(mean, { "./tests/a/x_test.ts": 3, "./tests/y_test.ts": 1 });
  assert.deepEqual(durationsTable({ "./tests/y_test.ts": 1.04, "./tests/a/x_test.ts": 2.96 }), {
    "a/x_test.ts": 3,
    "y_test.ts": 1,
  });
});
