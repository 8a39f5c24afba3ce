/**
 * Every third-party import of loadgate, pinned, in one place.
 *
 * JSR (`jsr:@std/*`) is out of reach where loadgate is built, so npm packages
 * stand in for `@std/csv`; see the README for what replaces each `@std` module.
 * Import these names from here, never from the packages directly.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

export { stringify as stringifyCsv } from "npm:csv-stringify@6.9.0/sync";
export { parse as parseCsv } from "npm:csv-parse@7.0.3/sync";

// uPlot is vendored as strings in ./vendor/uplot.ts (tests/tools/vendor_uplot.ts writes it from
// npm:uplot@1.6.32), because the HTML report embeds it and a compiled binary reads no file beside
// main.ts; the report modules import it from there.
//
// Nothing on the path of `run` imports this module statically (the tokenizer loads through a
// dynamic import of it): npm packages pull in Deno's Node compatibility layer, which costs a
// process several MB of resident memory (docs/benchmarks.md, memory).

/** The tokenizer module: gpt-tokenizer's `o200k_base` encoding (GPT-4o's), pure JavaScript. */
export type O200kTokenizer = typeof import("npm:gpt-tokenizer@4.0.0/encoding/o200k_base");

/**
 * Loads gpt-tokenizer's `o200k_base` encoding on first use: its tables cost about 150 ms and
 * 70 MB, which a run that counts no tokens should not pay.
 */
export function loadTokenizer(): Promise<O200kTokenizer> {
  // Pinned here like the static imports above (which the rule lets pass); deno.json has no map.
  // deno-lint-ignore no-import-prefix
  return import("npm:gpt-tokenizer@4.0.0/encoding/o200k_base");
}

/** The Hugging Face tokenizers module (`--tokenizer FILE`): tokenizer.json in pure JavaScript. */
export type HfTokenizers = typeof import("npm:@huggingface/tokenizers@0.2.0");

/**
 * Loads `@huggingface/tokenizers` on use (`run --tokenizer`): the same tokenizer code as
 * `@huggingface/transformers`, without its ONNX runtimes (about 350 MB on disk), no dependency.
 */
export function loadHfTokenizers(): Promise<HfTokenizers> {
  // deno-lint-ignore no-import-prefix
  return import("npm:@huggingface/tokenizers@0.2.0");
}

/**
 * The PostgreSQL driver (porsager's `postgres`), loaded by the history store for a postgres URL
 * only: a run without `--history postgres://...` never loads it.
 */
export async function postgresDriver(): Promise<PostgresDriver> {
  // deno-lint-ignore no-import-prefix
  const driver = await import("npm:postgres@3.4.7");
  return ((driver as { default?: PostgresDriver }).default ?? driver) as PostgresDriver;
}

/** The `postgres` driver's connect function. */
export type PostgresDriver = typeof import("npm:postgres@3.4.7");

/** gRPC: `@grpc/grpc-js` (the transport, over `node:http2`) and `@grpc/proto-loader` (the codec). */
export interface GrpcModules {
  grpc: typeof import("npm:@grpc/grpc-js@1.12.5");
  protoLoader: typeof import("npm:@grpc/proto-loader@0.7.13");
}

let grpcModules: Promise<GrpcModules> | null = null;

/**
 * Loads grpc-js and proto-loader on first use (`--api kserve-v2-grpc`, the stub's `--grpc-port`):
 * they bring in `node:http2` and protobufjs, which no other run should pay for.
 */
export function loadGrpc(): Promise<GrpcModules> {
  // grpc-js reads its GRPC_* settings (verbosity, tracers, resolver) as it loads: without the
  // permission Deno would prompt, or throw from inside the library.
  const env = Deno.permissions.querySync({ name: "env", variable: "GRPC_TRACE" }).state;
  if (env !== "granted") {
    return Promise.reject(
      new UsageError(
        "Cannot load gRPC: @grpc/grpc-js reads GRPC_* variables; allow them with " +
          "--allow-env=GRPC_* (beside the other names)",
      ),
    );
  }
  grpcModules ??= Promise.all([
    // deno-lint-ignore no-import-prefix
    import("npm:@grpc/grpc-js@1.12.5"),
    // deno-lint-ignore no-import-prefix
    import("npm:@grpc/proto-loader@0.7.13"),
  ]).then(([grpc, protoLoader]) => ({ grpc, protoLoader }));
  return grpcModules;
}
