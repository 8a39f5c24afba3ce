/**
 * `deno install -g -n loadgate --root ROOT main.ts`, as docs/install.md says:
 * the installed command prints its version and runs a short phase against the
 * stub. The shim deno writes is a shell script: the test runs it through
 * bash, so it needs --allow-run for deno and bash (as `deno task test`
 * grants); without that the test is ignored, with the reason printed.
 */
import assert from "node:assert/strict";
import { serveStub } from "../../lib/stub/server.ts";
import { readLog } from "../../lib/log/csv/log.ts";
import { VERSION } from "../../lib/base/version.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();
const granted = (command: string) =>
  Deno.permissions.querySync({ name: "run", command }).state === "granted";
const canRun = granted(Deno.execPath()) && granted("bash");
const REASON = "the installed shim is a shell script run through bash: needs --allow-run=deno,bash";
if (!canRun) console.log(`ignored install test: ${REASON}`);

/** The permissions and V8 flags docs/install.md and the README give the installed command. */
export const INSTALL_PERMISSIONS = [
  "--v8-flags=--max-semi-space-size=2,--memory-saver-mode",
  "--allow-net=127.0.0.1",
  "--allow-read=.,/proc/self/stat",
  "--allow-write=results",
  "--allow-env=CI,NO_COLOR,TERM,GITHUB_STEP_SUMMARY,GITHUB_SHA,GITHUB_REF_NAME,LOADGATE_FUNCTIONAL_TESTS,JOB_COMPLETION_INDEX,OPENAI_API_KEY,GRPC_*",
  `--allow-run=${Deno.execPath()}`,
];

Deno.test({
  name:
    "deno install -g puts a loadgate command in ROOT/bin that prints its version and runs a phase",
  ignore: !canRun,
  async fn() {
    await Deno.mkdir("results", { recursive: true });
    const root = await Deno.makeTempDir({ dir: "results", prefix: "install_test_" });
    const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
    try {
      const install = await new Deno.Command(Deno.execPath(), {
        args: [
          "install",
          "-g",
          "-f",
          "-n",
          "loadgate",
          "--root",
          root,
          ...INSTALL_PERMISSIONS,
          MAIN,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(install.code, 0, dec.decode(install.stderr));
      const bin = `${root}/bin/loadgate`;
      const env = {
        // The shim runs `deno`: put this deno first, then the system's folders (bash, sh).
        PATH: `${Deno.execPath().replace(/\/[^/]+$/, "")}:/usr/local/bin:/usr/bin:/bin`,
      };
      const version = await new Deno.Command("bash", {
        args: [bin, "--version"],
        env,
        stdout: "piped",
      }).output();
      assert.equal(version.code, 0);
      assert.match(
        dec.decode(version.stdout),
        new RegExp(`^loadgate ${VERSION.replace(/\./g, "\\.")} `),
      );
      const out = `${root}/out`;
      const run = await new Deno.Command("bash", {
        args: [bin, "run", "--url", stub.url, "-n", "10", "-c", "2", "--out", out, "--quiet"],
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(run.code, 0, dec.decode(run.stderr));
      assert.match(dec.decode(run.stdout), /run: 10 requests, 10 ok, 0 failed/);
      assert.equal((await readLog(`${out}/run.csv`)).length, 10);
    } finally {
      await stub.shutdown();
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("README.md and docs/install.md give the install command this test installs with", async () => {
  const runFlag = `--allow-run="$(deno eval 'console.log(Deno.execPath())')"`;
  for (const doc of ["../../README.md", "../../docs/install.md"]) {
    const text = await Deno.readTextFile(new URL(doc, import.meta.url));
    const command = /deno install --global --name loadgate \\\n([^`]*?)\.\/main\.ts/.exec(text)
      ?.[1];
    assert.ok(command !== undefined, `${doc} shows the deno install command`);
    const flags = command.replace(runFlag, "--allow-run=DENO").split(/[\s\\]+/)
      .filter((f) => f.startsWith("--"));
    const expected = INSTALL_PERMISSIONS.map((f) =>
      f.startsWith("--allow-run=") ? "--allow-run=DENO" : f
    );
    assert.deepEqual(flags, expected, doc);
  }
});
