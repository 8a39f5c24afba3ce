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
 * known (see `lib/stub/stream.ts`).
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

import { isHostname } from "../base/http_fields.ts";
import { choice, type FlagSpec, int, parseFlags, range, str } from "../base/flags.ts";
import { ExitCode, UsageError } from "../base/errors.ts";
import { STUB_STREAM_FORMATS, type StubStreamFormat } from "./stream.ts";
import { serveHttps } from "./https_server.ts";
import { parseTlsLine, readLineFrom, type TlsMaterial } from "./tls.ts";
import { createOpenAiRoutes, type OpenAiRoutesOptions } from "./openai_routes.ts";
import { LLM_STUB_FLAGS, LLM_STUB_HELP, parseLlmStubArgs } from "./llm_args.ts";
import {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_MAX_BODY,
  DEFAULT_TOKEN_MS,
  type InferAnswer,
  type InferState,
  serveInfer,
} from "./infer_route.ts";
import { readLimited, text } from "./request_body.ts";

export { outputFor, serviceTimeMs } from "./infer_route.ts";

/**
 * How the stub schedules requests. `batched` batches the OpenAI API's sequences
 * (lib/stub/batcher.ts); `/v1/infer` serves it like `concurrent`.
 */
export type StubMode = "serialized" | "concurrent" | "batched";

/** Options of {@linkcode createStubHandler}. */
export interface StubOptions {
  /** `serialized`: one at a time, FIFO. `concurrent`: no queue. */
  mode: StubMode;
  /** Service time range in ms; each body maps to a fixed point in it. */
  serviceMs: [number, number];
  /** Largest accepted request body, in bytes (413 above). */
  maxBodyBytes?: number;
  /** Longest time a client may take to send its body, in ms (408 after). */
  bodyTimeoutMs?: number;
  /** Serve the N-th request (1-based) with an altered output: a fault for tests. */
  alterNth?: number;
  /** Waits `ms`; injected by tests. Defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Stream every answer in this format unless the body's `stream` field says otherwise. */
  stream?: StubStreamFormat;
  /** Streaming: gap between token chunks, ms; each body maps to a fixed point in it. */
  tokenMs?: [number, number];
  /** Serve the OpenAI API (lib/stub/openai_routes.ts) with these options. */
  openai?: OpenAiRoutesOptions;
}

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
}

/** A running stub. */
export interface RunningStub {
  /** URL of the inference endpoint. */
  url: string;
  /** Counters. */
  stats: () => StubStats;
  /** Stops listening and waits for open requests. */
  shutdown: () => Promise<void>;
}

/**
 * Starts the stub over HTTPS with `tls`. It serves through node:https with
 * TCP_NODELAY rather than Deno.serve, whose TLS responses arrive about 40 ms
 * after their headers (see lib/stub/https_server.ts).
 */
export async function serveStubHttps(
  options: ServeStubOptions & { tls: TlsMaterial },
): Promise<RunningStub> {
  const { handler, stats } = createStubHandler(options);
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
    shutdown: () => server.shutdown(),
  };
}

/** Starts the stub with Deno.serve. */
export function serveStub(options: ServeStubOptions): RunningStub {
  const { handler, stats } = createStubHandler(options);
  const server = Deno.serve(
    {
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 0,
      onListen: () => {},
    },
    handler,
  );
  const addr = server.addr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${host}:${addr.port}/v1/infer`,
    stats,
    shutdown: () => server.shutdown(),
  };
}

/** Flags of the stub (its help is written by hand below). */
export const STUB_FLAGS: FlagSpec = {
  mode: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "service-ms": { type: "string" },
  "max-body-bytes": { type: "string" },
  "body-timeout-ms": { type: "string" },
  "alter-nth": { type: "string" },
  stream: { type: "string" },
  "token-ms": { type: "string" },
  "exit-on-stdin-eof": { type: "boolean" },
  "tls-stdin": { type: "boolean" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  help: { type: "boolean", short: "h" },
  ...LLM_STUB_FLAGS,
};

const STUB_HELP =
  `Usage: stub_server.ts [--mode serialized|concurrent|batched] [--port 0] [--host 127.0.0.1]
                      [--service-ms 10:50] [--max-body-bytes 1048576] [--exit-on-stdin-eof]
                      [--stream sse|jsonl] [--token-ms 10:30] [--body-timeout-ms 10000]
                      [--tls-cert FILE --tls-key FILE | --tls-stdin]
--stream streams every answer (a body's "stream" field decides for itself): one chunk a
token, the first after the service time, the next ones --token-ms apart.
Prints {"url": ...} on one line, then serves until SIGINT/SIGTERM (or, with
--exit-on-stdin-eof, until standard input closes or SIGTERM: how a parent
process ties the stub's life to its own; SIGINT is then left to the parent).
With --tls-cert and --tls-key (PEM files) it serves HTTPS; --tls-stdin reads
{"cert": PEM, "key": PEM} as the first line of stdin.
${LLM_STUB_HELP}`;

/** Where the stub's TLS certificate comes from, if it serves HTTPS. */
export type StubTlsSource = { from: "stdin" } | { from: "files"; cert: string; key: string };

/** Parsed stub flags. */
export type StubArgs = ServeStubOptions & {
  exitOnStdinEof: boolean;
  tlsSource?: StubTlsSource;
};

/** Parses stub flags into options. Throws {@linkcode UsageError} on bad input. */
export function parseStubArgs(args: string[]): StubArgs | "help" {
  const { values } = parseFlags(args, STUB_FLAGS);
  if (values.help) return "help";
  const mode = choice(
    values,
    "mode",
    ["serialized", "concurrent", "batched"] as const,
    "serialized",
  );
  const options: StubArgs = {
    exitOnStdinEof: values["exit-on-stdin-eof"] === true,
    mode,
    openai: parseLlmStubArgs(values, mode),
    port: int(values, "port", 0, 0),
    hostname: str(values, "host", "127.0.0.1"),
    serviceMs: range(values, "service-ms", [10, 50]),
    maxBodyBytes: int(values, "max-body-bytes", DEFAULT_MAX_BODY),
    bodyTimeoutMs: int(values, "body-timeout-ms", DEFAULT_BODY_TIMEOUT_MS),
  };
  if (!isHostname(options.hostname!)) {
    throw new UsageError(
      `Cannot parse --host: "${options.hostname}" is not a host name or address`,
    );
  }
  if (options.port! > 65535) {
    throw new UsageError(
      `Cannot parse --port: "${options.port}" is above 65535`,
    );
  }
  if (values["alter-nth"] !== undefined) {
    options.alterNth = int(values, "alter-nth", 1);
  }
  if (values.stream !== undefined) {
    options.stream = choice(values, "stream", STUB_STREAM_FORMATS, "sse");
  }
  if (values["token-ms"] !== undefined) {
    options.tokenMs = range(values, "token-ms", DEFAULT_TOKEN_MS);
  }
  const [certFile, keyFile] = [values["tls-cert"], values["tls-key"]];
  if (values["tls-stdin"] && (certFile !== undefined || keyFile !== undefined)) {
    throw new UsageError("Cannot use --tls-stdin with --tls-cert or --tls-key");
  }
  if (values["tls-stdin"]) options.tlsSource = { from: "stdin" };
  else if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined || keyFile === undefined) {
      throw new UsageError("Cannot serve TLS: --tls-cert and --tls-key go together");
    }
    options.tlsSource = {
      from: "files",
      cert: str(values, "tls-cert", ""),
      key: str(values, "tls-key", ""),
    };
  }
  return options;
}

/** Runs the stub as a process: the `stub` subcommand of main.ts, or this file run directly. */
export async function stubMain(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseStubArgs>;
  try {
    options = parseStubArgs(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`loadgate stub: ${err.message}`);
      return ExitCode.Usage;
    }
    throw err;
  }
  if (options === "help") {
    console.log(STUB_HELP);
    return ExitCode.Pass;
  }
  let tls: TlsMaterial | undefined;
  try {
    if (options.tlsSource) tls = await readTls(options.tlsSource);
  } catch (err) {
    console.error(`loadgate stub: ${err instanceof Error ? err.message : err}`);
    return ExitCode.Usage;
  }
  const stub = tls ? await serveStubHttps({ ...options, tls }) : serveStub(options);
  console.log(
    JSON.stringify({
      url: stub.url,
      mode: options.mode,
      service_ms: options.serviceMs,
      ...(options.stream
        ? { stream: options.stream, token_ms: options.tokenMs ?? DEFAULT_TOKEN_MS }
        : {}),
      pid: Deno.pid,
      ...(tls ? { tls: true } : {}),
    }),
  );
  const stopped = Promise.withResolvers<void>();
  const stop = () => stopped.resolve();
  // Tied to a parent, Ctrl-C (SIGINT to the whole process group) is the parent's to handle:
  // it stops sending and waits for its requests in flight, which this stub must still answer.
  // The parent stops the stub by closing its stdin.
  Deno.addSignalListener("SIGINT", options.exitOnStdinEof ? () => {} : stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  // The parent holds our stdin; when it closes (the parent ended), stop too.
  if (options.exitOnStdinEof) {
    (async () => {
      const buf = new Uint8Array(64);
      try {
        while (
          (await Deno.stdin.read(buf)) !== null
        ) { /* keep reading until EOF */ }
      } catch { /* stdin unavailable */ }
      stop();
    })();
  }
  await stopped.promise;
  await stub.shutdown();
  return ExitCode.Pass;
}

async function readTls(source: StubTlsSource): Promise<TlsMaterial> {
  if (source.from === "stdin") {
    const line = await readLineFrom((buf) => Deno.stdin.read(buf));
    if (line === null) throw new TypeError("Cannot read TLS material: stdin closed first");
    return parseTlsLine(line);
  }
  const read = async (path: string) => {
    try {
      return await Deno.readTextFile(path);
    } catch (err) {
      throw new UsageError(
        `Cannot read "${path}": ${err instanceof Error ? err.message.split("\n")[0] : err}`,
      );
    }
  };
  return { cert: await read(source.cert), key: await read(source.key) };
}
