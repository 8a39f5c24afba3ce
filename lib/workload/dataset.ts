/**
 * JSONL datasets of request bodies: one JSON value a line, sent as it is
 * written. Requests take the lines in order (wrapping around), or sample them
 * with replacement from a seed, so the same seed sends the same bodies in the
 * same order on every run.
 *
 * @example
 * ```ts
 * const lines = parseDataset('{"prompt":"a"}\n{"prompt":"b"}\n', "d.jsonl");
 * const w = await datasetWorkload(lines, { order: "random", seed: 1, requests: 5 });
 * w.bodies.length; // 5
 * ```
 *
 * @module
 */

import { readInputText } from "../base/read_text.ts";
import { UsageError } from "../base/errors.ts";
import { sha256Hex } from "../base/hash.ts";
import { mulberry32 } from "../stats/random.ts";
import { type Workload, workloadFromBodies } from "./workload.ts";

/** How requests take the dataset's lines. */
export type DatasetOrder = "sequential" | "random";

/** The orders, for validation and help text. */
export const DATASET_ORDERS: readonly DatasetOrder[] = ["sequential", "random"];

/** Parses JSONL text into one encoded body a line; `name` is used in error messages. */
export function parseDataset(text: string, name: string): Uint8Array<ArrayBuffer>[] {
  const encoder = new TextEncoder();
  const bodies: Uint8Array<ArrayBuffer>[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    try {
      JSON.parse(line);
    } catch {
      const shown = line.length > 40 ? `${line.slice(0, 40)}...` : line;
      throw new UsageError(`Cannot parse dataset "${name}" line ${i + 1}: "${shown}" is not JSON`);
    }
    bodies.push(encoder.encode(line));
  });
  if (bodies.length === 0) {
    throw new UsageError(`Cannot use dataset "${name}": it holds no JSON lines`);
  }
  return bodies;
}

/** Reads and parses a JSONL dataset file. Throws {@linkcode UsageError}. */
export async function readDataset(path: string): Promise<Uint8Array<ArrayBuffer>[]> {
  return parseDataset(await readInputText(path, "dataset"), path);
}

/** Options of {@linkcode datasetWorkload}. */
export interface DatasetWorkloadOptions {
  order: DatasetOrder;
  /** Seed of the sampling (`random` only). */
  seed: number;
  /** Requests to plan for (`random` draws this many; `sequential` wraps around). */
  requests: number;
}

/**
 * The workload a dataset gives. `sequential`: request i sends line i modulo
 * the line count. `random`: request i sends a line drawn uniformly, with
 * replacement, from the seed; a longer run extends a shorter one's sequence.
 */
export async function datasetWorkload(
  lines: Uint8Array<ArrayBuffer>[],
  options: DatasetWorkloadOptions,
): Promise<Workload> {
  const byLine = await workloadFromBodies(lines);
  if (options.order === "sequential") return byLine;
  const rand = mulberry32(options.seed);
  const bodies: Uint8Array<ArrayBuffer>[] = new Array(options.requests);
  const inputSha256: string[] = new Array(options.requests);
  for (let i = 0; i < options.requests; i++) {
    const k = Math.floor(rand() * lines.length);
    bodies[i] = lines[k]!;
    inputSha256[i] = byLine.inputSha256[k]!;
  }
  // The dataset and the seed fix the whole sequence, whatever its length.
  const digest = await sha256Hex(`random seed ${options.seed >>> 0}\n${byLine.digest}`);
  return { seed: options.seed, bodies, inputSha256, digest };
}
