/**
 * The h1 client's connection pool ({@linkcode H1Client}): TCP sockets from
 * `Deno.connect`, or TLS from `Deno.connectTls` (ALPN `http/1.1`), one
 * request at a time per connection, framing by `parser.ts`'s
 * {@linkcode ResponseParser}. It exists because `fetch` is the ceiling of a
 * load generator on a small machine: a loop of `fetch` calls spends most of
 * its CPU building `Request`, `Headers`, `Response` and body streams, while
 * this client writes bytes and parses bytes (docs/benchmarks.md).
 *
 * Connection policies mean what they mean for `fetch`: `fresh` opens a TCP
 * connection per request and closes it after the response; `pooled` keeps at
 * most C idle connections alive and reuses them. A request that finds its
 * kept-alive connection closed by the server before any byte of the answer
 * is retried once on a new connection, as browsers and hyper do.
 *
 * `https:` trusts Deno's root store (Mozilla's, or the system's with
 * `DENO_TLS_CA_STORE=system`) plus `caCerts`; `insecure` skips verification
 * through `insecure_tls.ts`. The engine over this pool is `engine.ts`; a
 * `fetch`-shaped adapter is `fetch_adapter.ts`.
 *
 * @module
 */

import type { ByteConn } from "./insecure_tls.ts";
import { PARSE_ERROR, PARSE_MORE, type ParseResult, ResponseParser } from "./parser.ts";
import { DEFAULT_MAX_RESPONSE, type ExchangeFailure } from "../measure.ts";
import { Deadlines, realNow } from "../deadlines.ts";

import type { ExchangeHandlers, ExchangeRequest, ExchangeResult, H1Options } from "./exchange.ts";

interface Conn {
  tcp: ByteConn;
  parser: ResponseParser;
  inBuf: Uint8Array;
  outBuf: Uint8Array;
  /** The last request's view of `outBuf`, reused while requests keep its size. */
  outView: Uint8Array;
  served: number;
  closed: boolean;
}

interface InFlight {
  deadline: number;
  aborted: boolean;
  conn: Conn | null;
  connecting: AbortController | null;
  /** Its index in the pool's in-flight list while tracked, else -1. */
  slot: number;
  /** Bytes read of the current attempt's answer. */
  received: number;
  /** Clock reading when the current attempt's head was complete, or null. */
  headersAt: number | null;
  /** Clock reading of the read that completed the answer. */
  doneAt: number;
}

/** A request's record while it is in flight (its deadline set when it is tracked). */
function newFlight(): InFlight {
  return {
    deadline: Infinity,
    aborted: false,
    conn: null,
    connecting: null,
    slot: -1,
    received: 0,
    headersAt: null,
    doneAt: 0,
  };
}

// Each open connection has a read pending into its own buffer: small ones keep thousands of
// idle streams cheap; a connection whose reads fill its buffer doubles it, up to the maximum.
const MIN_READ_BUFFER = 2 * 1024;
const MAX_READ_BUFFER = 16 * 1024;

const encoder = new TextEncoder();
const CRLF = encoder.encode("\r\n");

/** A pool of HTTP/1.1 connections to one origin. */
export class H1Client {
  readonly origin: string;
  #hostname: string;
  #port: number;
  #tls: { caCerts: string[]; insecure: boolean } | null;
  #maxIdle: number;
  #idle: Conn[] = [];
  #open = new Set<Conn>();
  /** Requests under a deadline, each at its `slot` (a list, not a Set: no rehashing a request). */
  #deadlines = new Deadlines<InFlight>((flight) => this.#abort(flight));
  #lengthLines = new Map<number, Uint8Array>();
  #now: () => number = realNow;
  #closed = false;

  constructor(options: H1Options) {
    const url = new URL(options.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`Cannot use the h1 engine for "${options.url}": http or https only`);
    }
    this.origin = url.origin;
    this.#hostname = url.hostname.replace(/^\[|\]$/g, "");
    const https = url.protocol === "https:";
    this.#port = Number(url.port || (https ? "443" : "80"));
    this.#tls = https
      ? { caCerts: options.caCerts ?? [], insecure: options.insecure === true }
      : null;
    this.#maxIdle = options.policy === "pooled" ? options.concurrency : 0;
  }

  /**
   * Opens up to `n` connections into the idle pool at once (never more than the pool keeps);
   * resolves to how many opened. A connection that fails or takes longer than `timeoutMs` is
   * left out: the requests then open their own, and fail as they would have.
   */
  async preconnect(n: number, timeoutMs: number): Promise<number> {
    const want = Math.max(0, Math.min(n, this.#maxIdle - this.#idle.length));
    const opened = await Promise.all(Array.from({ length: want }, async () => {
      const flight = newFlight();
      const timer = setTimeout(() => this.#abort(flight), timeoutMs);
      try {
        return await this.#connect(flight);
      } catch {
        return null;
      } finally {
        clearTimeout(timer);
      }
    }));
    for (const c of opened) if (c !== null && !this.#closed) this.#idle.push(c);
    return opened.filter((c) => c !== null).length;
  }

  /** Connections open now (idle and busy). */
  get openConnections(): number {
    return this.#open.size;
  }

  /**
   * Sends one request and reads its response. Never throws for network
   * trouble: a failure is in the result. `now` is the clock of the result's times.
   */
  async exchange<T, C = undefined>(
    request: ExchangeRequest,
    handlers: ExchangeHandlers<T, C>,
    now: () => number = this.#now,
    context?: C,
  ): Promise<ExchangeResult<T>> {
    // Few nested async calls per exchange: each one costs a promise a request.
    const flight = newFlight();
    const signal = request.signal;
    const onAbort = signal ? () => this.#abort(flight) : null;
    if (signal) {
      if (signal.aborted) flight.aborted = true;
      signal.addEventListener("abort", onAbort!, { once: true });
    }
    // The request's own send time sets its deadline when it was read on the deadlines' clock.
    this.#deadlines.track(flight, request.timeoutMs, now === realNow ? request.sentAt : undefined);
    try {
      for (let attempt = 0;; attempt++) {
        if (flight.aborted || this.#closed) return this.#failed(flight, "connect", null, now);
        let c = this.#idle.pop();
        // A kept-alive (or preconnected) connection may have been closed by the server meanwhile.
        const fromPool = c !== undefined;
        if (!c) {
          try {
            c = await this.#connect(flight);
          } catch {
            return this.#failed(flight, "connect", null, now);
          }
        }
        flight.conn = c;
        const retryable = fromPool && attempt === 0;
        try {
          const bytes = this.#encode(c, request);
          let at = await c.tcp.write(bytes);
          while (at < bytes.length) at += await c.tcp.write(bytes.subarray(at));
        } catch {
          this.#discard(c);
          if (retryable && !flight.aborted) continue;
          return this.#failed(flight, "connect", null, now);
        }
        const parser = c.parser;
        const result = await this.#read(c, request, handlers, now, flight, context as C);
        const headersAt = flight.headersAt;
        if (result === PARSE_ERROR) {
          this.#discard(c);
          // A kept-alive connection the server had closed: nothing was answered, try a new one.
          if (flight.received === 0 && retryable && !flight.aborted) continue;
          const out = this.#failed<T>(flight, parser.headersDone ? "body" : "connect", c, now);
          out.headersAt = headersAt;
          return out;
        }
        const doneAt = flight.doneAt;
        const value = handlers.body(parser.body(), context as C);
        c.served++;
        if (
          parser.keepAlive && !flight.aborted && !this.#closed &&
          this.#idle.length < this.#maxIdle
        ) {
          flight.conn = null;
          this.#idle.push(c);
        } else this.#discard(c);
        return {
          failure: "",
          status: parser.status,
          headersAt,
          doneAt,
          bytes: parser.bodyBytes,
          value,
        };
      }
    } finally {
      this.#deadlines.untrack(flight);
      if (onAbort) signal!.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Reads one response from `c` into its parser, to the end or an error; the bytes read
   * and the times the head and the answer were complete go to `flight` (no result object
   * a request). Each time is the clock read as soon as that socket read returned, before
   * any parsing: when many answers arrive at once, one answer's time does not include the
   * client's work on the others.
   */
  async #read<T, C>(
    c: Conn,
    request: ExchangeRequest,
    handlers: ExchangeHandlers<T, C>,
    now: () => number,
    flight: InFlight,
    context: C,
  ): Promise<ParseResult> {
    const parser = c.parser;
    parser.reset(request.noBody, request.maxBodyBytes);
    let result: ParseResult = PARSE_MORE;
    let received = 0;
    let headersAt: number | null = null;
    while (result === PARSE_MORE) {
      let n: number | null;
      try {
        n = await c.tcp.read(c.inBuf);
      } catch {
        n = -1;
      }
      const at = now();
      // Let every other read that completed in this turn take its own clock reading first.
      await undefined;
      const before = parser.bodyBytes;
      if (n === null) result = parser.end();
      else if (n < 0) result = PARSE_ERROR;
      else {
        received += n;
        result = parser.feed(c.inBuf, n);
        // A full read: the answers are large, read them in bigger steps from now on.
        if (n === c.inBuf.length && n < MAX_READ_BUFFER) c.inBuf = new Uint8Array(n * 2);
      }
      if (headersAt === null && parser.headersDone) {
        headersAt = at;
        handlers.head?.(parser, context);
      }
      if (handlers.data && result !== PARSE_ERROR && parser.bodyBytes > before) {
        handlers.data(parser.body().subarray(before), at);
      }
      flight.doneAt = at;
    }
    flight.received = received;
    flight.headersAt = headersAt;
    return result;
  }

  #failed<T>(
    flight: InFlight,
    failure: ExchangeFailure,
    c: Conn | null,
    now: () => number,
  ): ExchangeResult<T> {
    return {
      failure: flight.aborted ? "timeout" : failure,
      status: c?.parser.headersDone ? c.parser.status : null,
      headersAt: null,
      doneAt: now(),
      bytes: c?.parser.bodyBytes ?? 0,
      value: null,
    };
  }

  /** Closes every connection and stops the timeout sweeper. */
  close(): void {
    this.#closed = true;
    this.#deadlines.close();
    for (const c of this.#open) this.#discard(c);
    this.#idle = [];
  }

  async #connect(flight: InFlight): Promise<Conn> {
    const controller = new AbortController();
    flight.connecting = controller;
    let tcp: ByteConn;
    try {
      tcp = await this.#dial(controller.signal);
    } finally {
      flight.connecting = null;
    }
    const c: Conn = {
      tcp,
      parser: new ResponseParser({ maxBodyBytes: DEFAULT_MAX_RESPONSE }),
      inBuf: new Uint8Array(MIN_READ_BUFFER),
      outBuf: new Uint8Array(1024),
      outView: new Uint8Array(0),
      served: 0,
      closed: false,
    };
    this.#open.add(c);
    if (flight.aborted || this.#closed) {
      this.#discard(c);
      throw new Error("aborted");
    }
    if (this.#tls === null) (tcp as Deno.TcpConn).setNoDelay(true);
    return c;
  }

  /** A new connection: TCP, TLS, or TLS without verification. */
  async #dial(signal: AbortSignal): Promise<ByteConn> {
    const hostname = this.#hostname;
    const port = this.#port;
    if (this.#tls === null) return await Deno.connect({ hostname, port, transport: "tcp", signal });
    if (this.#tls.insecure) {
      // Loaded only for --insecure: it goes through node:tls, which other runs do not load.
      const { connectInsecureTls } = await import("./insecure_tls.ts");
      return await connectInsecureTls({ hostname, port, servername: hostname, signal });
    }
    // connectTls takes no signal: a timeout ends the wait, and a late connection is closed.
    const dialing = Deno.connectTls({
      hostname,
      port,
      caCerts: this.#tls.caCerts,
      alpnProtocols: ["http/1.1"],
    });
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error("aborted"));
      signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
    });
    let conn: Deno.TlsConn | null = null;
    try {
      conn = await Promise.race([dialing, aborted]);
      // The handshake now, so that a refused certificate is a `connect` failure.
      await Promise.race([conn.handshake(), aborted]);
      return conn;
    } catch (err) {
      if (conn) closeQuietly(conn);
      else dialing.then(closeQuietly, () => {});
      throw err;
    }
  }

  #encode(c: Conn, request: ExchangeRequest): Uint8Array {
    const { prefix, body } = request;
    const lengthLine = body === null ? CRLF : this.#lengthLine(body.length);
    const size = prefix.length + lengthLine.length + (body?.length ?? 0);
    if (size > c.outBuf.length) {
      let cap = c.outBuf.length * 2;
      while (cap < size) cap *= 2;
      c.outBuf = new Uint8Array(cap);
    }
    const out = c.outBuf;
    out.set(prefix, 0);
    out.set(lengthLine, prefix.length);
    if (body !== null) out.set(body, prefix.length + lengthLine.length);
    if (c.outView.length !== size || c.outView.buffer !== out.buffer) {
      c.outView = out.subarray(0, size);
    }
    return c.outView;
  }

  /** `content-length: N` and the blank line that ends the head, cached by N. */
  #lengthLine(n: number): Uint8Array {
    let line = this.#lengthLines.get(n);
    if (!line) {
      line = encoder.encode(`content-length: ${n}\r\n\r\n`);
      if (this.#lengthLines.size < 4096) this.#lengthLines.set(n, line);
    }
    return line;
  }

  #discard(c: Conn): void {
    this.#open.delete(c);
    if (c.closed) return;
    c.closed = true;
    closeQuietly(c.tcp);
  }

  #abort(flight: InFlight): void {
    if (flight.aborted) return;
    flight.aborted = true;
    flight.connecting?.abort();
    if (flight.conn) this.#discard(flight.conn);
  }
}

function closeQuietly(conn: ByteConn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
