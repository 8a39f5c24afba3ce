/**
 * Starts the stub in its own process, so the load generator's event loop
 * never runs server work. The child is `Deno.execPath()`: in a compiled
 * binary that is the binary itself (run with the `stub` subcommand); under
 * `deno run` it is deno, given the URL of `stub_server.ts` beside main.ts
 * (a file or a URL, as main.ts was given). That file's module graph is the
 * stub's 36 modules; main.ts's holds every command's (about 300, which
 * Deno reads and prepares before it runs anything, its literal dynamic
 * imports included): a stub started through main.ts took 0.15 s of CPU to
 * reach a bad-address error, through stub_server.ts 0.12 s (20 starts each,
 * 2026-12-06), and the main job and the tests start about 70.
 *
 * With TLS material, the child gets `--tls-stdin` and reads the certificate
 * and key as the first line of its stdin: no file, no extra permission.
 *
 * @module
 */

import type { StubStats } from "./server.ts";
import { tlsLine, type TlsMaterial } from "./tls.ts";

/** Where this program runs from; injected by tests. */
export interface ExecContext {
  /** `Deno.execPath()`. */
  execPath: string;
  /** URL of stub_server.ts, beside main.ts. */
  stubUrl: string;
  /** `Deno.build.standalone`: true inside a `deno compile` binary. */
  standalone: boolean;
}

/** The context of the running process. */
export function currentExecContext(): ExecContext {
  return {
    execPath: Deno.execPath(),
    stubUrl: new URL("../../stub_server.ts", import.meta.url).href,
    standalone: Deno.build.standalone,
  };
}

/** Command line that starts the stub with `stubArgs`. */
export function stubCommand(ctx: ExecContext, stubArgs: string[]): { cmd: string; args: string[] } {
  const tail = ["--exit-on-stdin-eof", ...stubArgs];
  if (ctx.standalone) return { cmd: ctx.execPath, args: ["stub", ...tail] };
  // --grpc-port loads grpc-js, which reads its GRPC_* settings.
  const env = stubArgs.includes("--grpc-port") ? ["--allow-env=GRPC_*"] : [];
  return {
    cmd: ctx.execPath,
    args: ["run", "--quiet", "--allow-net=127.0.0.1", ...env, ctx.stubUrl, ...tail],
  };
}

/** A stub running in a child process. */
export interface StubProcess {
  /** URL of its inference endpoint. */
  url: string;
  /** `grpc://HOST:PORT` of its KServe v2 model, when started with `--grpc-port`. */
  grpcUrl?: string;
  /** The child's process id. */
  pid?: number;
  /** Closes its stdin and waits for it to exit. */
  stop: () => Promise<void>;
  /** The stub's own counters (`GET /stats`): requests served, distinct connections. */
  stats: () => Promise<StubStats>;
  /**
   * How the process ended if it ended before `stop()` was called ("killed by SIGABRT", "exit
   * code 1"), else null: a stub that dies mid-cell leaves failed rows that are not the client's.
   * Waits up to `graceMs` for the end to be seen: a cell's requests can fail on the dead
   * port before this process has reaped the child.
   */
  died?: (graceMs?: number) => Promise<string | null>;
}

/** Options of {@linkcode startStubProcess}. */
export interface StubStartOptions {
  /** Serve HTTPS with this certificate (handed over on the child's stdin). */
  tls?: TlsMaterial;
}

/** Starts the stub process and waits for the line that says where it listens. */
export async function startStubProcess(
  stubArgs: string[],
  ctx: ExecContext = currentExecContext(),
  options: StubStartOptions = {},
): Promise<StubProcess> {
  const { cmd, args } = stubCommand(ctx, options.tls ? [...stubArgs, "--tls-stdin"] : stubArgs);
  const child = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "inherit" })
    .spawn();
  const stdin = child.stdin.getWriter();
  let stopping = false;
  let died: string | null = null;
  child.status.then((s) => {
    if (!stopping) died = s.signal ? `killed by ${s.signal}` : `exit code ${s.code}`;
  });
  if (options.tls) await stdin.write(new TextEncoder().encode(tlsLine(options.tls)));
  const stop = async () => {
    stopping = true;
    await stdin.close().catch(() => {});
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await child.status;
    clearTimeout(timer);
  };
  const line = await firstLine(child.stdout, 30_000);
  try {
    const said = JSON.parse(line ?? "") as { url?: unknown; grpc_url?: unknown };
    const url = said.url;
    if (typeof url !== "string") throw new Error("no url");
    const grpc = typeof said.grpc_url === "string" ? { grpcUrl: said.grpc_url } : {};
    const stats = () => fetchStubStats(url, options.tls?.cert);
    const diedWithin = async (graceMs = 0) => {
      if (died === null && !stopping && graceMs > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          child.status,
          new Promise((r) => (timer = setTimeout(r, graceMs))),
        ]);
        clearTimeout(timer);
      }
      return died;
    };
    return { url, ...grpc, pid: child.pid, stop, stats, died: diedWithin };
  } catch {
    await stop();
    throw new Error(`The stub did not start (it printed ${JSON.stringify(line ?? "nothing")})`);
  }
}

/** Reads a stub's `GET /stats`, trusting `caCert` when it serves HTTPS. */
export async function fetchStubStats(inferUrl: string, caCert?: string): Promise<StubStats> {
  const client = Deno.createHttpClient(caCert ? { caCerts: [caCert] } : {});
  try {
    const res = await fetch(new URL("/stats", inferUrl), { client });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`GET /stats answered ${res.status}`);
    }
    const { requests, connections } = await res.json() as Partial<StubStats>;
    if (typeof requests !== "number" || typeof connections !== "number") {
      throw new Error("GET /stats did not answer {requests, connections}");
    }
    return { requests, connections };
  } finally {
    client.close();
  }
}

async function firstLine(
  stream: ReadableStream<Uint8Array>,
  timeoutMs: number,
): Promise<string | null> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)));
  try {
    while (!text.includes("\n")) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === null || next.done) break;
      text += next.value;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return text.includes("\n") ? text.slice(0, text.indexOf("\n")) : null;
}
