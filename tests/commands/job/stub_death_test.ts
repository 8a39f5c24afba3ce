/**
 * A cell's stub that ends during its cell is named by the job, also when its
 * end is seen only after the cell's requests have failed on its dead port
 * (the child not yet reaped): the job gives a stub that does not answer its
 * counters time for its end to be seen (lib/commands/job/phases.ts).
 */
import assert from "node:assert/strict";
import { JOB_DEFAULTS, runJob } from "../../../lib/commands/job/command.ts";
import { serveStub } from "../../../lib/stub/server.ts";
import type { StubProcess } from "../../../lib/stub/spawn.ts";

Deno.test("the job names a stub that died mid-cell, its end seen only after the requests failed", async () => {
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "job_stub_death_" });
  const err: string[] = [];
  const graces: Record<string, number[]> = { dead: [], alive: [] };
  const live = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
  // The baseline's stub is gone before its cell starts: nothing listens on port 9. Its end is
  // "seen" 50 ms after it is asked for, as a child's exit is seen once the process is reaped.
  const dead: StubProcess = {
    url: "http://127.0.0.1:9/v1/infer",
    stop: () => Promise.resolve(),
    stats: () => Promise.reject(new Error("connection refused")),
    died: async (graceMs = 0) => {
      graces.dead!.push(graceMs);
      if (graceMs < 50) return null;
      await new Promise((r) => setTimeout(r, 50));
      return "killed by SIGABRT";
    },
  };
  const alive: StubProcess = {
    url: live.url,
    stop: () => Promise.resolve(),
    stats: () => Promise.resolve(live.stats()),
    died: (graceMs = 0) => (graces.alive!.push(graceMs), Promise.resolve(null)),
  };
  try {
    await runJob(
      {
        ...JOB_DEFAULTS,
        outDir: dir,
        requests: 6,
        concurrency: 2,
        serviceMs: [1, 2],
        skipTests: true,
        factorial: false,
        timeoutMs: 5_000,
      },
      {
        out: () => {},
        err: (l) => err.push(l),
        startStub: (args) => Promise.resolve(args.includes("serialized") ? dead : alive),
        runTests: () => Promise.reject(new Error("the tests are skipped")),
        stop: new AbortController().signal,
      },
    );
    const warnings = err.filter((l) => l.startsWith("warning: the "));
    assert.equal(warnings.length, 1, err.join("\n"));
    assert.match(
      warnings[0]!,
      /^warning: the baseline stub ended during its cell \(killed by SIGABRT\)/,
    );
    assert.ok(graces.dead!.every((g) => g >= 1000), `the dead stub's grace: ${graces.dead}`);
    assert.deepEqual(graces.alive, [0], "a stub that answers its counters gets no grace");
  } finally {
    await live.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
