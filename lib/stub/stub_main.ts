/**
 * The stub as a process: parse its flags, serve (HTTP or HTTPS), print the
 * one JSON line with its URL, and stop on SIGINT/SIGTERM or when a parent
 * closes its stdin. The `stub` subcommand of main.ts and `stub_server.ts`.
 *
 * @module
 */

import { ExitCode, UsageError } from "../base/errors.ts";
import { DEFAULT_TOKEN_MS } from "./infer_route.ts";
import { type RunningStub, serveStub, serveStubHttps } from "./server.ts";
import { serveV2Grpc, type V2GrpcServer } from "./kserve/grpc.ts";
import { parseStubArgs, STUB_HELP, type StubTlsSource } from "./stub_args.ts";
import { parseTlsLine, readLineFrom, type TlsMaterial } from "./tls.ts";

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
  const onShed = (why: string, pauseMs: number) =>
    console.error(`loadgate stub: ${why}; refusing new connections for ${pauseMs} ms`);
  let stub: RunningStub;
  try {
    stub = tls ? await serveStubHttps({ ...options, tls }) : serveStub({ ...options, onShed });
  } catch (err) {
    // An address this machine does not have, a port in use: bad usage, one line.
    const why = (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
    const where = `${options.hostname ?? "127.0.0.1"}:${options.port ?? 0}`;
    console.error(
      `loadgate stub: Cannot listen on ${where}: ${why.replace(/ \(os error \d+\)/, "")}`,
    );
    return ExitCode.Usage;
  }
  const grpc = options.grpcPort === undefined ? null : await serveGrpc(stub, options);
  if (grpc === "failed") return ExitCode.Usage;
  console.log(
    JSON.stringify({
      url: stub.url,
      ...(grpc ? { grpc_url: grpc.url } : {}),
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
  await grpc?.shutdown();
  await stub.shutdown();
  return ExitCode.Pass;
}

/** `--grpc-port`: the v2 model over gRPC too; "failed" (said on stderr, the stub stopped). */
async function serveGrpc(
  stub: RunningStub,
  options: { hostname?: string; grpcPort?: number },
): Promise<V2GrpcServer | "failed"> {
  try {
    return await serveV2Grpc(stub.v2, {
      hostname: options.hostname ?? "127.0.0.1",
      port: options.grpcPort ?? 0,
      tally: stub.tally,
    });
  } catch (err) {
    await stub.shutdown();
    const why = (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
    console.error(`loadgate stub: Cannot serve gRPC on port ${options.grpcPort}: ${why}`);
    return "failed";
  }
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
