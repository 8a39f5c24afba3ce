/**
 * Compile-readiness, proved without `deno compile` (its runtime download is
 * out of reach here): the task's command line and its one-line explanation,
 * no file outside main.ts's module graph read at run time, and the stub started
 * through the exec-path route a compiled binary takes.
 */
import assert from "node:assert/strict";
import {
  BAKED_PERMISSIONS,
  compileArgs,
  type CompileRun,
  compileTask,
  explainCompileFailure,
  parseCompileArgs,
} from "../../tools/compile.ts";
import { V8_FLAGS_ARG } from "../../lib/base/runtime_flags.ts";
import { startStubProcess, stubCommand } from "../../lib/stub/spawn.ts";

/** What `deno compile` printed on this machine (Deno 2.9.6), colours removed. */
const DNS_FAILURE = `Check main.ts
Compile main.ts to file:///somewhere/results/bin/loadgate
Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'results/bin/loadgate.tmp-fd1b7139da2bbbdb'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
    2: client error (Connect)
    3: dns error
    4: failed to lookup address information: Name or service not known
`;

const MISSING_DENORT =
  `error: Writing deno compile executable to temporary file 'x.tmp-189330b22601c35c'

Caused by:
    0: Could not find denort at '/opt/none/denort'
    1: No such file or directory (os error 2)
`;

Deno.test("compileArgs() bakes in narrow permissions and includes no extra files", () => {
  const options = parseCompileArgs(["--allow-net", "api.example.com:443"]);
  assert.notEqual(options, "help");
  if (options === "help") return;
  const args = compileArgs(options, "/src/main.ts");
  assert.deepEqual(args.slice(0, 3), ["compile", "--output", "results/bin/loadgate"]);
  assert.equal(args.at(-1), "/src/main.ts");
  assert.ok(args.includes("--allow-net=127.0.0.1,api.example.com:443"));
  for (const p of BAKED_PERMISSIONS) assert.ok(args.includes(p), p);
  assert.ok(!args.some((a) => a === "-A" || a === "--allow-all" || a.startsWith("--include")));
  assert.ok(args.includes("--allow-write=results") && args.includes("--no-prompt"));
  assert.ok(args.includes(V8_FLAGS_ARG), "the binary carries the memory flags");
});

Deno.test("the main job's task carries the same V8 flags as the binary", async () => {
  const tasks = JSON.parse(await Deno.readTextFile("deno.json")).tasks as Record<string, string>;
  for (const name of ["run_tests"]) {
    assert.ok(tasks[name]!.startsWith(`deno run ${V8_FLAGS_ARG} `), name);
  }
});

Deno.test("explainCompileFailure() turns the runtime download failure into one line", () => {
  const line = explainCompileFailure(DNS_FAILURE, "2.9.6");
  assert.ok(line !== null);
  assert.equal(line.split("\n").length, 1);
  assert.match(line, /denort 2\.9\.6, from dl\.deno\.land and its name does not resolve here/);
  assert.match(line, /set DENORT_BIN to a local denort 2\.9\.6/);

  assert.match(explainCompileFailure(MISSING_DENORT, "2.9.6")!, /DENORT_BIN="\/opt\/none\/denort"/);
  assert.equal(explainCompileFailure("error: Type checking failed.\n  TS2322 ...", "2.9.6"), null);
});

Deno.test("compileTask() prints one line when the build cannot finish, deno's output otherwise", async () => {
  const run = async (stderr: string, code: number, env?: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const seen: string[][] = [];
    const exit = await compileTask([], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      runDeno: (args): Promise<CompileRun> => (seen.push(args), Promise.resolve({ code, stderr })),
      denoVersion: "2.9.6",
      denortBin: env,
      mainPath: "/src/main.ts",
    });
    return { exit, out, err, seen };
  };
  const dns = await run(DNS_FAILURE, 1);
  assert.equal(dns.exit, 1);
  assert.equal(dns.err.length, 1);
  assert.match(dns.err[0]!, /^loadgate compile: cannot build here/);
  assert.equal(dns.seen[0]![0], "compile");

  const other = await run("error: Type checking failed.\nTS2322 [ERROR]: ...\n", 1);
  assert.deepEqual(other.err, ["error: Type checking failed.", "TS2322 [ERROR]: ..."]);

  const built = await run("", 0, "/opt/denort");
  assert.equal(built.exit, 0);
  assert.deepEqual(built.err, ["loadgate compile: using DENORT_BIN=/opt/denort"]);
  assert.match(built.out[0]!, /wrote results\/bin\/loadgate/);
});

/**
 * Local modules reachable from main.ts, by their relative imports: static ones and the
 * literal dynamic `import("./x.ts")` through which commands load (deno compile bundles both).
 */
async function moduleGraph(root: URL): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [root];
  while (queue.length > 0) {
    const url = queue.pop()!;
    if (seen.has(url.href)) continue;
    const text = await Deno.readTextFile(url);
    seen.set(url.href, text);
    for (const m of text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gm)) {
      queue.push(new URL(m[1]!, url));
    }
    for (const m of text.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)) {
      queue.push(new URL(m[1]!, url));
    }
  }
  return seen;
}

Deno.test("nothing outside main.ts's graph is located through import.meta at run time, except guarded uses", async () => {
  const main = new URL("../../main.ts", import.meta.url);
  const graph = await moduleGraph(main);
  const base = new URL("../../", import.meta.url).href;
  const uses: string[] = [];
  for (const [href, text] of graph) {
    for (const m of text.matchAll(/import\.meta\.(\w+)[^\n]*/g)) {
      if (m[1] !== "main") uses.push(`${href.slice(base.length)}: ${m[0].trim()}`);
    }
  }
  assert.ok(graph.size > 10, `walked ${graph.size} modules`);
  // Each is allowed for a reason; a new one must be looked at (see docs/install.md, One binary).
  assert.deepEqual(uses.sort(), [
    // Skipped when Deno.build.standalone or when main.ts is not a file (run by URL).
    "lib/commands/job/cli.ts: import.meta.url);",
    // Used only when not standalone: `deno run <stub_server.ts URL>`, the file beside main.ts.
    "lib/stub/spawn.ts: import.meta.url).href,",
  ]);
});

Deno.test("the stub starts through the exec-path route that a compiled binary uses", {
  ignore: Deno.build.os === "windows",
}, async () => {
  // A compiled binary is its own Deno.execPath(); the shim plays it: `shim stub ...` runs the stub.
  const ctx = {
    execPath: new URL("../standalone_shim.sh", import.meta.url).pathname,
    stubUrl: "file:///nowhere/stub_server.ts", // must not be used on this route
    standalone: true,
  };
  assert.deepEqual(stubCommand(ctx, []).args.slice(0, 2), ["stub", "--exit-on-stdin-eof"]);
  const stub = await startStubProcess(["--mode", "concurrent", "--service-ms", "1:1"], ctx);
  let stopped = false;
  try {
    const res = await fetch(stub.url, {
      method: "POST",
      body: JSON.stringify({ inputs: "compiled?", parameters: { max_new_tokens: 3 } }),
    });
    assert.equal(res.status, 200);
    const json = await res.json();
    assert.equal(json.tokens, 3);
    assert.match(res.headers.get("server-timing") ?? "", /infer;dur=/);
    await stub.stop();
    stopped = true;
    await assert.rejects(fetch(stub.url, { method: "POST", body: "{}" }), "it exits when stopped");
  } finally {
    if (!stopped) await stub.stop();
  }
});
