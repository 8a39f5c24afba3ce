/**
 * HTTP engines: how a phase's requests reach the server. `fetch` (the
 * default) is Deno's fetch over a {@linkcode openConnector} client; `h1` is
 * loadgate's own lean HTTP/1.1 client ({@linkcode openH1Engine}), several
 * times cheaper per request, for plain `http:` targets.
 *
 * @module
 */

import { type ConnectionPolicy, type Connector, openConnector } from "./connection.ts";
import { openH1Engine } from "./h1_pool.ts";
import type { RunDeps } from "./runner.ts";

/** Engine names, as `--engine` takes them. */
export type EngineName = "fetch" | "h1";

/** The engines, for validation and help text. */
export const ENGINE_NAMES: readonly EngineName[] = ["fetch", "h1"];

/** A connector, and optionally a faster way to measure one request. */
export interface Engine extends Connector {
  /** Replaces the runner's `sendOne` (the h1 engine measures without a `Response`). */
  sendOne?: RunDeps["sendOne"];
}

/** Options of {@linkcode openEngine}. */
export interface EngineOptions {
  /** Target URL (the h1 engine serves its origin). */
  url: string;
  policy: ConnectionPolicy;
  concurrency: number;
  /** PEM certificates to trust beside the system's (fetch engine only). */
  caCerts?: string[];
}

/** Opens engine `name` for `options.url`. */
export function openEngine(name: EngineName, options: EngineOptions): Engine {
  if (name === "h1") return openH1Engine(options);
  return openConnector({
    policy: options.policy,
    concurrency: options.concurrency,
    ...(options.caCerts ? { caCerts: options.caCerts } : {}),
  });
}
