/**
 * The code type-checks: `deno task check`'s own command (read from deno.json,
 * so the two cannot drift apart) run as a test. The parts import their test
 * files at run time, which `deno test` does not type-check; as a test the check
 * runs beside the other parts instead of before them (about 8 s of CPU in a new
 * clone, 0.2 s once Deno's cache holds it, and the same cache entry as
 * `deno task check`, which `.ci/run` and `deno task ok` run first).
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** The arguments of `deno task check`'s command after `deno`. */
async function checkTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const words = String(config.tasks.check).trim().split(/\s+/);
  assert.equal(words[0], "deno", `deno.json's check task starts with deno: ${config.tasks.check}`);
  assert.ok(
    words.every((w) => /^[\w./-]+$/.test(w)),
    `the check task is plain words (no shell syntax to interpret here): ${config.tasks.check}`,
  );
  return words.slice(1);
}

Deno.test("the code type-checks (deno task check's command)", async () => {
  const args = await checkTaskArgs();
  assert.equal(args[0], "check");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...args.slice(0, 1), "--quiet", ...args.slice(1)],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `deno ${args.join(" ")} failed:\n${text}`);
});
