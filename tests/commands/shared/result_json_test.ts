import assert from "node:assert/strict";
import { compareCommand } from "../../../lib/commands/compare/command.ts";
import { JOB_DEFAULTS, runJob } from "../../../lib/commands/job/command.ts";
import {
  COMPARISON_FIELDS,
  PHASE_SUMMARY_FIELDS,
} from "../../../lib/commands/shared/result_json.ts";
import { runCommand } from "../../../lib/commands/run/command.ts";
import { parseCompareArgs } from "../../../lib/commands/compare/flags.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { startStubProcess } from "../../../lib/stub/spawn.ts";
import { serveStub } from "../../../lib/stub/server.ts";

/** Top-level fields docs/json.md lists in the section under `heading` (its first table). */
async function documented(heading: string): Promise<Set<string>> {
  const text = await Deno.readTextFile("docs/json.md");
  const start = text.indexOf(`## ${heading}`);
  assert.ok(start >= 0, `docs/json.md has no section "${heading}"`);
  const rest = text.slice(start + 3);
  const end = rest.search(/\n##/);
  const table = end < 0 ? rest : rest.slice(0, end);
  return new Set([...table.matchAll(/^\| `([a-z_]+)` +\|/gm)].map((m) => m[1]!));
}

function assertShape(
  json: Record<string, unknown>,
  required: readonly string[],
  listed: Set<string>,
  what: string,
): void {
  for (const key of required) assert.ok(key in json, `${what} lacks "${key}"`);
  for (const key of Object.keys(json)) {
    assert.ok(listed.has(key), `${what} writes "${key}", which docs/json.md does not describe`);
  }
}

const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(path));

Deno.test("the job, run and compare write the one documented shape of each JSON file", async () => {
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "result_json_" });
  const io = { out: () => {}, err: () => {} };
  const phaseFields = await documented("Phase summary");
  const comparisonFields = await documented("comparison.json");
  assert.ok(phaseFields.size > 10 && comparisonFields.size > 10, "the tables were found");
  try {
    const job = await runJob(
      {
        ...JOB_DEFAULTS,
        requests: 16,
        concurrency: 4,
        serviceMs: [1, 2],
        outDir: `${dir}/job`,
        skipTests: true,
        factorial: false,
      },
      {
        ...io,
        startStub: (args) => startStubProcess(args),
        runTests: () => Promise.reject(new Error("not run")),
        stop: new AbortController().signal,
      },
    );
    assert.equal(job, 0);
    for (const phase of ["baseline", "optimized"]) {
      const json = await readJson(`${dir}/job/${phase}.json`);
      assertShape(json, PHASE_SUMMARY_FIELDS, phaseFields, `job ${phase}.json`);
    }
    const fromJob = await readJson(`${dir}/job/comparison.json`);
    assertShape(fromJob, COMPARISON_FIELDS, comparisonFields, "job comparison.json");

    const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
    try {
      const args = [
        "--url",
        stub.url,
        "-n",
        "16",
        "-c",
        "4",
        "--out",
        `${dir}/run`,
        "--rate",
        "500",
      ];
      const options = parseRunArgs(args);
      assert.ok(options !== "help");
      await Deno.mkdir(options.outDir, { recursive: true });
      assert.equal(await runCommand(options, { ...io, stop: new AbortController().signal }), 0);
    } finally {
      await stub.shutdown();
    }
    const fromRun = await readJson(`${dir}/run/run.json`);
    assertShape(fromRun, PHASE_SUMMARY_FIELDS, phaseFields, "run.json");
    assert.ok("open_loop" in fromRun && "interval_verdict" in fromRun);

    const cmp = parseCompareArgs(
      [`${dir}/job/baseline.csv`, `${dir}/job/optimized.csv`, "--out", `${dir}/cmp`],
      false,
    );
    assert.ok(cmp !== "help");
    assert.equal(await compareCommand(cmp, io), 0);
    const fromCompare = await readJson(`${dir}/cmp/comparison.json`);
    assertShape(fromCompare, COMPARISON_FIELDS, comparisonFields, "compare comparison.json");
    assert.deepEqual(
      Object.keys(fromCompare.sla).sort(),
      Object.keys(fromJob.sla).sort(),
      "sla has one shape",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
