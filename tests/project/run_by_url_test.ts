/**
 * Run by URL: the checkout is served read-only over a local HTTP server and
 * loadgate runs from `deno run <URL of main.ts>`, from a folder with no
 * checkout in it: --help, a short `run` against the stub, and the main job
 * (whose stub is then also started from that URL).
 */
import assert from "node:assert/strict";
import { readLog } from "../../lib/log/csv/log.ts";
import { serveStub } from "../../lib/stub/server.ts";

const ROOT = new URL("../../", import.meta.url);
const dec = new TextDecoder();

const TYPES: Record<string, string> = {
  ts: "application/typescript; charset=utf-8",
  json: "application/json",
};

/**
 * Ports tried first. Deno caches remote modules by origin, so a port of its own
 * each run would add a copy of the checkout to DENO_DIR every run; a fixed port,
 * with --reload of that origin, keeps one copy, always fresh. Port 0 if all are taken.
 */
const PORTS = [47831, 47832, 47833, 0];

/** Serves the checkout's files read-only: GET/HEAD only, no dot-segments or hidden files. */
function serveCheckout(): { base: string; served: Set<string>; close: () => Promise<void> } {
  const served = new Set<string>();
  const handler = async (req: Request): Promise<Response> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("read-only\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.split("/").some((seg) => seg === ".." || seg.startsWith("."))) {
      return new Response("not found\n", { status: 404 });
    }
    try {
      const body = await Deno.readFile(new URL(`.${path}`, ROOT));
      served.add(path);
      const type = TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream";
      return new Response(req.method === "HEAD" ? null : body, {
        headers: { "content-type": type },
      });
    } catch {
      return new Response("not found\n", { status: 404 });
    }
  };
  let server: Deno.HttpServer<Deno.NetAddr> | undefined;
  for (const port of PORTS) {
    try {
      server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, handler);
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.AddrInUse)) throw err;
    }
  }
  if (!server) throw new Error("no port to serve the checkout on");
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    served,
    close: () => server.shutdown(),
  };
}

/** `deno run <perms> <url> <args>` from `cwd`, a folder without a checkout; always fresh code. */
async function denoRunUrl(url: string, perms: string[], args: string[], cwd: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", `--reload=${new URL(url).origin}`, ...perms, url, ...args],
    cwd,
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function withServedCheckout(
  body: (ctx: { main: string; dir: string; served: Set<string> }) => Promise<void>,
): Promise<void> {
  const files = serveCheckout();
  const dir = await Deno.makeTempDir({ prefix: "loadgate_by_url_" });
  const lock = await Deno.readTextFile(new URL("deno.lock", ROOT));
  try {
    await body({ main: `${files.base}/main.ts`, dir, served: files.served });
  } finally {
    await files.close();
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(await Deno.readTextFile(new URL("deno.lock", ROOT)), lock, "deno.lock untouched");
}

Deno.test("run by URL: --help, fetching only modules", async () => {
  await withServedCheckout(async ({ main, dir, served }) => {
    const r = await denoRunUrl(main, [], ["--help"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^loadgate \d+\.\d+\.\d+: load-test an HTTP inference endpoint/);
    assert.match(r.stdout, /loadgate run --url URL/);
    assert.ok(
      served.has("/main.ts") && served.has("/lib/cli/cli.ts") && served.has("/lib/stub/server.ts"),
    );
    assert.deepEqual([...served].filter((p) => !p.endsWith(".ts")), [], "only modules were read");
  });
});

Deno.test("run by URL: a short run against the stub logs every request", async () => {
  const stub = serveStub({ mode: "concurrent", serviceMs: [1, 2] });
  try {
    await withServedCheckout(async ({ main, dir }) => {
      const out = `${dir}/out`;
      const r = await denoRunUrl(
        main,
        ["--allow-net=127.0.0.1", `--allow-write=${out}`],
        ["run", "--url", stub.url, "-n", "10", "-c", "2", "--out", out],
        dir,
      );
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /run: 10 requests, 10 ok, 0 failed/);
      const log = await readLog(`${out}/run.csv`);
      assert.equal(log.length, 10);
      assert.ok(log.every((s) => s.ok && s.serverInferMs !== null));
      assert.equal(stub.stats().requests, 10);
    });
  } finally {
    await stub.shutdown();
  }
});

Deno.test("run by URL: the main job starts its stub from the same URL and passes", async () => {
  await withServedCheckout(async ({ main, dir, served }) => {
    const out = `${dir}/out`;
    const deno = Deno.execPath();
    const r = await denoRunUrl(
      main,
      ["--allow-net=127.0.0.1", `--allow-write=${out}`, `--allow-run=${deno}`],
      ["job", "--skip-tests", "--requests", "16", "--concurrency", "4", "--service-ms", "1:2"]
        .concat(["--no-factorial", "--out", out]),
      dir,
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /verdict: PASS/);
    for (const phase of ["baseline", "optimized"]) {
      assert.equal((await readLog(`${out}/${phase}.csv`)).length, 16, phase);
    }
    assert.deepEqual([...served].filter((p) => !p.endsWith(".ts")), []);
    assert.ok(served.has("/stub_server.ts"), "the stub process ran stub_server.ts from the URL");
  });
});
