/**
 * Bad input: every case gets one line on stderr, starting "loadgate", naming
 * the bad value, and exit code 2; nothing runs. The cases run in-process
 * (main() with the console captured), and a sample of them as real processes.
 * docs/bad-input.md ("What bad input gets") lists every case by its label.
 */
import assert from "node:assert/strict";
import { mainCaptured } from "../_main_captured.ts";
import { runMain } from "../_helpers.ts";
import { type Case, CASES, fixtures } from "../_bad_input_cases.ts";

async function withFixtures(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_bad_" });
  try {
    await fixtures(dir);
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertOneLineUsageError(
  r: { code: number; stdout: string; stderr: string },
  c: Case,
): void {
  assert.equal(r.code, 2, `${c.label}: exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `${c.label}: one line, got ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0]!, /^loadgate( stub)?: [A-Z]/, c.label);
  assert.match(lines[0]!, c.expect, c.label);
  assert.equal(r.stdout, "", `${c.label}: nothing on stdout`);
}

Deno.test("every bad input case gets one line on stderr and exit 2, and nothing runs", async () => {
  await withFixtures(async (dir) => {
    for (const c of CASES) {
      assertOneLineUsageError(await mainCaptured(c.args(dir)), c);
    }
    // Nothing ran: no log or report was written.
    for (const f of ["run.csv", "run.json", "comparison.json"]) {
      assert.equal(await Deno.stat(`${dir}/out/${f}`).then(() => true, () => false), false, f);
    }
  });
});

Deno.test("bad input as real processes: one line, exit 2, no stack trace", async () => {
  const sample = [
    "job --requests 0",
    "run --url ftp://...",
    "run --body @truncated.json",
    "compare truncated.csv (row cut short)",
    "stub --port 70000",
  ];
  await withFixtures(async (dir) => {
    for (const label of sample) {
      const c = CASES.find((x) => x.label === label)!;
      assertOneLineUsageError(await runMain(c.args(dir)), c);
    }
  });
});

Deno.test("docs/bad-input.md lists every case of bad input", async () => {
  const page = await Deno.readTextFile(new URL("../../docs/bad-input.md", import.meta.url));
  const at = page.indexOf("# What bad input gets");
  assert.ok(at >= 0, 'docs/bad-input.md has the heading "What bad input gets"');
  const section = page.slice(at);
  for (const c of CASES) {
    assert.ok(
      section.includes(`| ${c.label.replaceAll("|", "\\|")} `),
      `docs/bad-input.md lists "${c.label}"`,
    );
  }
});
