/**
 * A command refused as bad usage after its output folder was made (a log
 * that cannot be read, a stale report) leaves no folder behind; one that
 * wrote a file, or failed otherwise, keeps it (withCheckedOutputs).
 */
import assert from "node:assert/strict";
import { UsageError } from "../../../lib/base/errors.ts";
import { outFile, withCheckedOutputs } from "../../../lib/commands/shared/output_paths.ts";
import { mainCaptured } from "../../_main_captured.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "refused_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("withCheckedOutputs() removes the folders it made when the command is refused, and only then", () =>
  inTemp(async (dir) => {
    const check = (out: string) => ({
      outDir: out,
      files: outFile(out, "x.json", "json"),
      inputs: [],
    });
    // Refused before writing: the folder and its new parent go; the existing parent stays.
    await assert.rejects(
      withCheckedOutputs(check(`${dir}/a/b`), () => {
        throw new UsageError("Cannot read the log");
      }),
      UsageError,
    );
    assert.equal(await exists(`${dir}/a`), false);
    assert.equal(await exists(dir), true);
    // Refused after writing a file: what it wrote stays.
    await assert.rejects(
      withCheckedOutputs(check(`${dir}/c`), async () => {
        await Deno.writeTextFile(`${dir}/c/partial.txt`, "x");
        throw new UsageError("late");
      }),
      UsageError,
    );
    assert.equal(await exists(`${dir}/c/partial.txt`), true);
    // Another failure (not bad usage): the folder stays, as a crash's evidence.
    await assert.rejects(
      withCheckedOutputs(check(`${dir}/d`), () => Promise.reject(new Error("crash"))),
      Error,
    );
    assert.equal(await exists(`${dir}/d`), true);
    // Success: the folder stays, and the command's value comes back.
    assert.equal(await withCheckedOutputs(check(`${dir}/e`), () => Promise.resolve(7)), 7);
    assert.equal(await exists(`${dir}/e`), true);
  }));

Deno.test("compare with a log it cannot read, and the job with a missing test report, leave no folder", () =>
  inTemp(async (dir) => {
    const python = new URL("../../fixtures/foreign/baseline_from_python.csv", import.meta.url)
      .pathname;
    const compare = await mainCaptured(
      ["compare", python, python, "--format", "k6-json", "--out", `${dir}/new/cmp`],
    );
    assert.equal(compare.code, 2, compare.stderr);
    assert.match(compare.stderr, /^loadgate: Cannot read /);
    assert.equal(await exists(`${dir}/new`), false, "compare left its folder");
    const job = await mainCaptured(
      ["job", "--tests-junit", `${dir}/none.xml`, "--out", `${dir}/new/job`],
    );
    assert.equal(job.code, 2, job.stderr);
    assert.equal(await exists(`${dir}/new`), false, "the job left its folder");
  }));
