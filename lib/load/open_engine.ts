/**
 * Opens an engine by name: `h1` (loadgate's HTTP/1.1 client, `h1/`),
 * `fetch` (Deno's fetch over a connection policy, `fetch_engine.ts`) or
 * `grpc` (KServe v2 over gRPC, `grpc/`).
 *
 * @module
 */

import { type ConnectionPolicy, openConnector } from "./connection.ts";
import type { ClientTransport, Engine, EngineName } from "./engine.ts";
import { openFetchEngine } from "./fetch_engine.ts";
import { openGrpcEngine } from "./grpc/engine.ts";
import { openH1Engine } from "./h1/engine.ts";
import type { RequestSpec } from "./measure.ts";

/** Options of {@linkcode openEngine}. */
export interface EngineOptions extends ClientTransport {
  /** What every request sends. */
  request: RequestSpec;
  policy: ConnectionPolicy;
  /** Connections kept for reuse under `pooled` (the most in flight). */
  concurrency: number;
  /** Monotonic clock in ms, the one the pacer reads. */
  now: () => number;
}

/** Opens engine `name` for `options.request`. */
export function openEngine(name: EngineName, options: EngineOptions): Engine {
  const { request, policy, concurrency, now } = options;
  if (name === "grpc") return openGrpcEngine({ request, policy, now });
  const caCerts = options.caCerts ? { caCerts: options.caCerts } : {};
  if (name === "h1") {
    const insecure = options.insecure ? { insecure: true } : {};
    return openH1Engine({ request, policy, concurrency, now, ...caCerts, ...insecure });
  }
  const connector = openConnector({
    policy,
    concurrency,
    ...caCerts,
    ...(options.http2 ? { http2: true } : {}),
  });
  const engine = openFetchEngine(request, { fetch: connector.fetch, now });
  return {
    send: engine.send,
    close: () => {
      engine.close();
      connector.close();
    },
  };
}
