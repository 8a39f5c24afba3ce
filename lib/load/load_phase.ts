/**
 * A `run` phase under any load model: optional warm-up requests (logged,
 * flagged, left out of the statistics), then the measured requests in a
 * closed loop (C workers, bounded by a count or a duration) or an open loop
 * (arrivals on a schedule, optionally capped in flight). Samples stream to the
 * CSV log with the appended columns as they complete.
 *
 * The main job keeps using {@linkcode runPhase} from `phase.ts`, whose logs
 * have the base columns only.
 *
 * @module
 */

import type { LoadParams } from "./load_params.ts";
import type { ConnectionPolicy } from "./connection.ts";
import { type EngineName, openEngine } from "./engine.ts";
import { CsvLogWriter } from "../log/csv_log.ts";
import { type Arrival, arrivalSchedule, runOpenLoop } from "./open_loop.ts";
import { loadParamsOf } from "./phase.ts";
import { runClosedLoop, type RunOptions } from "./runner.ts";
import { SampleStore } from "../stats/sample_store.ts";
import type { Sample } from "../stats/sample.ts";
import type { Workload } from "../workload/workload.ts";

/** How hard, and how, to load the target. */
export interface LoadPlan {
  /** `closed`: C workers, each sends when its last request completes. `open`: on a schedule. */
  model: "closed" | "open";
  /** Closed loop: requests (the bound when `durationMs` is also set). Open loop: arrivals. */
  requests: number;
  /** Stop starting requests after this long (ms); with `requests`, whichever ends first. */
  durationMs?: number;
  /** Closed-loop workers (and the warm-up's). */
  concurrency: number;
  /** Open loop: arrivals per second. */
  rate?: number;
  /** Open loop: how arrivals are spaced. */
  arrival?: Arrival;
  /** Open loop: seed of a Poisson schedule. */
  seed?: number;
  /** Open loop: cap on requests in flight. */
  maxInFlight?: number;
  /** Warm-up requests before the measured ones. */
  warmup: number;
  /** Parse streamed responses. */
  stream: boolean;
}

/** Options of {@linkcode runLoadPhase}. */
export interface LoadPhaseOptions {
  phase: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  workload: Workload;
  timeoutMs: number;
  policy: ConnectionPolicy;
  plan: LoadPlan;
  /** CSV log to write. */
  logPath: string;
  /** Aborting it stops new requests. */
  stop?: AbortSignal;
  /** Largest response body read, in bytes (the runner's default when absent). */
  maxResponseBytes?: number;
  /** HTTP client: `fetch` (default) or the lean `h1` engine. */
  engine?: EngineName;
  /**
   * Keep every sample as an object (default true). Open-loop and streaming
   * metrics and the HTML report need them; a plain closed loop needs only the
   * store, which keeps a million-request run's memory bounded.
   */
  keepSamples?: boolean;
  /** Also sees each measured sample as it completes (a progress line). */
  onSample?: (sample: Sample) => void;
}

/** What a phase produced. */
export interface LoadPhaseOutcome {
  /** Warm-ups first, then the measured requests, each by request id; empty unless `keepSamples`. */
  samples: Sample[];
  /** The measured requests' latencies and ok flags (always kept: 5 bytes a request). */
  store: SampleStore;
  /** Measured requests completed. */
  completed: number;
  /** True when `stop` ended the phase early. */
  interrupted: boolean;
  /** Open loop: requests that waited for a slot under the in-flight cap. */
  capWaits: number;
  load: LoadParams;
}

/** The open loop's schedule of a plan (ms from the measured start). */
export function scheduleOf(plan: LoadPlan): Float64Array {
  return arrivalSchedule({
    rate: plan.rate!,
    arrival: plan.arrival ?? "constant",
    seed: plan.seed ?? 0,
    requests: plan.requests,
    ...(plan.durationMs === undefined ? {} : { durationMs: plan.durationMs }),
  });
}

/** The load parameters of a plan: the main job's, plus what is not the default. */
export async function loadParamsOfPlan(
  options: Omit<LoadPhaseOptions, "phase" | "policy" | "logPath" | "stop">,
): Promise<LoadParams> {
  const { plan } = options;
  const open = plan.model === "open";
  const base = await loadParamsOf({
    ...options,
    requests: open ? scheduleOf(plan).length : plan.requests,
    concurrency: open && plan.warmup === 0 ? 0 : plan.concurrency,
  });
  const extra: Partial<LoadParams> = {};
  if (open) {
    extra.load_model = "open";
    extra.rate = plan.rate!;
    extra.arrival = plan.arrival ?? "constant";
    if (extra.arrival === "poisson") extra.arrival_seed = plan.seed ?? 0;
    if (plan.maxInFlight !== undefined) extra.max_in_flight = plan.maxInFlight;
  }
  if (plan.durationMs !== undefined) extra.duration_s = plan.durationMs / 1000;
  if (plan.warmup > 0) extra.warmup = plan.warmup;
  if (plan.stream) extra.stream = true;
  return { ...base, ...extra };
}

/** Runs warm-up and measured requests, writing the log as requests complete. */
export async function runLoadPhase(options: LoadPhaseOptions): Promise<LoadPhaseOutcome> {
  const { plan } = options;
  const poolSize = plan.model === "open"
    ? plan.maxInFlight ?? Math.max(plan.concurrency, 64)
    : plan.concurrency;
  const connector = openEngine(options.engine ?? "fetch", {
    url: options.url,
    policy: options.policy,
    concurrency: poolSize,
  });
  const send = connector.sendOne ? { sendOne: connector.sendOne } : {};
  const log = CsvLogWriter.create(options.logPath, true);
  const samples: Sample[] = [];
  const keep = options.keepSamples ?? true;
  const store = new SampleStore(keep ? 1024 : plan.requests);
  const now = () => performance.now();
  const base: RunOptions = {
    phase: options.phase,
    url: options.url,
    method: options.method,
    headers: options.headers,
    workload: options.workload,
    requests: plan.requests,
    concurrency: plan.concurrency,
    timeoutMs: options.timeoutMs,
    stream: plan.stream,
    ...(options.stop ? { stop: options.stop } : {}),
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
  };
  try {
    const phaseStart = now();
    if (plan.warmup > 0) {
      await runClosedLoop(
        { ...base, requests: plan.warmup, concurrency: Math.min(plan.concurrency, plan.warmup) },
        {
          fetch: connector.fetch,
          ...send,
          now,
          onSample: (s) => {
            s.warmup = true;
            if (keep) samples.push(s);
            log.write(s);
          },
        },
      );
    }
    // One timeline for the whole log: measured times count from the warm-up's start.
    const offset = plan.warmup > 0 ? now() - phaseStart : 0;
    const onSample = (s: Sample) => {
      if (offset !== 0) {
        s.sentMs += offset;
        if (s.scheduledMs !== undefined) s.scheduledMs += offset;
      }
      if (keep) samples.push(s);
      store.add(s);
      log.write(s);
      options.onSample?.(s);
    };
    let result: { completed: number; interrupted: boolean; capWaits: number };
    if (plan.model === "open") {
      const r = await runOpenLoop(
        {
          ...base,
          schedule: scheduleOf(plan),
          ...(plan.maxInFlight === undefined ? {} : { maxInFlight: plan.maxInFlight }),
        },
        { fetch: connector.fetch, now, onSample, ...send },
      );
      result = r;
    } else {
      const r = await runClosedLoop(
        { ...base, ...(plan.durationMs === undefined ? {} : { durationMs: plan.durationMs }) },
        { fetch: connector.fetch, now, onSample, ...send },
      );
      result = { ...r, capWaits: 0 };
    }
    samples.sort((a, b) =>
      Number(b.warmup === true) - Number(a.warmup === true) || a.requestId - b.requestId
    );
    return {
      samples,
      store,
      completed: result.completed,
      interrupted: result.interrupted,
      capWaits: result.capWaits,
      load: await loadParamsOfPlan(options),
    };
  } finally {
    log.close();
    connector.close();
  }
}
