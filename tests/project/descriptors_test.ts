/**
 * Running out of file descriptors is a fault like any other: the stub sheds
 * new connections and keeps serving, and a run logs `connect` rows and ends
 * with its log and summary. Each case runs a child process under a lowered
 * `ulimit -n` (bash), so this test's own descriptors are untouched. A new
 * engine or server joins the table.
 */
import assert from "node:assert/strict";
import { readLog } from "../../lib/log/csv/log.ts";
import { serveStub } from "../../lib/stub/server.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const STUB = new URL("../../stub_server.ts", import.meta.url).pathname;
// Every permission, as `deno run -A` grants them: the run that crashed had them (with fewer,
// Deno's fetch happened to keep fewer sockets open when the CPU time was read).
const PERMS = ["-A"];

/** `deno run ARGS` under `ulimit -n LIMIT`, through bash. */
function limited(limit: number, args: string[], stdin: "piped" | "null" = "null"): Deno.Command {
  const argv = [Deno.execPath(), "run", "--quiet", ...PERMS, ...args];
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return new Deno.Command("bash", {
    args: ["-c", `ulimit -n ${limit} && exec ${quoted}`],
    stdin,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

Deno.test("the stub under a descriptor flood (ulimit -n 64) sheds connections and keeps serving", async () => {
  const child = limited(64, [STUB, "--port", "0", "--mode", "concurrent"], "piped").spawn();
  const stderrText = new Response(child.stderr).text();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let head = "";
  while (!head.includes("\n")) head += (await lines.read()).value ?? "";
  const url = new URL(JSON.parse(head.split("\n")[0]!).url);
  const port = Number(url.port);
  const conns: Deno.Conn[] = [];
  try {
    // Far more idle connections than the stub has descriptors.
    for (let i = 0; i < 200; i++) {
      try {
        conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
      } catch {
        break; // refused while the stub sheds: what it should do
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const c of conns.splice(0)) c.close();
    // Served again once the flood is gone (it listens again within a second).
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      try {
        const res = await fetch(url, { method: "POST", body: '{"inputs": "x"}' });
        status = res.status;
        await res.body?.cancel();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.equal(status, 200, "the stub serves after the flood");
  } finally {
    for (const c of conns) c.close();
    await child.stdin.close();
    await lines.cancel();
    child.kill("SIGTERM");
    await child.status;
    const stderr = await stderrText;
    assert.doesNotMatch(stderr, /Uncaught|error: /, "no crash");
    assert.match(stderr, /refusing new connections for \d+ ms/, "says it shed connections");
  }
});

/** Runs of the client under a lowered limit: each must log and sum up, never crash. */
const CLIENT_CASES: { engine: string; limit: number; concurrency: number; requests: number }[] = [
  { engine: "fetch", limit: 128, concurrency: 300, requests: 600 },
  { engine: "h1", limit: 128, concurrency: 300, requests: 600 },
];

for (const c of CLIENT_CASES) {
  Deno.test(`run --engine ${c.engine} -c ${c.concurrency} under ulimit -n ${c.limit}: connect rows, a log and a summary`, async () => {
    const stub = serveStub({ mode: "concurrent", serviceMs: [10, 50] });
    const out = await Deno.makeTempDir({ dir: "results", prefix: "fds_" });
    try {
      const r = await limited(c.limit, [
        MAIN,
        "run",
        "--url",
        stub.url,
        "--engine",
        c.engine,
        "-c",
        String(c.concurrency),
        "-n",
        String(c.requests),
        "--out",
        out,
        "-q",
      ]).output();
      const stderr = new TextDecoder().decode(r.stderr);
      assert.doesNotMatch(stderr, /internal error|Uncaught| {4}at /, stderr);
      assert.ok(r.code <= 1, `exit ${r.code}: ${stderr}`);
      const log = await readLog(`${out}/run.csv`);
      assert.equal(log.length, c.requests, "every request is a row");
      const connect = log.filter((s) => s.error === "connect").length;
      assert.ok(connect > 0, "the requests without a descriptor are connect rows");
      assert.ok(log.some((s) => s.ok), "the others were served");
      const summary = JSON.parse(await Deno.readTextFile(`${out}/run.json`));
      assert.equal(summary.summary.requests, c.requests);
      await assert.rejects(() => Deno.stat(`${out}/run.csv.partial`), Deno.errors.NotFound);
    } finally {
      await stub.shutdown();
      await Deno.remove(out, { recursive: true });
    }
  });
}
