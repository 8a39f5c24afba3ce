/**
 * Optional tools of the test suite (python3 with numpy or scipy, openssl):
 * probed once at module load, so a test that needs a missing tool is
 * `ignore:`d with the reason printed, never an early-return pass. Not a test
 * file itself.
 */

/**
 * Runs `cmd args` once and returns why the tool cannot be used, or
 * `undefined` when it exits 0. The reason is printed, naming `file`.
 */
export async function missingTool(
  file: string,
  what: string,
  cmd: string,
  args: string[],
): Promise<string | undefined> {
  let why: string;
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    if (out.success) return undefined;
    why = `${what} is not available (\`${cmd} ${args.join(" ")}\` exited ${out.code})`;
  } catch (err) {
    why = `${what} is not available (${cmd}: ${err instanceof Error ? err.name : String(err)})`;
  }
  console.log(`${file}: what needs ${what} is ignored: ${why}`);
  return why;
}
