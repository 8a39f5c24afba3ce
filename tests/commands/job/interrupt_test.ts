/**
 * Interrupted runs: a real loadgate process gets SIGINT or SIGTERM in the
 * middle of a phase. It must stop starting requests, let those in flight
 * finish, keep every finished request in the log, write a summary marked
 * interrupted, and exit 130.
 */
import assert from "node:assert/strict";
import { readLog } from "../../../lib/log/csv/log.ts";
import { serveStub } from "../../../lib/stub/server.ts";
import { MAIN } from "../../_helpers.ts";

const PERMS = ["--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-run"];
const dec = new TextDecoder();

/** Starts main.ts with `args`; `setsid` puts it in a process group of its own. */
function spawnMain(args: string[], setsid = false): Deno.ChildProcess {
  const deno = ["run", "--quiet", ...PERMS, MAIN, ...args];
  const [cmd, argv] = setsid ? ["setsid", [Deno.execPath(), ...deno]] : [Deno.execPath(), deno];
  return new Deno.Command(cmd, {
    args: argv,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** Waits until `path` holds at least `rows` rows after its header (bounded). */
async function untilRows(path: string, rows: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const text = await Deno.readTextFile(path).catch(() => "");
    if (text.split("\n").filter((l) => l !== "").length > rows) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} never reached ${rows} rows`);
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await child.output();
  return { code, stderr: dec.decode(stderr) };
}

const PLANNED = 1000;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`run stopped by ${signal} logs every request the server answered and exits 130`, async () => {
    // Serialized, 20 ms each: the 1000 planned requests would take 20 s, so the signal lands mid-phase.
    const stub = serveStub({ mode: "serialized", serviceMs: [20, 20] });
    const dir = await Deno.makeTempDir({ prefix: "loadgate_interrupt_" });
    try {
      const child = spawnMain([
        "run",
        "--url",
        stub.url,
        "-n",
        String(PLANNED),
        "-c",
        "4",
        "--out",
        dir,
      ]);
      await untilRows(`${dir}/run.csv.partial`, 3); // renamed to run.csv at the end
      child.kill(signal);
      const { code, stderr } = await finish(child);
      assert.equal(code, 130, stderr);
      assert.match(stderr, /stopping; waiting for requests in flight/);

      const log = await readLog(`${dir}/run.csv`);
      const served = stub.stats().requests;
      assert.ok(log.length < PLANNED, "the run stopped early");
      assert.equal(log.length, served, "every request the server answered is in the log");
      assert.ok(log.every((s) => s.ok), "requests in flight were let finish, not cut");
      assert.equal(new Set(log.map((s) => s.requestId)).size, log.length, "no request twice");

      const summary = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
      assert.equal(summary.interrupted, true);
      assert.equal(summary.verdict, "interrupted");
      assert.equal(summary.summary.requests, log.length);
    } finally {
      await stub.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/** The main job of `requests` a cell, 4 workers, a 20 ms stub, into `dir`. */
function spawnJob(dir: string, requests: number, setsid: boolean): Deno.ChildProcess {
  const args = ["job", "--skip-tests", "--requests", String(requests), "--concurrency", "4"];
  return spawnMain([...args, "--service-ms", "20:20", "--out", dir], setsid);
}

/** Runs the main job, stops it with `kill` once the baseline log has rows, checks what it left. */
async function interruptJob(kill: (child: Deno.ChildProcess) => void, setsid: boolean) {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_interrupt_" });
  try {
    const child = spawnJob(dir, PLANNED, setsid);
    await untilRows(`${dir}/baseline.csv.partial`, 3); // renamed to baseline.csv when the cell ends
    kill(child);
    const { code, stderr } = await finish(child);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted; the baseline phase was cut: \d+ of 1000 requests/);

    const log = await readLog(`${dir}/baseline.csv`);
    assert.ok(log.length > 0 && log.length < PLANNED, `${log.length} rows`);
    assert.ok(log.every((s) => s.ok), "requests in flight were answered and logged");
    assert.equal(new Set(log.map((s) => s.requestId)).size, log.length);

    const phase = JSON.parse(await Deno.readTextFile(`${dir}/baseline.json`));
    assert.equal(phase.interrupted, true);
    assert.equal(phase.summary.requests, log.length);

    const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    assert.equal(comparison.verdict, "interrupted");
    assert.equal(comparison.interrupted_phase, "baseline");
    assert.equal(comparison.phases.baseline.finished, log.length);
    assert.equal(comparison.phases.optimized.summary, null);
    assert.equal(await Deno.stat(`${dir}/optimized.csv`).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("job stopped inside a 2 x 2 cell names that cell as the interrupted phase", async () => {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_interrupt_cell_" });
  try {
    const child = spawnJob(dir, 40, false);
    // The 2 x 2 cells run baseline, serialized_pooled, concurrent_fresh, optimized.
    await untilRows(`${dir}/serialized_pooled.csv.partial`, 3);
    child.kill("SIGTERM");
    const { code, stderr } = await finish(child);
    assert.equal(code, 130, stderr);
    const comparison = JSON.parse(await Deno.readTextFile(`${dir}/comparison.json`));
    assert.equal(comparison.interrupted_phase, "serialized_pooled");
    assert.match(stderr, /the serialized_pooled phase was cut/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("job stopped by SIGTERM mid-phase keeps its log and writes a partial summary", async () => {
  await interruptJob((child) => child.kill("SIGTERM"), false);
});

const succeeds = (cmd: string, args: string[]) =>
  new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output().then(
    (o) => o.success,
    () => false,
  );
const HAS_SETSID = Deno.build.os === "linux" && await succeeds("setsid", ["--version"]) &&
  await succeeds("kill", ["-l"]);
if (!HAS_SETSID) {
  console.log(
    "interrupt_test.ts: the process-group test is ignored: setsid(1) or kill(1) is missing",
  );
}

Deno.test({
  name: "job stopped by Ctrl-C (SIGINT to its whole process group, stub included) loses nothing",
  ignore: !HAS_SETSID, // needs setsid(1) and kill(1): util-linux, procps
  fn: async () => {
    // setsid makes the job a process group leader, as a shell does for a foreground job.
    // Deno.kill() of a process group needs --allow-run for everything; kill(1) needs only itself.
    await interruptJob((child) => {
      new Deno.Command("kill", { args: ["-INT", "--", `-${child.pid}`] }).outputSync();
    }, true);
  },
});
