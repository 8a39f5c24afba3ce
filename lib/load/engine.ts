/**
 * What an HTTP engine is: how a phase's requests reach the server. Every engine offers
 * one operation, {@linkcode Engine.send}: send request `id`, time it, and fill
 * one sample through the shared measuring core (`measure.ts`). `h1` (the
 * default of `run`) is loadgate's own lean HTTP/1.1 client
 * (`h1/`), several times cheaper per request, for `http:`
 * and `https:`, streamed or not; `fetch` is Deno's fetch over a connection
 * policy (`fetch_engine.ts`), and the client for HTTP/2 (Deno's
 * fetch negotiates h2 by ALPN over TLS when its client allows it).
 *
 * `open_engine.ts` opens one by name; this module holds only the interface,
 * so the engines import it without a circle.
 *
 * @module
 */

import type { Sample } from "../stats/sample.ts";

/** Engine names: `--engine` takes fetch and h1; `--api kserve-v2-grpc` picks grpc (`grpc/`). */
export type EngineName = "fetch" | "h1" | "grpc";

/** The engines `--engine` takes, for validation and help text. */
export const ENGINE_NAMES: readonly EngineName[] = ["fetch", "h1"];

/** Sends a phase's requests, one sample each. */
export interface Engine {
  /**
   * Sends request `id` and measures it; `sentMs` counts from clock reading
   * `phaseStart`. Never throws: a failure is in the sample.
   */
  send(id: number, phaseStart: number): Promise<Sample>;
  /**
   * Opens up to `connections` kept-alive connections before the first request
   * (the pooled closed loop, as wrk does: the connection setup is then not in
   * the first requests' latencies); resolves to how many opened, within
   * `timeoutMs`. Absent where the engine cannot (fetch keeps its own pool).
   */
  preconnect?(connections: number, timeoutMs: number): Promise<number>;
  /** Releases every connection. */
  close(): void;
}

/** How the client speaks to the server beyond the engine (`--cacert`, `--insecure`, `--http2`). */
export interface ClientTransport {
  /** https: PEM certificates to trust beside the root store. */
  caCerts?: string[];
  /** h1 over `https:`: do not verify the server's certificate. */
  insecure?: boolean;
  /** fetch: offer HTTP/2 only (h2 by ALPN over TLS). */
  http2?: boolean;
}
