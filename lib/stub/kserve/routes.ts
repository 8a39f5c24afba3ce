/**
 * The stub's Open Inference Protocol (KServe v2) REST routes: server
 * metadata and health (`GET /v2`, `/v2/health/live|ready`), model metadata
 * and readiness (`GET /v2/models/{name}[/versions/{v}][/ready]`), inference
 * (`POST .../infer`, JSON tensors or the binary tensor data extension), and
 * the statistics extension (`GET /v2/models/{name}[/versions/{v}]/stats`).
 * The answer is a pure function of the inputs ({@linkcode stubOutputs}); the
 * service time a pure function of the body ({@linkcode serviceTimeMs});
 * scheduling and counters are the {@linkcode V2Scheduler}'s.
 *
 * @module
 */

import { sha256Hex } from "../../base/hash.ts";
import { serviceTimeMs } from "../infer_route.ts";
import { text } from "../request_body.ts";
import {
  checkInputs,
  readInferRequest,
  type ReadInputs,
  type ReadTensor,
  STUB_V2_MODEL,
  stubOutputs,
} from "./model.ts";
import { type V2Mode, V2Scheduler, type V2Timing } from "./scheduler.ts";

/** Options of {@linkcode createV2Routes}. */
export interface V2RoutesOptions {
  mode: V2Mode;
  maxBatch: number;
  /** Range of the compute-infer time, ms; each body maps to a fixed point in it. */
  serviceMs: [number, number];
  /** Compute input and output of an execution, ms. */
  inputMs: number;
  outputMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Compute input and output of an execution by default, ms. */
export const V2_DEFAULT_INPUT_MS = 1;
export const V2_DEFAULT_OUTPUT_MS = 1;

/** The routes, for the server to hook in. */
export interface V2Routes {
  handles(pathname: string): boolean;
  handle(
    req: Request,
    readBody: () => Promise<Uint8Array | string>,
    headers: Record<string, string>,
  ): Promise<Response>;
  scheduler: V2Scheduler;
  /**
   * Runs one inference on the model, as both transports do (`grpc.ts` too): the inputs checked,
   * the service time drawn from `body`'s digest, the scheduler's wait and execution, the
   * counters; `arrived` is when the request came in (the success and fail durations).
   */
  infer(read: ReadInputs, body: Uint8Array, arrived: number): Promise<InferResult>;
}

/** An inference's outputs and times, or why its inputs were refused (a 400, INVALID_ARGUMENT). */
export type InferResult = { outputs: ReadTensor[]; timing: V2Timing } | { error: string };

/** A `Server-Timing` value of an inference's times: the queue, and compute as `infer`. */
export function serverTimingOf(t: V2Timing): string {
  const compute = t.inputMs + t.inferMs + t.outputMs;
  return `queue;dur=${t.queueMs.toFixed(3)}, infer;dur=${compute.toFixed(3)}`;
}

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer|\/stats)?$/;

/** Builds the routes. */
export function createV2Routes(options: V2RoutesOptions): V2Routes {
  const model = STUB_V2_MODEL;
  const version = model.versions[0]!;
  const scheduler = new V2Scheduler(model.name, version, options);
  const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
    Response.json(value, { status, headers });
  const fail = (status: number, error: string) => json({ error }, status);

  async function run(read: ReadInputs, body: Uint8Array, arrived: number): Promise<InferResult> {
    const bad = "error" in read ? read.error : checkInputs(model, read.inputs);
    if (bad !== null || "error" in read) {
      scheduler.failed(performance.now() - arrived);
      return { error: bad ?? "bad request" };
    }
    const service = serviceTimeMs(await sha256Hex(body), options.serviceMs);
    const rows = read.inputs.get(model.inputs[0]!.name)!.shape[0]!;
    const timing = await scheduler.run(rows, service);
    const outputs = stubOutputs(read.inputs);
    scheduler.succeeded(performance.now() - arrived);
    return { outputs, timing };
  }

  async function infer(
    req: Request,
    readBody: () => Promise<Uint8Array | string>,
    headers: Record<string, string>,
  ): Promise<Response> {
    const arrived = performance.now();
    const body = await readBody();
    if (typeof body === "string") return text(body === "too_large" ? 413 : 400, body);
    const headerLength = req.headers.get("inference-header-content-length");
    const read = readInferRequest(body, headerLength === null ? null : Number(headerLength));
    const done = await run(read, body, arrived);
    if ("error" in done) return fail(400, done.error);
    return json(
      {
        model_name: model.name,
        model_version: version,
        ...("error" in read || read.id === undefined ? {} : { id: read.id }),
        outputs: done.outputs,
      },
      200,
      { ...headers, "server-timing": serverTimingOf(done.timing) },
    );
  }

  return {
    scheduler,
    infer: run,
    handles: (pathname) => pathname === "/v2" || pathname.startsWith("/v2/"),
    async handle(req, readBody, headers) {
      const path = new URL(req.url).pathname;
      const get = req.method === "GET";
      if (path === "/v2" && get) {
        return json({ name: "loadgate-stub", version: "1", extensions: ["statistics"] });
      }
      if ((path === "/v2/health/live" || path === "/v2/health/ready") && get) {
        return new Response(null, { status: 200 });
      }
      const m = MODEL_PATH.exec(path);
      if (!m) return fail(404, `no route ${path}`);
      const [, name, v, action] = m;
      if (name !== model.name || (v !== undefined && v !== version)) {
        return fail(404, `unknown model "${name}"${v === undefined ? "" : ` version "${v}"`}`);
      }
      if (action === "/infer") {
        if (req.method !== "POST") return text(405, "method not allowed", { allow: "POST" });
        return await infer(req, readBody, headers);
      }
      if (!get) return text(405, "method not allowed", { allow: "GET" });
      if (action === "/ready") return new Response(null, { status: 200 });
      if (action === "/stats") return json({ model_stats: [scheduler.stats()] });
      return json(model);
    },
  };
}
