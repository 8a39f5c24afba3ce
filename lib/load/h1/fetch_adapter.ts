/**
 * A `fetch`-shaped adapter over the h1 engine's connection pool, for callers
 * that want a `Response` (buffered: the body arrives whole, so it cannot time
 * a streamed body). The load runner does not use it: it measures through
 * {@linkcode openH1Engine}'s `send`.
 *
 * @module
 */

import type { H1Options } from "./exchange.ts";
import { H1Client } from "./pool.ts";
import { DEFAULT_MAX_RESPONSE } from "../measure.ts";
import { requestHeadPrefix } from "./parser.ts";

const encoder = new TextEncoder();

/** A `fetch` over a new h1 pool, and how to close the pool. */
export function openH1Fetch(
  options: H1Options,
): { fetch: (input: string, init: RequestInit) => Promise<Response>; close: () => void } {
  const client = new H1Client(options);
  return { fetch: h1Fetch(client), close: () => client.close() };
}

/** A `fetch` over an h1 pool for its origin (other origins go to the global `fetch`). */
export function h1Fetch(
  client: H1Client,
): (input: string, init: RequestInit) => Promise<Response> {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    if (url.origin !== client.origin) return await fetch(input, init);
    const method = (init.method ?? "GET").toUpperCase();
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const prefix = encoder.encode(requestHeadPrefix({
      method,
      target: url.pathname + url.search,
      host: url.host,
      headers: new Headers(init.headers ?? {}).entries(),
    }));
    let headers: [string, string][] = [];
    const r = await client.exchange({
      prefix,
      body: bodyBytes(init.body),
      noBody: method === "HEAD",
      timeoutMs: Infinity,
      maxBodyBytes: DEFAULT_MAX_RESPONSE,
      ...(signal ? { signal } : {}),
    }, { head: (p) => (headers = p.headers()), body: (b) => b.slice() });
    if (r.status === null) {
      if (signal?.aborted) throw signal.reason;
      throw new TypeError(`h1 engine: ${r.failure} error sending the request`);
    }
    const nullBody = r.status === 101 || r.status === 204 || r.status === 205 ||
      r.status === 304 || method === "HEAD";
    const body = nullBody ? null : r.value ?? new ReadableStream<Uint8Array>({
      start(c) {
        c.error(signal?.aborted ? signal.reason : new TypeError("h1 engine: body cut short"));
      },
    });
    return new Response(body, { status: r.status, headers });
  };
}

function bodyBytes(body: BodyInit | null | undefined): Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) {
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  throw new TypeError("h1 engine: the body must be a string or bytes");
}
