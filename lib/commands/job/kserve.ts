/**
 * The main job over KServe v2 (`job --api kserve-v2`, or over gRPC with
 * `--api kserve-v2-grpc`): the same proof (serialized vs concurrent stub)
 * against the stub's v2 model `m`, with seeded random input tensors made
 * from its metadata, identical in every cell, answers checked for shape and
 * datatype, and each cell's server-side split read from the statistics
 * extension (`ModelStatistics` over gRPC).
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import { STUB_V2_MODEL } from "../../stub/kserve/model.ts";
import { generateInputs } from "../../workload/kserve/tensors.ts";
import { failingMisfits, kserveEncoder } from "../../workload/kserve/workload.ts";
import { MAX_DISTINCT_BODIES, type Workload, workloadFromBodies } from "../../workload/workload.ts";

/** What the job's cells need to speak KServe v2 to the stub. */
export interface JobKserve {
  workload: Workload;
  /** The infer route, under the stub's origin. */
  path: string;
  /** The statistics extension's route. */
  statsPath: string;
  /** The cells speak gRPC to the stub's `--grpc-port`. */
  grpc: boolean;
  /** Fails a sample whose outputs do not fit the model's metadata. */
  onBody: (sample: Sample, body: Uint8Array) => void;
  manifest: Record<string, unknown>;
}

/** Builds the tensors of the job's requests from the stub model's metadata. */
export async function jobKserve(
  options: { seed: number; requests: number; grpc?: boolean },
): Promise<JobKserve> {
  const model = STUB_V2_MODEL;
  const sets = generateInputs(model.inputs, {
    shapes: new Map(),
    zero: false,
    seed: options.seed,
    count: Math.max(1, Math.min(options.requests, MAX_DISTINCT_BODIES)),
  });
  const grpc = options.grpc === true;
  const encode = await kserveEncoder(
    { grpc, binary: false, model: model.name, version: null },
    model,
  );
  const { bodies, check } = encode(sets);
  const workload = await workloadFromBodies(bodies as Uint8Array<ArrayBuffer>[], options.seed);
  return {
    workload,
    path: `/v2/models/${model.name}/infer`,
    statsPath: `/v2/models/${model.name}/stats`,
    grpc,
    onBody: failingMisfits(check),
    manifest: {
      api: grpc ? "kserve-v2-grpc" : "kserve-v2",
      model: model.name,
      inputs: sets[0]!.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
      input_data: "random",
    },
  };
}
