/**
 * A TLS connection that skips certificate verification, for `--insecure`.
 *
 * Deno's own `Deno.connectTls` cannot skip it per connection: it offers only
 * `unsafelyDisableHostnameVerification` (the chain is still checked), and the
 * runtime flag `--unsafely-ignore-certificate-errors` applies to the whole
 * process. Deno's `node:tls` does honour `rejectUnauthorized: false`, so
 * this module adapts a `node:tls` socket to the three calls the h1 engine
 * makes of a connection (`read`, `write`, `close`). It is slower than
 * `Deno.connectTls` (Node streams, an event per read) and used only when the
 * user asked for it.
 *
 * @module
 */

import { connect, type TLSSocket } from "node:tls";

/** What the h1 engine needs of a connection: `Deno.Conn`'s read, write and close. */
export interface ByteConn {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  close(): void;
}

/** Options of {@linkcode connectInsecureTls}. */
export interface InsecureTlsOptions {
  hostname: string;
  port: number;
  /** Sent as SNI unless an IP address. */
  servername: string;
  /** Aborting it fails the connect. */
  signal?: AbortSignal;
}

/** Connects over TLS (ALPN http/1.1) without verifying the server's certificate. */
export function connectInsecureTls(options: InsecureTlsOptions): Promise<ByteConn> {
  return new Promise((resolve, reject) => {
    const isIp = /^[\d.]+$|:/.test(options.servername);
    const socket = connect({
      host: options.hostname,
      port: options.port,
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
      ...(isIp ? {} : { servername: options.servername }),
    });
    const onAbort = (): void => {
      socket.destroy();
      reject(new Error("aborted"));
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", (err) => {
      options.signal?.removeEventListener("abort", onAbort);
      reject(err);
    });
    socket.once("secureConnect", () => {
      options.signal?.removeEventListener("abort", onAbort);
      socket.setNoDelay(true);
      resolve(new NodeSocketConn(socket));
    });
  });
}

/** A `node:tls` socket behind `read`/`write`/`close`. */
class NodeSocketConn implements ByteConn {
  #socket: TLSSocket;
  #queue: Uint8Array[] = [];
  #ended = false;
  #error: unknown = null;
  #waiter: (() => void) | null = null;

  constructor(socket: TLSSocket) {
    this.#socket = socket;
    socket.on("data", (chunk: Uint8Array) => {
      this.#queue.push(chunk);
      this.#wake();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on("error", (err) => {
      this.#error = err;
      this.#wake();
    });
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#queue.length === 0) {
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    const head = this.#queue[0]!;
    const n = Math.min(p.length, head.length);
    p.set(head.subarray(0, n));
    if (n === head.length) this.#queue.shift();
    else this.#queue[0] = head.subarray(n);
    return n;
  }

  write(p: Uint8Array): Promise<number> {
    if (this.#error !== null) return Promise.reject(this.#error);
    // The socket copies nothing: hand it a copy, the engine reuses its buffer.
    const copy = p.slice();
    return new Promise((resolve, reject) => {
      this.#socket.write(copy, (err) => (err ? reject(err) : resolve(copy.length)));
    });
  }

  close(): void {
    this.#socket.destroy();
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }
}
