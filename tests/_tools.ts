/**
 * Optional tools of the test suite (python3 with numpy or scipy, openssl):
 * probed once at module load, so a test that needs a missing tool is
 * `ignore:`d with the reason printed, never an early-return pass. Not a test
 * file itself.
 */

/** Probes already started in this isolate (the suite's parts hold many files each). */
const probes = new Map<string, Promise<string | undefined>>();

/** Why `cmd args` cannot be used (it failed or is missing), or `undefined` when it exits 0. */
function probe(what: string, cmd: string, args: string[]): Promise<string | undefined> {
  const key = JSON.stringify([what, cmd, args]);
  let found = probes.get(key);
  if (found === undefined) {
    found = (async () => {
      try {
        const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
        if (out.success) return undefined;
        return `${what} is not available (\`${cmd} ${args.join(" ")}\` exited ${out.code})`;
      } catch (err) {
        return `${what} is not available (${cmd}: ${
          err instanceof Error ? err.name : String(err)
        })`;
      }
    })();
    probes.set(key, found);
  }
  return found;
}

/**
 * Runs `cmd args` once an isolate and returns why the tool cannot be used, or
 * `undefined` when it exits 0. The reason is printed, naming `file`.
 */
export async function missingTool(
  file: string,
  what: string,
  cmd: string,
  args: string[],
): Promise<string | undefined> {
  const why = await probe(what, cmd, args);
  if (why === undefined) return undefined;
  console.log(`${file}: what needs ${what} is ignored: ${why}`);
  return why;
}

/**
 * The python3 the tests run: the interpreter itself (`sys.executable`), which
 * the test task asks for once and hands over as `LOADGATE_TEST_PYTHON` (and
 * allows running); without it (a single file run with `deno test -A`), asked
 * here, once an isolate; else `python3` from PATH. A launcher on PATH can cost
 * more than the work: pyenv's shim started about 40 bash processes and took
 * 0.45 s of CPU a call against 0.09 s for its interpreter (2026-12-05), and
 * asking it once a part cost six of those calls a suite run.
 */
export const PYTHON: string = await (async () => {
  const runnable = async (exe: string) =>
    exe.startsWith("/") &&
    (await Deno.permissions.query({ name: "run", command: exe })).state === "granted";
  try {
    const env = { name: "env", variable: "LOADGATE_TEST_PYTHON" } as const;
    const given = (await Deno.permissions.query(env)).state === "granted"
      ? Deno.env.get(env.variable)
      : undefined;
    if (given !== undefined && await runnable(given)) return given;
    const out = await new Deno.Command("python3", {
      args: ["-c", "import sys; print(sys.executable or sys.exit(1))"], // as the test task asks
      stdout: "piped",
      stderr: "null",
    }).output();
    const exe = new TextDecoder().decode(out.stdout).trim();
    return out.success && await runnable(exe) ? exe : "python3";
  } catch {
    return "python3";
  }
})();

/**
 * The probe for numpy: found, not imported (an import costs about 0.25 s of
 * CPU, a find 0.08 s); a test that then fails to import it fails, it is not
 * ignored.
 */
export const NUMPY_PROBE: readonly string[] = [
  "-c",
  "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('numpy') else 1)",
];
