/**
 * Least privilege: the tasks grant narrow permissions, and a run without the
 * permission it needs stops with one clear line (exit 2) instead of logging
 * every request as a failure.
 */
import assert from "node:assert/strict";
import {
  ensureJobAccess,
  ensureNetAccess,
  netHostOf,
  type PermissionsApi,
} from "../../../lib/commands/shared/permissions.ts";
import { UsageError } from "../../../lib/base/errors.ts";
import { runMain } from "../../_helpers.ts";
import { closedPort } from "../../_tcp_servers.ts";

/** A permissions API whose answers the test sets, recording what was requested. */
function fakePermissions(
  states: Record<string, Deno.PermissionState>,
  onRequest: Deno.PermissionState = "denied",
): PermissionsApi & { requested: string[] } {
  const key = (d: Deno.PermissionDescriptor) =>
    d.name === "net" ? `net:${d.host}` : d.name === "run" ? `run:${d.command}` : d.name;
  const status = (state: Deno.PermissionState) =>
    ({ state, partial: false, onchange: null }) as unknown as Deno.PermissionStatus;
  const requested: string[] = [];
  return {
    requested,
    querySync: (d) => status(states[key(d)] ?? "denied"),
    requestSync: (d) => (requested.push(key(d)), status(onRequest)),
  };
}

Deno.test("netHostOf() names the host and port a request needs, default ports included", () => {
  assert.equal(netHostOf("http://127.0.0.1:8000/v1/infer"), "127.0.0.1:8000");
  assert.equal(netHostOf("http://api.example.com/x"), "api.example.com:80");
  assert.equal(netHostOf("https://api.example.com/x"), "api.example.com:443");
  assert.equal(netHostOf("http://[::1]:9000/"), "[::1]:9000");
});

Deno.test("ensureNetAccess() passes when granted and asks only on a terminal", () => {
  const url = "http://127.0.0.1:8000/v1/infer";
  ensureNetAccess(url, fakePermissions({ "net:127.0.0.1:8000": "granted" }), false);

  const quiet = fakePermissions({ "net:127.0.0.1:8000": "prompt" }, "granted");
  assert.throws(() => ensureNetAccess(url, quiet, false), UsageError);
  assert.deepEqual(quiet.requested, [], "no prompt without a terminal");

  const asked = fakePermissions({ "net:127.0.0.1:8000": "prompt" }, "granted");
  ensureNetAccess(url, asked, true);
  assert.deepEqual(asked.requested, ["net:127.0.0.1:8000"]);

  assert.throws(
    () => ensureNetAccess(url, fakePermissions({}), true),
    (e) =>
      e instanceof UsageError &&
      e.message ===
        'Missing permission: network access to "127.0.0.1:8000" was not granted (run with --allow-net=127.0.0.1:8000)',
  );
});

Deno.test("ensureJobAccess() needs loopback on any port and running the stub's executable", () => {
  const all = { "net:127.0.0.1": "granted", "run:/bin/deno": "granted" } as const;
  ensureJobAccess("/bin/deno", fakePermissions(all), false);
  assert.throws(
    () =>
      ensureJobAccess("/bin/deno", fakePermissions({ ...all, "net:127.0.0.1": "denied" }), false),
    /network access to "127.0.0.1" \(any port\)/,
  );
  assert.throws(
    () =>
      ensureJobAccess("/bin/deno", fakePermissions({ ...all, "run:/bin/deno": "denied" }), false),
    /running "\/bin\/deno" \(for the stub\) was not granted/,
  );
});

function assertOneLine(r: { code: number; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

Deno.test("run without network permission for its host stops with one line and exit 2, sending nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_perm_" });
  try {
    const port = closedPort();
    const none = await runMain(
      ["run", "--url", `http://127.0.0.1:${port}/v1/infer`, "-n", "3", "--out", `${dir}/a`],
      ["--allow-read", "--allow-write"],
    );
    assertOneLine(
      none,
      new RegExp(`^loadgate: Missing permission: network access to "127.0.0.1:${port}"`),
    );
    // Loopback by address is not loopback by name: the permission names hosts.
    const byName = await runMain(
      ["run", "--url", `http://localhost:${port}/v1/infer`, "-n", "3", "--out", `${dir}/b`],
      ["--allow-net=127.0.0.1", "--allow-read", "--allow-write"],
    );
    assertOneLine(byName, /network access to "localhost:\d+" was not granted/);
    for (const sub of ["a", "b"]) {
      assert.equal(await Deno.stat(`${dir}/${sub}`).then(() => true, () => false), false);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the job without permission to run its stub stops with one line and exit 2", async () => {
  const r = await runMain(["job", "--skip-tests", "--requests", "2"], [
    "--allow-net=127.0.0.1",
    "--allow-read",
    "--allow-write",
  ]);
  assertOneLine(r, /^loadgate: Missing permission: running ".+" \(for the stub\)/);
});

Deno.test("the tasks grant narrow permissions: loopback, the results folder, the project, no -A", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../../deno.json", import.meta.url)),
  );
  const tasks = config.tasks as Record<string, string>;
  for (const [name, line] of Object.entries(tasks)) {
    // Benchmarks are developers' tools, not what users run: they drive third-party load
    // generators (wrk, hey, ab, autocannon) and read /proc for memory, so they run with -A.
    if (name.startsWith("bench")) continue;
    for (const cmd of line.split("&&").filter((c) => /\bdeno (run|test)\b/.test(c))) {
      const flags = cmd.match(/--allow-[a-z]+(=("[^"]*"|[^\s"])+)?|(?<=\s)-A\b/g) ?? [];
      assert.ok(!flags.some((f) => f === "-A" || f === "--allow-all"), `${name}: no -A`);
      for (const flag of flags) {
        const [kind, value] = flag.split(/=(.*)/s) as [string, string | undefined];
        assert.ok(value !== undefined, `${name}: ${kind} names what it allows`);
        const allowed: Record<string, RegExp> = {
          "--allow-net": /^127\.0\.0\.1$/,
          // The project; /proc/self/stat for the client's CPU time (lib/load/process_cpu.ts);
          // Debian's Chromium for the report's browser test to find; the tests also read Deno's
          // npm cache (its folder from deno info), where validators keep .wasm.
          "--allow-read":
            /^(\.|results)(,\/proc\/self\/stat)?(,\/usr\/bin\/chromium)?$|^"\.,\/proc\/self\/stat,\/usr\/bin\/chromium,\$\(deno info --json \| deno eval '[^']*npmCache\)'\)"$/,
          "--allow-write": /^results$/,
          // Names, PG* for libpq's variables (PGPASSWORD...) that the PostgreSQL driver reads, and
          // GRPC_* for the settings @grpc/grpc-js reads as it loads (--api kserve-v2-grpc).
          "--allow-env": /^[A-Z_,]+(,PG\*)?(,GRPC_\*)?$/,
          // deno itself, by the path the running deno has (see docs/hardening.md, Permissions), then programs.
          // python3's own interpreter too, "$PY", which the task asks python3 for (below; the tests
          // get it as LOADGATE_TEST_PYTHON, tests/_tools.ts PYTHON: not through a launcher).
          "--allow-run":
            /^"\$\(deno eval 'console\.log\(Deno\.execPath\(\)\)'\)"(,(python3|setsid|kill|script|chromium|openssl|bash|tests\/standalone_shim\.sh|"\$PY"))*$/,
          "--allow-import": /^$/,
        };
        assert.ok(allowed[kind], `${name}: ${kind} is not expected`);
        assert.match(value, allowed[kind]!, `${name}: ${flag}`);
        if (kind === "--allow-run" && value.includes('"$PY"')) {
          // $PY is the interpreter python3 names, or python3 itself: nothing else.
          assert.match(
            line,
            /(^|&& )PY="\$\(python3 -c 'import sys; print\(sys\.executable or sys\.exit\(1\)\)' 2>\/dev\/null \|\| echo python3\)" &&/,
            `${name}: where $PY comes from`,
          );
        }
      }
    }
  }
});
