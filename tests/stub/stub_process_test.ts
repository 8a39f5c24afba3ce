import assert from "node:assert/strict";
import { startStubProcess, stubCommand } from "../../lib/stub/spawn.ts";
import { parseJunitCounts } from "../../lib/commands/job/functional_tests.ts";

Deno.test("stubCommand() runs the binary's own stub subcommand when compiled", () => {
  const ctx = {
    execPath: "/opt/loadgate",
    stubUrl: "file:///src/stub_server.ts",
    standalone: true,
  };
  assert.deepEqual(stubCommand(ctx, ["--mode", "concurrent"]), {
    cmd: "/opt/loadgate",
    args: ["stub", "--exit-on-stdin-eof", "--mode", "concurrent"],
  });
});

Deno.test("stubCommand() runs stub_server.ts through deno run, network on loopback only, otherwise", () => {
  const ctx = {
    execPath: "/usr/bin/deno",
    stubUrl: "file:///src/stub_server.ts",
    standalone: false,
  };
  const { cmd, args } = stubCommand(ctx, []);
  assert.equal(cmd, "/usr/bin/deno");
  assert.deepEqual(args, [
    "run",
    "--quiet",
    "--allow-net=127.0.0.1",
    "file:///src/stub_server.ts",
    "--exit-on-stdin-eof",
  ]);
});

Deno.test("startStubProcess() starts the stub in its own process and stops it", async () => {
  const stub = await startStubProcess(["--mode", "concurrent", "--service-ms", "1:2"]);
  try {
    const res = await fetch(stub.url, { method: "POST", body: '{"inputs":"hi"}' });
    assert.equal(res.status, 200);
    assert.equal(typeof (await res.json()).output, "string");
  } finally {
    await stub.stop();
  }
  await assert.rejects(fetch(stub.url, { method: "POST", body: "{}" }));
  assert.equal(await stub.died?.(500), null, "stopped, not died");
});

Deno.test("a stub process that ends before stop() says how it ended", async () => {
  const stub = await startStubProcess(["--mode", "concurrent", "--service-ms", "1:2"]);
  try {
    assert.equal(await stub.died?.(), null);
    assert.equal(await stub.died?.(50), null, "alive: the grace ends, still null");
    // kill(1), as the task allows it; the stub dies as a crash of its runtime would end it.
    await new Deno.Command("kill", { args: ["-ABRT", String(stub.pid)] }).output();
    // The grace waits for the end to be seen (a 10 s grace, ended by the child's exit).
    assert.equal(await stub.died?.(10_000), "killed by SIGABRT");
  } finally {
    await stub.stop();
  }
});

Deno.test("parseJunitCounts() reads tests, failures and errors of the root element", () => {
  const xml =
    `<?xml version="1.0"?><testsuites name="deno test" tests="12" failures="2" errors="1" time="1">
  <testsuite name="a" tests="12" failures="2"/></testsuites>`;
  assert.deepEqual(parseJunitCounts(xml), { passed: 9, failed: 3 });
  assert.throws(() => parseJunitCounts("<nothing/>"));
});

Deno.test("parseJunitCounts() counts an ignored test (<skipped/>) as neither passed nor failed", () => {
  const xml =
    `<?xml version="1.0"?>\n<testsuites name="deno test" tests="3" failures="0" errors="0">` +
    `<testsuite name="a" tests="3"><testcase name="x"/><testcase name="y"><skipped/></testcase>` +
    `<testcase name="z"/></testsuite></testsuites>`;
  assert.deepEqual(parseJunitCounts(xml), { passed: 2, failed: 0 });
});
