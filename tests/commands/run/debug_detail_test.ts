/**
 * `run --debug`: a failed response's first bytes land in an appended
 * `error_detail` column, so a 400 says why; without --debug the log keeps its
 * columns.
 */
import assert from "node:assert/strict";
import { serveStub } from "../../../lib/stub/server.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { errorDetailOf } from "../../../lib/load/measure.ts";
import { DEBUG_DETAIL_BYTES, EXTRA_LOG_COLUMNS, LOG_COLUMNS } from "../../../lib/stats/sample.ts";
import { mainCaptured } from "../../_main_captured.ts";

for (const engine of ["h1", "fetch"]) {
  Deno.test(`run --debug (${engine}) writes the first bytes of a failed body to an appended error_detail column`, async () => {
    await debugRun(engine);
  });
}

async function debugRun(engine: string): Promise<void> {
  await Deno.mkdir("results", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "debug_" });
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
  try {
    const args = [
      "run",
      "--url",
      stub.url,
      "-n",
      "3",
      "-c",
      "1",
      "--body",
      "{not json",
      "-H",
      "content-type: text/plain",
      "--quiet",
      "--engine",
      engine,
    ];
    // In process: the log's columns are the point, not the process (0.3 s of CPU a deno start).
    const on = await mainCaptured([...args, "--out", `${dir}/on`, "--debug"]);
    assert.equal(on.code, 1, "every request is a 400");
    const text = await Deno.readTextFile(`${dir}/on/run.csv`);
    assert.equal(
      text.split("\n")[0],
      [...LOG_COLUMNS, ...EXTRA_LOG_COLUMNS, "error_detail"].join(","),
    );
    const samples = await readLog(`${dir}/on/run.csv`);
    assert.equal(samples.length, 3);
    for (const s of samples) {
      assert.equal(s.error, "http_4xx");
      assert.match(s.errorDetail ?? "", /body must be JSON/, "the 400's body says why");
      assert.ok(s.errorDetail!.length <= DEBUG_DETAIL_BYTES);
    }
    const off = await mainCaptured([...args, "--out", `${dir}/off`]);
    assert.equal(off.code, 1);
    const header = (await Deno.readTextFile(`${dir}/off/run.csv`)).split("\n")[0]!;
    assert.ok(!header.includes("error_detail"), "without --debug the columns stay");
    assert.equal((await readLog(`${dir}/off/run.csv`))[0]!.errorDetail, undefined);
  } finally {
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("errorDetailOf() keeps the first bytes as one line, without a cut character", () => {
  const body = new TextEncoder().encode('{"error":\n  "bad é json"}');
  assert.equal(errorDetailOf(body, 100), '{"error": "bad é json"}');
  // "é" is two bytes: a cut in its middle drops the half character.
  assert.equal(errorDetailOf(body, 18), '{"error": "bad');
});

Deno.test("--debug is a flag of run on either engine", () => {
  for (const engine of ["h1", "fetch"]) {
    const o = parseRunArgs(["--url", "http://127.0.0.1:9/x", "--engine", engine, "--debug"]);
    assert.ok(o !== "help" && o.debug === true && o.engine === engine);
  }
});
