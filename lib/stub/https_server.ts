/**
 * An HTTPS server for a fetch-style handler `(Request, info) => Response`,
 * on node:https with TCP_NODELAY on every accepted socket.
 *
 * Why not `Deno.serve({ cert, key })`: measured on Deno 2.9 over loopback, its
 * TLS responses reach a Deno `fetch` client about 40 ms after their headers
 * (the body leaves in a second TCP segment that Nagle's algorithm holds until
 * the client's delayed ACK), for every request, pooled or not. node:https
 * with `noDelay` answers the same request with no such gap. A stub that adds
 * 40 ms to every HTTPS request would hide the cost it is there to show, a TLS
 * handshake per new connection, so the stub serves HTTPS from here.
 *
 * @module
 */

import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A fetch-style request handler (the stub's). */
export type FetchHandler = (req: Request, info: Deno.ServeHandlerInfo) => Promise<Response>;

/** Options of {@linkcode serveHttps}. */
export interface HttpsOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate and key. */
  cert: string;
  key: string;
}

/** A listening HTTPS server. */
export interface HttpsServer {
  hostname: string;
  port: number;
  /** Stops listening, closes every connection, waits for the server to close. */
  shutdown: () => Promise<void>;
}

/** Serves `handler` over HTTPS (HTTP/1.1); resolves once it listens. */
export function serveHttps(handler: FetchHandler, options: HttpsOptions): Promise<HttpsServer> {
  const server: Server = createServer(
    { cert: options.cert, key: options.key, noDelay: true },
    (req, res) => void respond(handler, options.hostname, req, res),
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      const addr = server.address() as AddressInfo;
      resolve({
        hostname: options.hostname,
        port: addr.port,
        shutdown: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function respond(
  handler: FetchHandler,
  hostname: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const method = req.method ?? "GET";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const hasBody = method !== "GET" && method !== "HEAD";
    const body = hasBody
      ? new ReadableStream<Uint8Array>({
        start(controller) {
          req.on("data", (chunk: Uint8Array) => controller.enqueue(new Uint8Array(chunk)));
          req.on("end", () => controller.close());
          req.on("error", (err) => controller.error(err));
        },
        // The handler stopped reading (a body too large): discard the rest.
        cancel() {
          req.resume();
        },
      })
      : null;
    // `duplex: "half"` is what the fetch standard asks of a streamed body; Deno's type lacks it.
    const init = { method, headers, body, duplex: "half" } as RequestInit;
    const request = new Request(`https://${hostname}${req.url ?? "/"}`, init);
    const info = {
      remoteAddr: {
        transport: "tcp",
        hostname: req.socket.remoteAddress ?? "",
        port: req.socket.remotePort ?? 0,
      },
      completed: new Promise<void>((r) => res.once("close", () => r())),
    } as Deno.ServeHandlerInfo;
    const response = await handler(request, info);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    out["content-length"] = String(bytes.byteLength);
    res.writeHead(response.status, out);
    res.end(bytes);
  } catch {
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("internal error\n");
  }
}
