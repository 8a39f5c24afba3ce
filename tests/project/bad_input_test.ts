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

/** Every file under `dir` with its bytes (size and time for a large one): what a case may not touch. */
async function snapshot(dir: string, at = ""): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const e of Deno.readDir(`${dir}/${at}`)) {
    const rel = at === "" ? e.name : `${at}/${e.name}`;
    if (e.isDirectory) {
      for (const [k, v] of await snapshot(dir, rel)) files.set(k, v);
    } else {
      const info = await Deno.stat(`${dir}/${rel}`);
      files.set(
        rel,
        info.size > 1 << 20
          ? `${info.size}@${info.mtime?.getTime()}`
          : new TextDecoder().decode(await Deno.readFile(`${dir}/${rel}`)),
      );
    }
  }
  return files;
}

Deno.test("every bad input case gets one line on stderr and exit 2, and nothing is written", async () => {
  await withFixtures(async (dir) => {
    const before = await snapshot(dir);
    for (const c of CASES) {
      assertOneLineUsageError(await mainCaptured(c.args(dir)), c);
      // No earlier result touched, no file left behind (out/ holds an earlier run's files).
      assert.deepEqual(await snapshot(dir), before, `${c.label}: files unchanged`);
    }
  });
});

/** The command a case runs: the first argument. */
const commandOf = (c: Case): string => c.args("D")[0] ?? "";

Deno.test("the bad input table probes every command, at least 150 cases in all", () => {
  assert.ok(CASES.length >= 150, `${CASES.length} cases`);
  const labels = new Set<string>();
  for (const c of CASES) {
    assert.ok(!labels.has(c.label), `one case a label: "${c.label}"`);
    labels.add(c.label);
  }
  // A new command joins the list here, and the table then probes it too.
  for (const command of ["run", "job", "compare", "sweep", "merge", "import", "k8s", "stub"]) {
    const n = CASES.filter((c) => commandOf(c) === command).length;
    assert.ok(n >= 5, `${command}: ${n} cases, want at least 5`);
  }
  // Every command that writes files has output-path cases (--out '' among them).
  for (const command of ["run", "job", "compare", "sweep", "merge", "import", "k8s"]) {
    const emptyOut = (a: string[]) => a.some((x, i) => x === "--out" && a[i + 1] === "");
    assert.ok(
      CASES.some((c) => commandOf(c) === command && emptyOut(c.args("D"))),
      `${command} has an --out '' case`,
    );
  }
});

Deno.test("bad input as real processes: one line, exit 2, no stack trace", async () => {
  const sample = [
    "job --requests 0",
    "run --url ftp://...",
    "run --body @truncated.json",
    "compare truncated.csv (row cut short)",
    "stub --port 70000",
    "stub --host 8.8.8.8 (an address this machine lacks)",
    "run --junit OUT/run.csv (the run's own log)",
    "run --phase of 300 characters (file name too long)",
    "run --api ... --synthetic input=1e12,output=5",
    "merge SHARD --out SHARD --phase run (the shard's own log)",
    "import DIR/hey.csv --out DIR (the source)",
    "compare a log with ok=true and status 500",
    "k8s --out ''",
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
