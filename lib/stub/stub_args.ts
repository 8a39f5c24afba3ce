/**
 * The stub's flags, its hand-written help and their parser: what
 * `loadgate stub` and `stub_server.ts` accept.
 *
 * @module
 */

import { isHostname } from "../base/http_fields.ts";
import { choice, type FlagSpec, int, parseFlags, range, str } from "../base/flags.ts";
import { UsageError } from "../base/errors.ts";
import { STUB_STREAM_FORMATS } from "./streamed_answer.ts";
import { LLM_STUB_FLAGS, LLM_STUB_HELP, parseLlmStubArgs } from "./llm_args.ts";
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY, DEFAULT_TOKEN_MS } from "./infer_route.ts";
import type { ServeStubOptions } from "./server.ts";

/** Flags of the stub (its help is written by hand below). */
export const STUB_FLAGS: FlagSpec = {
  mode: { type: "string" },
  port: { type: "string" },
  "grpc-port": { type: "string" },
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

export const STUB_HELP =
  `Usage: stub_server.ts [--mode serialized|concurrent|batched] [--port 0] [--host 127.0.0.1]
                      [--service-ms 10:50] [--max-body-bytes 1048576] [--exit-on-stdin-eof]
                      [--stream sse|jsonl] [--token-ms 10:30] [--body-timeout-ms 10000]
                      [--tls-cert FILE --tls-key FILE | --tls-stdin] [--grpc-port P]
--stream streams every answer (a body's "stream" field decides for itself): one chunk a
token, the first after the service time, the next ones --token-ms apart.
Prints {"url": ...} on one line, then serves until SIGINT/SIGTERM (or, with
--exit-on-stdin-eof, until standard input closes or SIGTERM: how a parent
process ties the stub's life to its own; SIGINT is then left to the parent).
With --tls-cert and --tls-key (PEM files) it serves HTTPS; --tls-stdin reads
{"cert": PEM, "key": PEM} as the first line of stdin.
--grpc-port P also serves the KServe v2 model over gRPC (GRPCInferenceService,
plaintext; 0 picks a free port), printed as "grpc_url".
${LLM_STUB_HELP}`;

/** Where the stub's TLS certificate comes from, if it serves HTTPS. */
export type StubTlsSource = { from: "stdin" } | { from: "files"; cert: string; key: string };

/** Parsed stub flags. */
export type StubArgs = ServeStubOptions & {
  exitOnStdinEof: boolean;
  tlsSource?: StubTlsSource;
  /** `--grpc-port`: serve the KServe v2 model over gRPC too, on this port. */
  grpcPort?: number;
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
  if (values["grpc-port"] !== undefined) {
    options.grpcPort = int(values, "grpc-port", 0, 0);
    if (options.grpcPort > 65535) {
      throw new UsageError(`Cannot parse --grpc-port: "${options.grpcPort}" is above 65535`);
    }
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
