/**
 * Issue 12, item 9: a phase's files replace an earlier run's only once the new
 * run has written its own. A run killed midway leaves the earlier log and
 * summary whole (its own rows in `run.csv.partial`); a finished or
 * interrupted run replaces them, says so, and removes a stale report.
 */
import assert from "node:assert/strict";
import { runCommand } from "../../../lib/commands/run/command.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { hold, rawServer, readRequest, responseHead, send } from "../../_tcp_servers.ts";
import { MAIN } from "../../_helpers.ts";

const OLD_CSV = "phase,request_id\nold,0\n";
const OLD_JSON = '{"old": true}\n';

/** An endpoint answering every request with `{}` at once. */
function jsonServer(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    return new Response("{}");
  });
}

/** An earlier report.html of `phase`, marked as loadgate marks a one-phase report. */
function reportOf(phase: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="loadgate-phase" content="${phase}">\n<title>old</title></head></html>\n`;
}

async function withEarlierRun(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_files_" });
  try {
    await Deno.writeTextFile(`${dir}/run.csv`, OLD_CSV);
    await Deno.writeTextFile(`${dir}/run.json`, OLD_JSON);
    await Deno.writeTextFile(`${dir}/report.html`, reportOf("run"));
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a run killed midway leaves the earlier run's log and summary whole", async () => {
  // Answers the first request, then holds every other one: the run is midway for good.
  let answered = 0;
  const server = rawServer(async (conn) => {
    while (await readRequest(conn)) {
      if (answered++ > 0) return hold(conn);
      await send(conn, responseHead(200, 2) + "{}");
    }
  });
  await withEarlierRun(async (dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "-A", MAIN, "run", "--url", server.url, "-n", "5", "-c", "1"]
        .concat(["--timeout-ms", "60000", "--out", dir, "-q"]),
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      for (let i = 0; i < 400 && answered < 2; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(answered >= 2, true, "the run got midway");
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
    assert.equal(await Deno.readTextFile(`${dir}/run.csv`), OLD_CSV);
    assert.equal(await Deno.readTextFile(`${dir}/run.json`), OLD_JSON);
    const partial = await Deno.readTextFile(`${dir}/run.csv.partial`);
    assert.match(partial, /^phase,request_id/);
  });
  await server.close();
});

Deno.test("a finished run replaces the earlier files, says so, and removes a stale report.html", async () => {
  await using server = jsonServer();
  const url = `http://127.0.0.1:${server.addr.port}/v1/infer`;
  for (const stopAfter of [null, 1]) {
    await withEarlierRun(async (dir) => {
      const options = parseRunArgs(["--url", url, "-n", "3", "-c", "1", "--out", dir, "-q"]);
      if (options === "help") throw new Error("unreachable");
      const stop = new AbortController();
      if (stopAfter !== null) stop.abort();
      const err: string[] = [];
      await runCommand(options, { out: () => {}, err: (l) => err.push(l), stop: stop.signal });
      const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
      assert.equal(json.interrupted, stopAfter !== null);
      if (stopAfter !== null) assert.equal(json.verdict, "interrupted");
      assert.notEqual(await Deno.readTextFile(`${dir}/run.csv`), OLD_CSV);
      assert.equal(await Deno.stat(`${dir}/report.html`).then(() => true, () => false), false);
      assert.equal(await Deno.stat(`${dir}/run.csv.partial`).then(() => true, () => false), false);
      assert.ok(
        err.some((l) =>
          /replaced the earlier .*run\.csv, .*run\.json; removed .*report\.html/.test(l)
        ),
        err.join("\n"),
      );
    });
  }
});

Deno.test("with --html, report.html goes through the same temporary name and rename as the log", async () => {
  await using server = jsonServer();
  const url = `http://127.0.0.1:${server.addr.port}/v1/infer`;
  await withEarlierRun(async (dir) => {
    const options = parseRunArgs(["--url", url, "-n", "3", "--html", "--out", dir, "-q"]);
    if (options === "help") throw new Error("unreachable");
    const err: string[] = [];
    const stop = new AbortController();
    await runCommand(options, { out: () => {}, err: (l) => err.push(l), stop: stop.signal });
    assert.match(await Deno.readTextFile(`${dir}/report.html`), /^<!doctype html>/i);
    assert.ok(
      err.some((l) => /replaced the earlier .*run\.csv, .*run\.json, .*report\.html$/.test(l)),
      err.join("\n"),
    );
    for (const name of ["run.csv", "run.json", "report.html"]) {
      const partial = await Deno.stat(`${dir}/${name}.partial`).then(() => true, () => false);
      assert.equal(partial, false, `${name}.partial is gone`);
    }
  });
});

Deno.test("a run without --html keeps another phase's report.html (the files of a phase belong together)", async () => {
  await using server = jsonServer();
  const url = `http://127.0.0.1:${server.addr.port}/v1/infer`;
  await withEarlierRun(async (dir) => {
    await Deno.writeTextFile(`${dir}/report.html`, reportOf("before"));
    const options = parseRunArgs(["--url", url, "-n", "2", "-c", "1", "--out", dir, "-q"]);
    if (options === "help") throw new Error("unreachable");
    options.phase = "after";
    await runCommand(options, { out: () => {}, err: () => {}, stop: new AbortController().signal });
    assert.equal(await Deno.readTextFile(`${dir}/report.html`), reportOf("before"));
    // The same phase's own report, stale once its log is replaced, goes.
    const again = parseRunArgs(["--url", url, "-n", "2", "-c", "1", "--out", dir, "-q"]);
    if (again === "help") throw new Error("unreachable");
    again.phase = "before";
    await runCommand(again, { out: () => {}, err: () => {}, stop: new AbortController().signal });
    assert.equal(await Deno.stat(`${dir}/report.html`).then(() => true, () => false), false);
  });
});

Deno.test("run --html marks its report with its phase", async () => {
  await using server = jsonServer();
  const url = `http://127.0.0.1:${server.addr.port}/v1/infer`;
  await withEarlierRun(async (dir) => {
    const options = parseRunArgs([
      "--url",
      url,
      "-n",
      "2",
      "-c",
      "1",
      "--out",
      dir,
      "-q",
      "--html",
    ]);
    if (options === "help") throw new Error("unreachable");
    await runCommand(options, { out: () => {}, err: () => {}, stop: new AbortController().signal });
    assert.match(
      await Deno.readTextFile(`${dir}/report.html`),
      /<meta name="loadgate-phase" content="run">/,
    );
  });
});
