/**
 * What the KServe v2 run tests share (REST and gRPC): the stub's v2 model
 * on port 0 (and over gRPC when asked), one run against it in process, and
 * the stated bound of the server split against the stub's known times.
 * Not a test file itself.
 */
import assert from "node:assert/strict";
import { serveStub } from "../lib/stub/server.ts";
import type { StubMode } from "../lib/stub/options.ts";
import { serveV2Grpc } from "../lib/stub/kserve/grpc.ts";
import { readLog } from "../lib/log/csv/log.ts";
import type { Sample } from "../lib/stats/sample.ts";
import { serviceTimeMs } from "../lib/stub/server.ts";
import { V2_DEFAULT_INPUT_MS, V2_DEFAULT_OUTPUT_MS } from "../lib/stub/kserve/routes.ts";
import type { InputSet } from "../lib/workload/kserve/tensors.ts";
import { runInProcess } from "./_in_process.ts";

/** The stub's service-time range, ms. */
export const RANGE: [number, number] = [5, 15];
/**
 * The stated bound: a measured part's mean is at least its known time (less
 * rounding) and at most 15 ms plus the event loop's lag P99 more: the stub
 * runs in the test's process, so its timers fire as late as the loop the
 * client measures (`client.lag_p99_ms`), on 2 cores shared by the load
 * generator, the server and other work.
 */
export const SLACK_MS = 15;

/**
 * Runs `fn` with the stub in `mode` (`base`: its REST origin; with `grpc`, `base` is the
 * `grpc://` URL of the same model) and a temporary output folder.
 */
export async function withStub(
  mode: StubMode,
  fn: (t: { base: string; dir: string }) => Promise<void>,
  options: { grpc?: boolean } = {},
): Promise<void> {
  const stub = serveStub({ mode, serviceMs: RANGE });
  const grpc = options.grpc ? await serveV2Grpc(stub.v2, { port: 0 }) : null;
  await Deno.mkdir("results/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "kserve_run_" });
  try {
    await fn({ base: grpc?.url ?? new URL(stub.url).origin, dir });
  } finally {
    await grpc?.shutdown();
    await stub.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The summary's `server_split`. */
export interface Split {
  requests: number;
  queue_ms: number;
  compute_input_ms: number;
  compute_infer_ms: number;
  compute_output_ms: number;
  request_ms: number;
  mean_batch: number;
}

/** `run --api API --model m -n 40 -c 4` against `base` in process; its log, summary and bound. */
export async function runOn(base: string, dir: string, extra: string[] = [], api = "kserve-v2") {
  const r = await runInProcess([
    ...["--url", base, "--api", api, "--model", "m", "-n", "40", "-c", "4"],
    ...["--out", dir, "--quiet", ...extra],
  ]);
  const doc = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
  const log = await readLog(`${dir}/run.csv`);
  const slack = SLACK_MS + (doc.client?.lag_p99_ms ?? 0);
  return { r, split: doc.server_split as Split, doc, log, slack };
}

/** Asserts `got` is within `[known, known + slack]` ms. */
export function within(label: string, got: number, known: number, slack: number): void {
  assert.ok(
    got >= known - 0.01 && got <= known + slack,
    `${label}: ${got} ms is not within [${known}, ${known} + ${slack}] ms`,
  );
}

/**
 * The split of a concurrent run against the stub's known times: compute infer the mean
 * service time of the bodies logged (their digests), compute input and output the stub's
 * fixed times, each within the bound; no queue.
 */
export function assertConcurrentSplit(split: Split, log: Sample[], slack: number): void {
  const known = log.reduce((a, s) => a + serviceTimeMs(s.inputSha256, RANGE), 0) / log.length;
  within("compute infer", split.compute_infer_ms, known, slack);
  within("compute input", split.compute_input_ms, V2_DEFAULT_INPUT_MS, slack);
  within("compute output", split.compute_output_ms, V2_DEFAULT_OUTPUT_MS, slack);
  assert.ok(split.queue_ms < 1, `concurrent: no queue, got ${split.queue_ms} ms`);
}

/**
 * The split of a serialized run (four in flight, one served): compute infer within the bound,
 * each request waiting for about the three before it, the client's mean at least the server's.
 */
export function assertSerializedSplit(split: Split, log: Sample[], slack: number): void {
  const known = log.reduce((a, s) => a + serviceTimeMs(s.inputSha256, RANGE), 0) / log.length;
  within("compute infer", split.compute_infer_ms, known, slack);
  const execution = split.compute_input_ms + split.compute_infer_ms + split.compute_output_ms;
  assert.ok(split.queue_ms > 1.5 * execution, `queue ${split.queue_ms} vs ${execution}`);
  const clientMean = log.reduce((a, s) => a + s.latencyMs, 0) / log.length;
  assert.ok(clientMean >= split.request_ms, `client ${clientMean} < server ${split.request_ms}`);
}

/** One request's inputs for the stub's model `m` (one row). */
export const STUB_INPUTS: InputSet = [
  {
    name: "INPUT0",
    datatype: "FP32",
    shape: [1, 16],
    data: Array.from({ length: 16 }, (_, i) => i),
  },
  { name: "INPUT1", datatype: "INT32", shape: [1, 4], data: [1, 2, 3, -4] },
];
