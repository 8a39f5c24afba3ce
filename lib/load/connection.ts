/**
 * Connection policies: how the fetch engine's `fetch` reaches the server.
 *
 * - `fresh`: a new TCP connection for every request (the idle pool holds
 *   nothing, and each request says `Connection: close`, so each connection
 *   closes after its response: without the header the client may hand a
 *   just-freed connection straight to a waiting request: in one HTTPS run
 *   without the header the server saw 392 connections for 400 requests).
 * - `pooled`: keep-alive, at most C idle connections kept for reuse.
 *
 * @module
 */

/** Connection policy names. */
export type ConnectionPolicy = "fresh" | "pooled";

/** The policies, for validation and help text. */
export const CONNECTION_POLICIES: readonly ConnectionPolicy[] = ["fresh", "pooled"];

/** A `fetch` bound to one HTTP client, and how to release it. */
export interface Connector {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  close: () => void;
}

/** Options of {@linkcode openConnector}. */
export interface ConnectorOptions {
  policy: ConnectionPolicy;
  /** Pool size for `pooled`: the number of concurrent workers. */
  concurrency: number;
  /** PEM certificates to trust beside the system's (for a self-signed stub). */
  caCerts?: string[];
  /** Offer HTTP/2 only (negotiated by ALPN over TLS), instead of HTTP/1.1 only. */
  http2?: boolean;
}

/**
 * Opens an HTTP client for `policy`. HTTP/1.1 only, so one request holds one
 * connection; or, with `http2`, HTTP/2 only (requests share connections).
 */
export function openConnector(options: ConnectorOptions): Connector {
  const client = Deno.createHttpClient({
    poolMaxIdlePerHost: options.policy === "fresh" ? 0 : options.concurrency,
    http1: options.http2 !== true,
    http2: options.http2 === true,
    ...(options.caCerts ? { caCerts: options.caCerts } : {}),
  });
  const fresh = options.policy === "fresh";
  // The caller's init is completed in place, not copied (the engine makes one a request): a
  // spread copy was ~400 bytes a request. `fresh` adds its header to a copy made once per
  // header set.
  let given: HeadersInit | undefined;
  let closed: Headers | undefined;
  return {
    fetch: (url, init) => {
      (init as RequestInit & { client?: Deno.HttpClient }).client = client;
      if (fresh) {
        if (closed === undefined || init.headers !== given) {
          given = init.headers;
          closed = closing(given);
        }
        init.headers = closed;
      }
      return fetch(url, init);
    },
    close: () => client.close(),
  };
}

function closing(headers: HeadersInit | undefined): Headers {
  const out = new Headers(headers);
  out.set("connection", "close");
  return out;
}
