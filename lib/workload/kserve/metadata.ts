/**
 * The Open Inference Protocol's (KServe v2) model metadata, and the URLs of
 * a model's routes.
 *
 * @example
 * ```ts
 * modelUrl("http://127.0.0.1:8000", "m", null); // "http://127.0.0.1:8000/v2/models/m"
 * modelUrl("http://gw/prefix/v2/models/x/infer", "m", "2"); // "http://gw/prefix/v2/models/m/versions/2"
 * ```
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import type { FetchLike } from "../openai_request.ts";

/** A tensor's description in model metadata (`-1`: a dynamic dimension). */
export interface TensorMeta {
  name: string;
  datatype: string;
  shape: number[];
}

/** A model's metadata, as `GET /v2/models/{name}[/versions/{v}]` serves it. */
export interface ModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: TensorMeta[];
  outputs: TensorMeta[];
}

/** The protocol's tensor datatypes. */
export const DATATYPES: readonly string[] = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
];

/**
 * The URL of a model (and version) on the server at `url`: a base URL, or
 * one already naming a `/v2/...` path (its prefix before `/v2` is kept).
 */
export function modelUrl(url: string, model: string, version: string | null): string {
  const u = new URL(url);
  const at = u.pathname.search(/\/v2(\/|$)/);
  const prefix = at >= 0 ? u.pathname.slice(0, at) : u.pathname.replace(/\/+$/, "");
  const v = version === null ? "" : `/versions/${encodeURIComponent(version)}`;
  u.pathname = `${prefix}/v2/models/${encodeURIComponent(model)}${v}`;
  u.search = "";
  return u.href;
}

function tensorList(value: unknown, what: string): TensorMeta[] {
  if (!Array.isArray(value)) throw new TypeError(`it has no ${what} array`);
  return value.map((t: { name?: unknown; datatype?: unknown; shape?: unknown }) => {
    const okShape = Array.isArray(t?.shape) &&
      t.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= -1);
    if (typeof t?.name !== "string" || !DATATYPES.includes(t.datatype as string) || !okShape) {
      throw new TypeError(`one of its ${what} lacks a name, a known datatype or a shape`);
    }
    return { name: t.name, datatype: t.datatype as string, shape: t.shape as number[] };
  });
}

/** Checks and types a metadata answer; throws `TypeError` saying what is wrong. */
export function parseMetadata(value: unknown): ModelMetadata {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== "object" || v === null || typeof v.name !== "string") {
    throw new TypeError("it is not an object with a name");
  }
  const versions = Array.isArray(v.versions) ? v.versions.map(String) : undefined;
  return {
    name: v.name,
    ...(versions ? { versions } : {}),
    platform: typeof v.platform === "string" ? v.platform : "",
    inputs: tensorList(v.inputs, "inputs"),
    outputs: tensorList(v.outputs, "outputs"),
  };
}

/** Reads a model's metadata; throws {@linkcode UsageError} when it cannot. */
export async function fetchMetadata(url: string, fetchFn: FetchLike): Promise<ModelMetadata> {
  const fail = (why: string): never => {
    throw new UsageError(`Cannot read the model metadata at ${url}: ${why}`);
  };
  let res: Response;
  try {
    res = await fetchFn(url, { headers: { accept: "application/json" } });
  } catch (err) {
    return fail(err instanceof Error ? err.message.split("\n")[0]! : String(err));
  }
  if (!res.ok) {
    await res.body?.cancel();
    return fail(`HTTP ${res.status}`);
  }
  try {
    return parseMetadata(await res.json());
  } catch (err) {
    return fail(err instanceof TypeError ? err.message : "the answer is not JSON");
  }
}
