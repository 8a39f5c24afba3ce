/**
 * The one phase runner, for the main job, `run` and every later command:
 * open an engine, send the optional warm-up requests in a closed loop
 * (logged, flagged, left out of the statistics), then the measured requests
 * under the plan's pacer. Each sample streams to the CSV log as it completes
 * and into a compact {@linkcode SampleStore}; per-request objects are kept
 * only when asked, so memory stays flat however many requests run.
 *
 * @example
 * ```ts
 * const outcome = await runPhase({
 *   request: { phase: "run", url, method: "POST", headers: {}, workload, timeoutMs: 30_000,
 *     maxResponseBytes: DEFAULT_MAX_RESPONSE, stream: false },
 *   plan: { kind: "closed", requests: 100, concurrency: 4, durationMs: null, warmup: 0 },
 *   policy: "pooled", engine: "fetch", log: { path: "results/run.csv", extended: true },
 *   keepSamples: false,
 * });
 * outcome.store.summary().p95;
 * ```
 *
 * @module
 */

import type { ConnectionPolicy } from "./connection.ts";
import type { ClientTransport, Engine, EngineName } from "./engine.ts";
import { openEngine } from "./open_engine.ts";
import { realNow } from "./deadlines.ts";
import { CsvLogWriter } from "../log/csv/log.ts";
import { type LoadParams, loadParamsOf } from "./load_params.ts";
import { type LoadPlan, ownRequests, pacerOf, poolSizeOf, warmupConcurrency } from "./load_plan.ts";
import { closedLoop } from "./closed_loop.ts";
import type { RequestSpec } from "./measure.ts";
import type { PaceResult } from "./pacer.ts";
import { roundSampleTimes } from "../stats/logged_sample.ts";
import { SampleStore } from "../stats/sample_store.ts";
import { HistogramStore, type LatencyStore } from "../stats/histogram/store.ts";
import { realMonitorDeps, type SelfMonitorSummary, startSelfMonitor } from "./self_monitor.ts";
import type { Sample } from "../stats/sample.ts";

/** Options of {@linkcode runPhase}. */
export interface PhaseOptions extends ClientTransport {
  /** What every request sends. */
  request: RequestSpec;
  plan: LoadPlan;
  policy: ConnectionPolicy;
  engine: EngineName;
  /** Count latencies in an HdrHistogram (fixed memory) instead of keeping each one. */
  histogram?: boolean;
  /**
   * CSV log to write; `extended` appends the warm-up, schedule and stream columns,
   * `debug` then `error_detail`.
   */
  log: { path: string; extended: boolean; debug?: boolean };
  /** Keep every sample as an object too (metrics and reports that need them). */
  keepSamples: boolean;
  /** Aborting it stops new requests; those in flight finish. */
  stop?: AbortSignal;
  /** Also sees each measured sample as it completes (live progress); must be O(1). */
  onSample?: (sample: Sample) => void;
}

/** What a phase produced. */
export interface PhaseOutcome {
  /** Warm-ups first, then the measured requests, each by request id; empty unless `keepSamples`. */
  samples: Sample[];
  /** The measured requests' latencies and ok flags (5 bytes a request, or a fixed histogram). */
  store: LatencyStore;
  /** Measured requests completed. */
  completed: number;
  /** True when `stop` ended the phase early. */
  interrupted: boolean;
  /** Open loop: requests that waited for a slot under the in-flight cap; else 0. */
  capWaits: number;
  /** Wall time of the measured requests, ms. */
  durationMs: number;
  /** The load the phase ran under, as its summary records it. */
  load: LoadParams;
  /** How busy the client itself was: event-loop lag and CPU over the measured requests. */
  client: SelfMonitorSummary;
  /** Connections opened before the first request (pooled closed loop on h1), else 0. */
  preconnected: number;
}

/** Runs one phase: warm-up, then measured requests, writing the log as requests complete. */
export async function runPhase(options: PhaseOptions): Promise<PhaseOutcome> {
  const { plan } = options;
  // First: a long schedule takes a while to draw, and a bad plan throws before anything opens.
  const pacer = pacerOf(plan);
  const now = realNow;
  const engine = openEngine(options.engine, {
    request: options.request,
    policy: options.policy,
    concurrency: poolSizeOf(plan),
    now,
    ...(options.caCerts ? { caCerts: options.caCerts } : {}),
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.http2 ? { http2: true } : {}),
  });
  const log = CsvLogWriter.create(options.log.path, options.log.extended, options.log.debug);
  const store: LatencyStore = options.histogram
    ? new HistogramStore()
    : new SampleStore(ownRequests(plan));
  const samples: Sample[] = [];
  const stop = options.stop ? { stop: options.stop } : {};
  try {
    const preconnected = await preconnect(options, engine);
    const phaseStart = now();
    await warmUp(options, engine, now, (s) => {
      roundSampleTimes(s);
      if (options.keepSamples) samples.push(s);
      log.write(s);
    });
    // One timeline for the whole log: measured times count from the warm-up's start.
    const offset = plan.warmup > 0 ? now() - phaseStart : 0;
    const monitor = startSelfMonitor({ deps: await realMonitorDeps() });
    let client: SelfMonitorSummary | undefined;
    const run: PaceResult = await pacer({
      engine,
      now,
      ...stop,
      onSample: (s) => {
        if (offset !== 0) {
          s.sentMs += offset;
          if (s.scheduledMs !== undefined) s.scheduledMs += offset;
        }
        // Rounded once to the log's 3 decimals: every summary is computed from the logged values.
        roundSampleTimes(s);
        if (options.keepSamples) samples.push(s);
        store.add(s);
        log.write(s);
        options.onSample?.(s);
      },
    }).finally(() => (client = monitor.stop()));
    samples.sort((a, b) =>
      Number(b.warmup === true) - Number(a.warmup === true) || a.requestId - b.requestId
    );
    return {
      samples,
      store,
      completed: run.completed,
      interrupted: run.interrupted,
      capWaits: run.capWaits,
      durationMs: run.durationMs,
      load: await loadParamsOf(options.request, plan),
      client: client!,
      preconnected,
    };
  } finally {
    log.close();
    engine.close();
  }
}

/**
 * A pooled closed loop keeps C connections busy from its first request: open them first, off
 * the clock, as wrk does, so the first C latencies measure requests, not TCP or TLS setup
 * (which `fresh` measures on every request). Open loops and stages grow their pools as
 * requests come, and fetch keeps its own pool: nothing is opened ahead for them.
 */
async function preconnect(options: PhaseOptions, engine: Engine): Promise<number> {
  const { plan } = options;
  if (plan.kind !== "closed" || options.policy !== "pooled" || !engine.preconnect) return 0;
  if (plan.durationMs !== null && plan.durationMs <= 0) return 0; // it will send nothing
  const n = Math.min(poolSizeOf(plan), ownRequests(plan) + plan.warmup);
  const timeoutMs = Math.min(options.request.timeoutMs, 30_000);
  return await engine.preconnect(n, timeoutMs);
}

/** Sends the plan's warm-up requests in a closed loop, flagged, to `sink` (the log) only. */
async function warmUp(
  options: PhaseOptions,
  engine: Engine,
  now: () => number,
  sink: (sample: Sample) => void,
): Promise<void> {
  const { warmup } = options.plan;
  if (warmup === 0) return;
  const concurrency = Math.min(warmupConcurrency(options.plan), warmup);
  await closedLoop({ requests: warmup, concurrency, durationMs: null })({
    engine,
    now,
    ...(options.stop ? { stop: options.stop } : {}),
    onSample: (s) => {
      s.warmup = true;
      sink(s);
    },
  });
}
