/**
 * Deno.serve that keeps serving when the process runs out of file
 * descriptors. Deno's accept loop ends on the first accept error (EMFILE:
 * "Too many open files"), rejecting `finished`, which would end the process;
 * here the stub listens again on the same port after a pause that doubles from
 * 5 ms up to 1 s (what Go's net/http does between failed accepts), refusing new
 * connections meanwhile: a flood of idle connections is shed, never a crash.
 *
 * @example
 * ```ts
 * const server = serveShedding({ hostname: "127.0.0.1", port: 0 }, () => new Response("ok"));
 * await server.shutdown();
 * ```
 *
 * @module
 */

/** A server that listens again after its accept loop failed. */
export interface SheddingServer {
  addr: Deno.NetAddr;
  /** Stops listening (and listening again) and waits for open requests. */
  shutdown: () => Promise<void>;
}

const FIRST_PAUSE_MS = 5;
const MAX_PAUSE_MS = 1000;

/**
 * Serves `handler` on `hostname:port`; `onShed` hears why and for how long new
 * connections are refused each time the accept loop failed.
 */
export function serveShedding(
  options: { hostname: string; port: number },
  handler: Deno.ServeHandler<Deno.NetAddr>,
  onShed: (why: string, pauseMs: number) => void = () => {},
): SheddingServer {
  let stopped = false;
  let pause = FIRST_PAUSE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listen = (at: number): Deno.HttpServer<Deno.NetAddr> => {
    const server = Deno.serve(
      { hostname: options.hostname, port: at, onListen: () => {} },
      handler,
    );
    server.finished.then(() => {}, (err) => {
      if (stopped) return;
      onShed(firstLine(err), pause);
      timer = setTimeout(() => again(), pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    });
    return server;
  };
  const again = () => {
    timer = undefined;
    if (stopped) return;
    try {
      current = listen(port);
      pause = FIRST_PAUSE_MS;
    } catch (err) { // still no descriptor for the listening socket
      onShed(firstLine(err), pause);
      timer = setTimeout(() => again(), pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  };
  let current = listen(options.port);
  const addr = current.addr;
  const port = addr.port; // port 0 picked one: listen again on that one
  return {
    addr,
    shutdown: async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current.shutdown().catch(() => {});
    },
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}
