/**
 * `run`'s flags for the model-server protocols: `--api kserve-v2` (REST) and
 * `--api kserve-v2-grpc` with `--shape`, `--input-data`, `--model-version`,
 * `--binary-data` (gRPC: `raw_input_contents`; `--stream`: ModelStreamInfer); the
 * embeddings and rerank APIs with `--batch-size` and `--input-tokens`. One
 * spec, spread into RUN_FLAGS, and their parser. `--model` and `--dataset`
 * are the LLM flags' and run's.
 *
 * @module
 */

import { type FlagSpec, type FlagValues, int, str, strList } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { parseShapes } from "../../../workload/kserve/tensors.ts";
import type { KserveOptions } from "../../../workload/kserve/workload.ts";
import {
  RETRIEVAL_APIS,
  type RetrievalApi,
  type RetrievalOptions,
} from "../../../workload/retrieval/workload.ts";

/** The `--api` values these flags serve. */
export const PROTOCOL_APIS: readonly string[] = ["kserve-v2", "kserve-v2-grpc", ...RETRIEVAL_APIS];

/** The KServe v2 APIs: REST, and gRPC (`--url grpc://HOST:PORT`). */
export const KSERVE_APIS: readonly string[] = ["kserve-v2", "kserve-v2-grpc"];

/** True for an `--api` value of these flags. */
export function isProtocolApi(value: unknown): boolean {
  return (PROTOCOL_APIS as readonly unknown[]).includes(value);
}

/** The flags, to spread into RUN_FLAGS. */
export const PROTOCOL_FLAGS: FlagSpec = {
  shape: {
    type: "string",
    multiple: true,
    arg: "NAME:D1,D2",
    help: "kserve-v2: an input's shape where the model's has dynamic\n" +
      "dimensions (repeatable; a leading -1, the batch, is 1 unless given)",
  },
  "input-data": {
    type: "string",
    arg: "random|zero|FILE|DIR",
    help: "kserve-v2: seeded random tensors (default), zeros,\n" +
      'perf_analyzer\'s JSON {"data": [{"NAME": [...] | {"b64": ...}}, ...]},\n' +
      "or its directory of one raw file an input",
  },
  "model-version": { type: "string", arg: "V", help: "kserve-v2: the model version" },
  "batch-size": {
    type: "string",
    arg: "N",
    help: "embeddings: inputs a request; rerank: documents a request\n(default 1; rerank 8)",
  },
  "input-tokens": {
    type: "string",
    arg: "N",
    help: "embeddings, rerank: tokens of each synthetic text (default 32;\nelse --dataset)",
  },
  "binary-data": {
    type: "boolean",
    help: "kserve-v2: send tensors with the binary data extension\n" +
      "(Inference-Header-Content-Length); kserve-v2-grpc: as raw_input_contents",
  },
};

const KSERVE_ONLY = ["shape", "input-data", "model-version", "binary-data"] as const;
const RETRIEVAL_ONLY = ["batch-size", "input-tokens"] as const;

/** What the flags give `run`. */
export interface ProtocolFlags {
  kserve: KserveOptions | null;
  retrieval: RetrievalOptions | null;
}

/** Parses the flags (both null when `--api` is not one of these). Throws {@linkcode UsageError}. */
export function parseProtocolFlags(values: FlagValues): ProtocolFlags {
  const kserve = KSERVE_APIS.includes(values.api as string);
  const retrieval = (RETRIEVAL_APIS as readonly unknown[]).includes(values.api);
  for (const flag of KSERVE_ONLY) {
    if (!kserve && values[flag] !== undefined) {
      throw new UsageError(`Cannot use --${flag} without --api kserve-v2`);
    }
  }
  for (const flag of RETRIEVAL_ONLY) {
    if (!retrieval && values[flag] !== undefined) {
      throw new UsageError(`Cannot use --${flag} without --api ${RETRIEVAL_APIS.join("|")}`);
    }
  }
  if (retrieval) return { kserve: null, retrieval: parseRetrieval(values) };
  return { kserve: kserve ? parseKserve(values) : null, retrieval: null };
}

function parseRetrieval(values: FlagValues): RetrievalOptions {
  for (const flag of ["body", "synthetic", "stream", "max-tokens"]) {
    if (values[flag] !== undefined) {
      throw new UsageError(`Cannot use --${flag} with --api ${values.api}`);
    }
  }
  const api = values.api as RetrievalApi;
  const rerank = api === "rerank" || api === "tei-rerank";
  if (values["input-tokens"] !== undefined && values.dataset !== undefined) {
    throw new UsageError("Cannot use --input-tokens with --dataset (one text source)");
  }
  return {
    api,
    model: values.model === undefined ? null : str(values, "model", ""),
    batch: int(values, "batch-size", rerank ? 8 : 1),
    inputTokens: int(values, "input-tokens", 32),
  };
}

function parseKserve(values: FlagValues): KserveOptions {
  const grpc = values.api === "kserve-v2-grpc";
  // gRPC's --stream is ModelStreamInfer (perf_analyzer's --streaming).
  const refused = ["body", "dataset", "synthetic", "max-tokens", ...(grpc ? [] : ["stream"])];
  for (const flag of refused) {
    if (values[flag] !== undefined) {
      throw new UsageError(`Cannot use --${flag} with --api ${values.api}`);
    }
  }
  if (values.model === undefined || values.model === "") {
    throw new UsageError(`Cannot use --api ${values.api} without --model (the model's name)`);
  }
  const data = values["input-data"] === undefined ? "random" : str(values, "input-data", "");
  return {
    model: str(values, "model", ""),
    version: values["model-version"] === undefined ? null : str(values, "model-version", ""),
    shapes: parseShapes(strList(values, "shape")),
    inputData: data === "random" || data === "zero" ? null : data,
    zero: data === "zero",
    binary: values["binary-data"] === true,
    grpc,
  };
}
