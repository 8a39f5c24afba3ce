/**
 * loadgate's stub inference endpoint.
 *
 * `POST /v1/infer` with `{"inputs": "...", "parameters": {...}}` answers
 * `{"output": "...", "tokens": N}` after a service time. Both the output and
 * the service time are pure functions of the request body, so two phases that
 * send the same bodies ask the stub for exactly the same work. In `serialized`
 * mode one request is served at a time, in arrival order (a single-threaded
 * model server); in `concurrent` mode all are served at once. Every answer
 * carries `Server-Timing: queue;dur=..., infer;dur=...` and `x-loadgate-conn`,
 * the client port of the TCP connection that carried it.
 *
 * Streaming: a body with `"stream": true` (or `"stream": "sse"`) is answered
 * with server-sent events shaped like OpenAI's chat completion chunks, and
 * `"stream": "jsonl"` with JSON lines shaped like Ollama's; `--stream sse|jsonl`
 * streams every answer whose body does not say. One chunk a token: the first
 * after the service time, the next ones `--token-ms` apart (a fixed point of
 * that range for each body), so the TTFT and ITL a client should measure are
 * known (see `lib/stub/streamed_answer.ts`).
 *
 * It also serves a KServe v2 (Open Inference Protocol) model `m` under
 * `/v2/...`, with the statistics extension (lib/stub/kserve/routes.ts), in
 * the same `--mode`, and embeddings and rerank routes (lib/stub/retrieval/routes.ts).
 *
 * Run it by itself:
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 stub_server.ts --mode serialized --port 0
 * ```
 *
 * With `--tls-cert FILE --tls-key FILE` (and read access to them) it serves
 * HTTPS; the main job hands it a certificate on stdin instead (`--tls-stdin`).
 *
 * It prints one JSON line with the URL it listens on, and stops when its
 * standard input closes or on SIGINT / SIGTERM.
 *
 * @module
 */

import { serveShedding } from "./shedding_server.ts";
import type { TlsMaterial } from "./tls.ts";
import { createOpenAiRoutes } from "./openai/routes.ts";
import { createRetrievalRoutes } from "./retrieval/routes.ts";
import {
  createV2Routes,
  V2_DEFAULT_INPUT_MS,
  V2_DEFAULT_OUTPUT_MS,
  type V2Routes,
} from "./kserve/routes.ts";
import {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_MAX_BODY,
  type InferAnswer,
  type InferState,
  serveInfer,
} from "./infer_route.ts";
import { readLimited, text } from "./request_body.ts";

export { outputFor, serviceTimeMs } from "./infer_route.ts";

export type { StubMode, StubOptions } from "./options.ts";
import type { StubOptions } from "./options.ts";

/** Counters the stub keeps, served at `GET /stats`. */
export interface StubStats {
  /** Requests answered with 200 on `/v1/infer`. */
  requests: number;
  /** Distinct TCP connections that carried them (see ConnectionIds). */
  connections: number;
}

/** A request handler plus its counters. */
export interface StubHandler {
  handler: (req: Request, info: Deno.ServeHandlerInfo) => Promise<Response>;
  stats: () => StubStats;
  /** The KServe v2 model (its scheduler and counters), which `serveV2Grpc` also serves. */
  v2: V2Routes;
  /** Counts a request answered over another transport (gRPC) from client `port`; its connection's id. */
  tally: (port: number) => string;
}

/**
 * Names the TCP connection that carried each request. Deno.serve shows the
 * client's port, not the connection, and a closed connection's port can be
 * used again by the next one (the server, which closes, keeps the TIME_WAIT).
 * A request sent with `Connection: close` is the last on its connection
 * (HTTP/1.1), so the next request from that port opened a new one: it gets
 * the id `PORT.N`.
 */
export class ConnectionIds {
  #ports = new Map<number, { generation: number; closing: boolean }>();
  #count = 0;

  /** The id of the connection from `port` that carried a request with `headers`. */
  idFor(port: number, headers: Headers): string {
    let entry = this.#ports.get(port);
    if (!entry) {
      entry = { generation: 0, closing: false };
      this.#ports.set(port, entry);
      this.#count++;
    } else if (entry.closing) {
      entry.generation++;
      this.#count++;
    }
    entry.closing = /\bclose\b/i.test(headers.get("connection") ?? "");
    return entry.generation === 0 ? String(port) : `${port}.${entry.generation}`;
  }

  /** Distinct connections seen. */
  get size(): number {
    return this.#count;
  }
}

const NO_HEADERS = new Headers();

/** Builds the stub's request handler. */
export function createStubHandler(options: StubOptions): StubHandler {
  const conns = new ConnectionIds();
  const state: InferState = {
    options,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    maxBody: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    conns,
    served: 0,
  };
  const inLine = serialLine();
  const openai = options.openai ? createOpenAiRoutes(options.openai) : undefined;
  const v2 = createV2Routes({
    mode: options.mode,
    maxBatch: options.openai?.inference.maxBatch ?? 8,
    serviceMs: options.serviceMs,
    inputMs: V2_DEFAULT_INPUT_MS,
    outputMs: V2_DEFAULT_OUTPUT_MS,
    sleep: state.sleep,
  });
  const retrieval = createRetrievalRoutes({ serviceMs: options.serviceMs, sleep: state.sleep });

  async function handler(
    req: Request,
    info: Deno.ServeHandlerInfo,
  ): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/stats" && req.method === "GET") {
      return Response.json({ requests: state.served, connections: conns.size });
    }
    if (openai?.handles(url.pathname)) {
      const connId = conns.idFor((info.remoteAddr as Deno.NetAddr).port, req.headers);
      const read = () => readLimited(req, state.maxBody, state.bodyTimeoutMs);
      const res = await openai.handle(req, read, { "x-loadgate-conn": connId });
      if (res.ok && req.method === "POST") state.served++;
      return res;
    }
    if (retrieval.handles(url.pathname)) {
      const connId = conns.idFor((info.remoteAddr as Deno.NetAddr).port, req.headers);
      const read = () => readLimited(req, state.maxBody, state.bodyTimeoutMs);
      const res = await retrieval.handle(req, read, { "x-loadgate-conn": connId });
      if (res.ok) state.served++;
      return res;
    }
    if (v2.handles(url.pathname)) {
      // Only inferences count as the phase's connections (a stats read between phases does not).
      const connId = req.method === "POST"
        ? conns.idFor((info.remoteAddr as Deno.NetAddr).port, req.headers)
        : "";
      const read = () => readLimited(req, state.maxBody, state.bodyTimeoutMs);
      const res = await v2.handle(req, read, { "x-loadgate-conn": connId });
      if (res.ok && req.method === "POST") state.served++;
      return res;
    }
    if (url.pathname !== "/v1/infer") return text(404, "not found");
    if (req.method !== "POST") {
      return text(405, "method not allowed", { allow: "POST" });
    }
    if (options.mode !== "serialized") return (await serveInfer(state, req, info, 0)).res;
    // Serialized: take a place in line on arrival, so service follows arrival order;
    // reading the body is part of the service, as in a single-threaded server.
    const arrived = performance.now();
    return await inLine(() => serveInfer(state, req, info, performance.now() - arrived));
  }
  return {
    handler,
    stats: () => ({ requests: state.served, connections: conns.size }),
    v2,
    tally: (port) => {
      state.served++;
      return conns.idFor(port, NO_HEADERS);
    },
  };
}

/**
 * One at a time, in the order of the calls: each call waits for the one
 * before; a streamed answer holds the line until its last chunk is sent.
 */
function serialLine(): (work: () => Promise<InferAnswer>) => Promise<Response> {
  let tail: Promise<void> = Promise.resolve();
  return async (work) => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((r) => (release = r));
    await previous;
    let ended: Promise<void> | undefined;
    try {
      const result = await work();
      ended = result.ended;
      return result.res;
    } finally {
      if (ended) ended.then(release);
      else release();
    }
  };
}

/** Options of {@linkcode serveStub}. */
export interface ServeStubOptions extends StubOptions {
  /** Address to bind; 127.0.0.1 unless told otherwise. */
  hostname?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** Hears when the stub refuses new connections for a while (no file descriptor left). */
  onShed?: (why: string, pauseMs: number) => void;
}

/** A running stub. */
export interface RunningStub {
  /** URL of the inference endpoint. */
  url: string;
  /** Counters. */
  stats: () => StubStats;
  /** Stops listening and waits for open requests. */
  shutdown: () => Promise<void>;
  /** The KServe v2 model, for `serveV2Grpc` (lib/stub/kserve/grpc.ts). */
  v2: V2Routes;
  /** Counts a gRPC answer in the stub's counters (see {@linkcode StubHandler.tally}). */
  tally: (port: number) => string;
}

/**
 * Starts the stub over HTTPS with `tls`. It serves through node:https with
 * TCP_NODELAY rather than Deno.serve, whose TLS responses arrive about 40 ms
 * after their headers (see lib/stub/https_server.ts). Loaded here, on use:
 * `node:https` brings Deno's Node layer: a plain HTTP stub, which never uses
 * it, took about 0.2 s of CPU to start with it and 0.1 s without.
 */
export async function serveStubHttps(
  options: ServeStubOptions & { tls: TlsMaterial },
): Promise<RunningStub> {
  const { handler, stats, v2, tally } = createStubHandler(options);
  const { serveHttps } = await import("./https_server.ts");
  const server = await serveHttps(handler, {
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    cert: options.tls.cert,
    key: options.tls.key,
  });
  const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
  return {
    url: `https://${host}:${server.port}/v1/infer`,
    stats,
    v2,
    tally,
    shutdown: () => server.shutdown(),
  };
}

/** Starts the stub with Deno.serve. */
export function serveStub(options: ServeStubOptions): RunningStub {
  const { handler, stats, v2, tally } = createStubHandler(options);
  // Out of descriptors, Deno.serve's accept loop ends: serve again after a pause, never crash.
  const server = serveShedding(
    { hostname: options.hostname ?? "127.0.0.1", port: options.port ?? 0 },
    handler,
    options.onShed,
  );
  const addr = server.addr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${host}:${addr.port}/v1/infer`,
    stats,
    v2,
    tally,
    shutdown: () => server.shutdown(),
  };
}
