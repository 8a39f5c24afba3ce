import assert from "node:assert/strict";
import { importCommand } from "../../../lib/commands/import/command.ts";
import { parseImportArgs } from "../../../lib/commands/import/flags.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { comparePhases } from "../../../lib/verdict/compare.ts";
import { UsageError } from "../../../lib/base/errors.ts";

const FIXTURES = "tests/fixtures/foreign";

async function tempOut(): Promise<string> {
  await Deno.mkdir("results", { recursive: true });
  return await Deno.makeTempDir({ dir: "results", prefix: "import_test_" });
}

const quiet = { out: () => {}, err: () => {} };

Deno.test("parseImportArgs() takes FILE, --out, --format, --phase; the phase defaults to the file name", () => {
  assert.deepEqual(parseImportArgs(["a/base line.csv", "--out", "o"]), {
    file: "a/base line.csv",
    outDir: "o",
    phase: "base_line",
  });
  assert.deepEqual(
    parseImportArgs(["x.json", "--out", "o", "--format", "k6-json", "--phase", "k"]),
    {
      file: "x.json",
      outDir: "o",
      phase: "k",
      format: "k6-json",
    },
  );
  assert.throws(() => parseImportArgs(["x.csv"]), /--out DIR is required/);
  assert.throws(() => parseImportArgs(["--out", "o"]), /Cannot import: give one FILE \(got 0;/);
  assert.throws(() => parseImportArgs(["x", "--out", "o", "--phase", "a/b"]), UsageError);
});

Deno.test("import writes a loadgate CSV that readLog reads back, and names the checks not made", async () => {
  const out = await tempOut();
  try {
    const lines: string[] = [];
    const code = await importCommand(
      { file: `${FIXTURES}/python_baseline.csv`, outDir: out, phase: "baseline" },
      { out: (l) => lines.push(l), err: () => {} },
    );
    assert.equal(code, 0);
    const samples = await readLog(`${out}/baseline.csv`);
    assert.deepEqual(samples.map((s) => s.latencyMs), [120.5, 80.25, 30000, 15]);
    assert.deepEqual(samples.map((s) => s.error), ["", "", "timeout", "http_5xx"]);
    const record = JSON.parse(await Deno.readTextFile(`${out}/baseline.import.json`));
    assert.equal(record.format, "python-csv");
    assert.deepEqual(record.checks_not_made, [
      "inputs_identical",
      "outputs_identical",
      "conditions_match",
    ]);
    assert.match(lines.join("\n"), /checks not made with this log: inputs_identical/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a vLLM import keeps the stream columns (TTFT, ITLs, tokens)", async () => {
  const out = await tempOut();
  try {
    await importCommand({ file: `${FIXTURES}/vllm.json`, outDir: out, phase: "v" }, quiet);
    const samples = await readLog(`${out}/v.csv`);
    assert.deepEqual(samples[0]!.stream, { ttftMs: 100, chunks: 3, tokens: 3, itlMs: [10, 20] });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("imported logs never pass the input and output checks: they are reported as not made", async () => {
  const out = await tempOut();
  try {
    await importCommand({ file: `${FIXTURES}/hey.csv`, outDir: out, phase: "a" }, quiet);
    await importCommand({ file: `${FIXTURES}/hey.csv`, outDir: out, phase: "b" }, quiet);
    const c = comparePhases(await readLog(`${out}/a.csv`), await readLog(`${out}/b.csv`), {
      baseline: null,
      optimized: null,
    });
    assert.equal(c.checks.inputs_identical.ok, false);
    assert.match(c.checks.inputs_identical.detail, /^not made: a log has no input digests/);
    assert.equal(c.checks.outputs_identical.ok, false);
    assert.match(c.checks.outputs_identical.detail, /^not made: a log has no output digests/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a bad foreign file is a usage error and writes nothing", async () => {
  const out = await tempOut();
  try {
    await assert.rejects(
      importCommand({ file: `${FIXTURES}/unknown.csv`, outDir: out, phase: "u" }, quiet),
      /matches no known log format/,
    );
    await assert.rejects(
      importCommand({ file: `${FIXTURES}/missing.csv`, outDir: out, phase: "u" }, quiet),
      /Cannot read ".*missing.csv"/,
    );
    assert.deepEqual([...Deno.readDirSync(out)], []);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("loadgate import end to end: exit 0 on a good file, exit 2 with one line on a bad one", async () => {
  const out = await tempOut();
  try {
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", `--allow-read=.`, `--allow-write=results`, "main.ts", "import", ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const good = await run([`${FIXTURES}/k6.ndjson`, "--out", out]);
    assert.equal(good.code, 0, new TextDecoder().decode(good.stderr));
    assert.ok((await Deno.stat(`${out}/k6.csv`)).isFile);
    const bad = await run([`${FIXTURES}/k6_no_duration.ndjson`, "--out", out]);
    assert.equal(bad.code, 2);
    const err = new TextDecoder().decode(bad.stderr).trim();
    assert.equal(err.split("\n").length, 1);
    assert.match(err, /expected http_req_duration points/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
