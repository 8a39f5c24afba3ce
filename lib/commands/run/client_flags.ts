/**
 * The flags that choose the HTTP client and how latencies are kept, for
 * `run` and later commands: `--engine`, `--cacert`, `--insecure`,
 * `--http2`, `--histogram`, `--hlog`.
 *
 * @module
 */

import { choice, type FlagSpec, type FlagValues, str } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { ENGINE_NAMES, type EngineName } from "../../load/engine.ts";
import type { RunCommandOptions } from "./options.ts";

/** Past this many planned requests a run keeps an HdrHistogram instead of every latency. */
export const AUTO_HISTOGRAM_REQUESTS = 1_000_000;

/** Requests a `--histogram` run bounded only by `--duration` may send (a soak test's bound). */
export const HISTOGRAM_REQUEST_CAP = 10_000_000_000;

/** Flag definitions, to spread into a command's own. */
export const CLIENT_FLAGS: FlagSpec = {
  engine: {
    type: "string",
    arg: "h1|fetch",
    help: "HTTP client: loadgate's lean HTTP/1.1 engine (default; http\n" +
      "and https, streamed or not) or Deno's fetch",
  },
  cacert: {
    type: "string",
    arg: "FILE",
    help: "https: also trust the PEM certificates in FILE",
  },
  insecure: {
    type: "boolean",
    help: "https: do NOT verify the server's certificate (h1 only)",
  },
  http2: {
    type: "boolean",
    help: "HTTP/2 through fetch (https only; h2 negotiated by ALPN)",
  },
  histogram: {
    type: "boolean",
    help: "keep latencies in an HdrHistogram (fixed memory; percentiles\n" +
      `within 0.049 %); automatic past ${AUTO_HISTOGRAM_REQUESTS.toLocaleString("en-US")} requests`,
  },
  hlog: {
    type: "string",
    arg: "FILE",
    help: "also write an HdrHistogram interval log (1 s intervals)",
  },
};

/** What the client flags chose. */
export interface ClientChoice {
  engine: EngineName;
  /** PEM text of `--cacert`, or null. */
  caCerts: string[] | null;
  insecure: boolean;
  http2: boolean;
  /** `--histogram` was given (the automatic switch is made by the caller, which knows the plan). */
  histogram: boolean;
  hlog: string | null;
}

/** Reads the client flags for a target `url`; throws {@linkcode UsageError}. */
export function parseClientFlags(values: FlagValues, url: string): ClientChoice {
  const http2 = values.http2 === true;
  const engine = choice(values, "engine", ENGINE_NAMES, http2 ? "fetch" : "h1");
  const https = url.startsWith("https:");
  for (const flag of ["cacert", "insecure", "http2"]) {
    if (values[flag] !== undefined && !https) {
      throw new UsageError(`Cannot use --${flag} with "${url}": it applies to https only`);
    }
  }
  if (http2 && engine !== "fetch") {
    throw new UsageError("Cannot use --http2 with --engine h1: HTTP/2 goes through fetch");
  }
  const insecure = values.insecure === true;
  if (insecure && engine === "fetch") {
    throw new UsageError(
      "Cannot use --insecure with --engine fetch: Deno's fetch cannot skip verification per " +
        "client (use h1, or --cacert FILE)",
    );
  }
  return {
    engine,
    caCerts: values.cacert === undefined ? null : [readPem(str(values, "cacert", ""))],
    insecure,
    http2,
    histogram: values.histogram === true,
    hlog: values.hlog === undefined ? null : str(values, "hlog", ""),
  };
}

function readPem(path: string): string {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new UsageError(
      `Cannot read --cacert "${path}": ${err instanceof Error ? err.message : err}`,
    );
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new UsageError(`Cannot parse --cacert "${path}": no PEM certificate in it`);
  }
  return text;
}

/**
 * Reads the client flags into `run`'s options: the engine, TLS, and the
 * latency store (`--histogram`, or automatic past
 * {@linkcode AUTO_HISTOGRAM_REQUESTS} when nothing needs every sample).
 * Throws {@linkcode UsageError}.
 */
export function applyClientChoice(
  options: RunCommandOptions,
  values: FlagValues,
  byTimeOnly: boolean,
): void {
  const c = parseClientFlags(values, options.url);
  options.engine = c.engine;
  if (options.kserve?.grpc) {
    if (values.engine !== undefined) {
      throw new UsageError("Cannot use --engine with --api kserve-v2-grpc (it runs on gRPC)");
    }
    options.engine = "grpc";
  }
  if (c.caCerts) options.caCerts = c.caCerts;
  if (c.insecure) options.insecure = true;
  if (c.http2) options.http2 = true;
  if (c.hlog !== null) options.hlog = c.hlog;
  checkFetchStreams(options);
  // Open loop, streams and the HTML report read every sample: no bounded store for them.
  const needsSamples = [
    ["--rate", options.rate !== null],
    ["--stream", options.stream],
    ["--html", options.html],
  ].find(([, on]) => on);
  if (c.histogram) {
    if (needsSamples) {
      throw new UsageError(
        `Cannot use --histogram with ${needsSamples[0]}: its metrics need every sample`,
      );
    }
    options.histogram = true;
    if (byTimeOnly) options.requests = HISTOGRAM_REQUEST_CAP;
  }
  if (options.requests > HISTOGRAM_REQUEST_CAP) {
    throw new UsageError(
      `Cannot parse --requests: "${options.requests}" is above ${HISTOGRAM_REQUEST_CAP}`,
    );
  } else if (options.requests > AUTO_HISTOGRAM_REQUESTS && !needsSamples && !byTimeOnly) {
    options.histogram = true;
  }
}

/**
 * The most streams the fetch engine holds at once. Measured 2026-12-05 on 2 cores shared by
 * load generator and server (`run --stream -c 250 -n 500` against the stub with --token-ms
 * 20:20): fetch peaked at 718 MB resident and took 41 s, h1 at 107 MB and 7 s; about 2.4 MB a
 * stream, so 2,000 streams need some 5 GB, and the late reads distort inter-token gaps.
 */
export const FETCH_STREAM_LIMIT = 256;

/** `--engine fetch` (or `--http2`) with `--stream` holds at most {@linkcode FETCH_STREAM_LIMIT} streams. */
function checkFetchStreams(options: RunCommandOptions): void {
  if (options.engine !== "fetch" || !options.stream) return;
  const streams = options.rate === null ? options.concurrency : options.maxInFlight;
  if (streams !== null && streams > FETCH_STREAM_LIMIT) {
    throw new UsageError(
      `Cannot hold ${streams} streams with the fetch engine: at most ${FETCH_STREAM_LIMIT} ` +
        "(it holds about 2.4 MB a stream; docs/hardening.md); use --engine h1",
    );
  }
}
