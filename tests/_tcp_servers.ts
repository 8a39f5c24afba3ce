/**
 * Small raw TCP servers that misbehave on purpose, for the fault and abuse
 * tests. Each listens on 127.0.0.1 port 0 and closes every connection it
 * accepted when closed. Not a test file itself.
 */

import net from "node:net";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A raw server and its controls. */
export interface RawServer {
  /** `http://127.0.0.1:PORT/v1/infer`. */
  url: string;
  port: number;
  /** Connections accepted so far. */
  accepted: () => number;
  /** Stops listening and closes every connection (as if the process died). */
  kill: () => void;
  /** Kills, then waits for every connection handler to end. */
  close: () => Promise<void>;
}

/** What a connection handler may do to the whole server. */
export interface ServerControl {
  kill: () => void;
}

/** Starts a raw server; `handle` owns each accepted connection until it returns. */
export function rawServer(
  handle: (conn: Deno.Conn, ctl: ServerControl) => Promise<void>,
): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const conns = new Set<Deno.Conn>();
  const tasks: Promise<void>[] = [];
  let accepted = 0;
  let dead = false;
  const closeConn = (c: Deno.Conn) => {
    if (!conns.delete(c)) return;
    try {
      c.close();
    } catch { /* already closed */ }
  };
  const kill = () => {
    if (dead) return;
    dead = true;
    try {
      listener.close();
    } catch { /* already closed */ }
    for (const c of [...conns]) closeConn(c);
  };
  const loop = (async () => {
    try {
      for await (const conn of listener) {
        if (dead) {
          conn.close();
          break;
        }
        accepted++;
        conns.add(conn);
        tasks.push(handle(conn, { kill }).catch(() => {}).finally(() => closeConn(conn)));
      }
    } catch { /* listener closed */ }
  })();
  return {
    url: `http://127.0.0.1:${port}/v1/infer`,
    port,
    accepted: () => accepted,
    kill,
    close: async () => {
      kill();
      await loop;
      await Promise.all(tasks);
    },
  };
}

/** Reads one HTTP/1.1 request (headers and a Content-Length body); false at end of stream. */
export async function readRequest(conn: Deno.Conn): Promise<boolean> {
  let buf: Uint8Array = new Uint8Array(0);
  const chunk = new Uint8Array(16 * 1024);
  let headerEnd = -1;
  while (headerEnd < 0) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) return false;
    buf = concat(buf, chunk.subarray(0, n));
    headerEnd = dec.decode(buf).indexOf("\r\n\r\n");
  }
  const head = dec.decode(buf).slice(0, headerEnd);
  const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? "0");
  let have = buf.length - (enc.encode(head).length + 4);
  while (have < length) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) return false;
    have += n;
  }
  return true;
}

/** Reads until the peer or the server closes the connection: holds it open, says nothing. */
export async function hold(conn: Deno.Conn): Promise<void> {
  const chunk = new Uint8Array(4096);
  while ((await conn.read(chunk).catch(() => null)) !== null) { /* discard */ }
}

/** Writes all of `text`. */
export async function send(conn: Deno.Conn, text: string | Uint8Array): Promise<void> {
  const bytes = typeof text === "string" ? enc.encode(text) : text;
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

/** The head of a response with `status` and a Content-Length. */
export function responseHead(status: number, length: number, reason = "X"): string {
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\n` +
    `content-length: ${length}\r\n\r\n`;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Rejects if `p` takes longer than `ms`: a hang guard, far above any expected time. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung for more than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A server that answers every request with a 200 head promising 1000 bytes,
 * sends `sent` of them, then resets the connection (TCP RST, through
 * `node:net`'s `resetAndDestroy`: Deno's own sockets can only close cleanly).
 */
export async function resetMidBodyServer(sent: number): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((sock) => {
    accepted++;
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    sock.once("data", () => {
      sock.write(responseHead(200, 1000) + "x".repeat(sent), () => {
        // Give the client time to take the head and the partial body, then reset.
        setTimeout(() => sock.resetAndDestroy(), 150);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const kill = () => {
    server.close();
    for (const s of sockets) s.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}/v1/infer`,
    port,
    accepted: () => accepted,
    kill,
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
