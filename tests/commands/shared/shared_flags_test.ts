/**
 * Flags that several commands take are spelled the same in every command:
 * one spec (lib/commands/shared/flags/common.ts), read from each command's
 * real flag spec through the registry.
 */
import assert from "node:assert/strict";
import { COMMANDS } from "../../../lib/cli/commands.ts";
import type { FlagSpec } from "../../../lib/base/flags.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { parseJobArgs } from "../../../lib/commands/job/flags.ts";
import { parseSweepArgs } from "../../../lib/commands/sweep/flags.ts";

const URL_OK = "http://127.0.0.1:9/v1/infer";

/** Not load-testing commands: the stub is the test server (its `--stream MODE` picks how it answers), and `completions` takes no flags. */
const OTHERS = ["stub", "completions"];

async function specs(): Promise<Record<string, FlagSpec>> {
  const out: Record<string, FlagSpec> = {};
  for (const [name, command] of Object.entries(COMMANDS)) {
    if (OTHERS.includes(name)) continue;
    out[name] = (await command.load()).flags;
  }
  return out;
}

Deno.test("a flag two commands share has the same short form and type in both", async () => {
  const byFlag = new Map<string, Map<string, string>>();
  for (const [command, spec] of Object.entries(await specs())) {
    for (const [flag, def] of Object.entries(spec)) {
      const spelling = `${def.short ? `-${def.short}, ` : ""}--${flag} (${def.type})`;
      const seen = byFlag.get(flag) ?? new Map<string, string>();
      seen.set(command, spelling);
      byFlag.set(flag, seen);
    }
  }
  const differ = [...byFlag].filter(([, seen]) => new Set(seen.values()).size > 1)
    .map(([flag, seen]) => `--${flag}: ${[...seen].map(([c, s]) => `${c} ${s}`).join("; ")}`);
  assert.deepEqual(differ, []);
});

Deno.test("-q, -h on every command with a progress line; -n and -c wherever they exist", async () => {
  const all = await specs();
  for (const command of ["run", "sweep", "job"]) {
    assert.equal(all[command]?.quiet?.short, "q", command);
  }
  for (const [command, spec] of Object.entries(all)) {
    assert.equal(spec.help?.short, "h", command);
    if (spec.requests) assert.equal(spec.requests.short, "n", command);
    if (spec.concurrency) assert.equal(spec.concurrency.short, "c", command);
  }
});

Deno.test("-q is --quiet in run, sweep and job; -n and -c are --requests and --concurrency in job", () => {
  const run = parseRunArgs(["--url", URL_OK, "-q"]);
  assert.ok(run !== "help");
  assert.equal(run.quiet, true);
  const job = parseJobArgs(["-q", "-n", "50", "-c", "4"], false);
  assert.ok(job !== "help");
  assert.equal(job.quiet, true);
  assert.equal(job.requests, 50);
  assert.equal(job.concurrency, 4);
  const quietJob = parseJobArgs([], false);
  assert.ok(quietJob !== "help");
  assert.equal(quietJob.quiet, false);
  // A sweep's steps draw no progress line: -q is taken (an unknown flag would throw).
  const sweep = parseSweepArgs(["--url", URL_OK, "--rates", "1,2", "-q"]);
  assert.ok(sweep !== "help");
});
