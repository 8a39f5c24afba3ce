/**
 * The load a phase ran under, as its summary records it
 * ({@linkcode loadParamsOf}).
 *
 * @module
 */

import { sha256Hex } from "../base/hash.ts";
import { shownHeaderValue } from "../base/secrets.ts";
import type { RequestSpec } from "./measure.ts";
import { type LoadPlan, plannedRequests } from "./load_plan.ts";

/** The load a phase ran under; two phases compare fairly only when these match. */
export interface LoadParams {
  requests: number;
  concurrency: number;
  timeout_ms: number;
  method: string;
  /** URL path (host and port differ between stub processes). */
  path: string;
  /** SHA-256 of the request headers, sorted, as JSON. */
  headers_sha256: string;
  /** Digest naming the request bodies in order. */
  workload_digest: string;
  // Written by `run` only when not the default (closed loop bounded by count,
  // no warm-up, no streaming), so such logs stay comparable with the main job's.
  /** `open`: requests sent on a schedule (`rate` arrivals per second); `stages`: ramped. */
  load_model?: "open" | "stages" | "sessions";
  /** `sessions`: sessions in all. */
  sessions?: number;
  /** `sessions`, closed: sessions at once. */
  session_concurrency?: number;
  /** `sessions`, open: sessions arriving per second. */
  session_rate?: number;
  /** `--stages`: each stage's duration (ms) and target rate. */
  stages?: { duration_ms: number; rate: number }[];
  rate?: number;
  arrival?: string;
  /** Seed of a Poisson schedule. */
  arrival_seed?: number;
  /** `--trace`: SHA-256 of the trace's schedule (ms, 3 decimals, one a line). */
  trace_schedule_sha256?: string;
  /** Poisson with `--burstiness`: the gamma shape of the gaps. */
  burstiness?: number;
  max_in_flight?: number;
  /** The run was bounded by time (and by `requests`, whichever came first). */
  duration_s?: number;
  /** Warm-up requests sent before the measured ones. */
  warmup?: number;
  /** Streamed responses were parsed. */
  stream?: boolean;
}

/**
 * The load parameters of a phase: requests, concurrency, timeout, method,
 * path, header and workload digests, plus what is not the default (open
 * loop, duration, warm-up, streaming), so a plain closed loop's record is the
 * main job's.
 */
export async function loadParamsOf(
  request: Pick<RequestSpec, "url" | "method" | "headers" | "workload" | "timeoutMs" | "stream">,
  plan: LoadPlan,
): Promise<LoadParams> {
  // Secret values (an API key) are hashed as shown, never as sent: an unsalted
  // digest of a short key could be reversed by trying keys.
  const headers = Object.entries(request.headers)
    .map(([k, v]) => [k.toLowerCase(), shownHeaderValue(k, v)]).sort();
  const open = plan.kind === "open";
  const params: LoadParams = {
    requests: plannedRequests(plan),
    // An open loop has no workers; only its warm-up does.
    concurrency: plan.kind === "closed"
      ? plan.concurrency
      : plan.kind === "sessions"
      ? plan.concurrency ?? 0
      : plan.warmup === 0
      ? 0
      : plan.warmupConcurrency,
    timeout_ms: request.timeoutMs,
    method: request.method,
    path: new URL(request.url).pathname,
    headers_sha256: await sha256Hex(JSON.stringify(headers)),
    workload_digest: request.workload.digest,
  };
  if (open) {
    params.load_model = "open";
    params.rate = plan.rate;
    params.arrival = plan.traceSchedule ? "trace" : plan.arrival;
    if (plan.traceSchedule) {
      const lines = Array.from(plan.traceSchedule, (t) => t.toFixed(3)).join("\n");
      params.trace_schedule_sha256 = await sha256Hex(lines);
    } else if (plan.arrival === "poisson") params.arrival_seed = plan.seed;
    if (plan.burstiness !== undefined) params.burstiness = plan.burstiness;
    if (plan.maxInFlight !== null) params.max_in_flight = plan.maxInFlight;
  }
  if (plan.kind === "stages") {
    params.load_model = "stages";
    params.stages = plan.stages.map((s) => ({ duration_ms: s.durationMs, rate: s.target }));
    if (plan.maxInFlight !== null) params.max_in_flight = plan.maxInFlight;
  }
  if (plan.kind === "sessions") {
    params.load_model = "sessions";
    params.sessions = plan.sessions.length;
    if (plan.concurrency !== null) params.session_concurrency = plan.concurrency;
    if (plan.rate !== null) {
      params.session_rate = plan.rate;
      params.arrival = plan.arrival;
    }
  }
  if (plan.durationMs !== null) params.duration_s = plan.durationMs / 1000;
  if (plan.warmup > 0) params.warmup = plan.warmup;
  if (request.stream) params.stream = true;
  return params;
}
