/**
 * One phase: open an HTTP engine with a connection policy, run the closed
 * loop, stream samples to the CSV log and to a compact {@linkcode SampleStore},
 * return the summary and the load they ran under. No per-request object
 * outlives its log row, so memory stays flat however many requests run.
 *
 * @module
 */

import type { LoadParams } from "./load_params.ts";
import type { ConnectionPolicy } from "./connection.ts";
import { CsvLogWriter } from "../log/csv_log.ts";
import { type EngineName, openEngine } from "./engine.ts";
import { sha256Hex } from "../base/hash.ts";
import { runClosedLoop, type RunOptions, type RunResult } from "./runner.ts";
import { SampleStore } from "../stats/sample_store.ts";
import type { PhaseSummary } from "../stats/stats.ts";
import type { Sample } from "../stats/sample.ts";

/** Options of {@linkcode runPhase}: what the closed loop sends, plus how and where to. */
export interface PhaseOptions
  extends Omit<RunOptions, "stop" | "maxResponseBytes" | "stream" | "durationMs"> {
  policy: ConnectionPolicy;
  /** HTTP client: `fetch` (default) or the lean `h1` engine. */
  engine?: EngineName;
  /** CSV log to write. */
  logPath: string;
  /** Aborting it stops new requests. */
  stop?: AbortSignal;
  /** Also receives each sample as it completes (live progress); must be O(1). */
  onSample?: (sample: Sample) => void;
  /** Largest response body read, in bytes (the runner's default when absent). */
  maxResponseBytes?: number;
  /** PEM certificates to trust beside the system's (a self-signed HTTPS stub). */
  caCerts?: string[];
  /** Keep every sample in memory too (small runs that analyze them: the main job). */
  keepSamples?: boolean;
}

/** What a phase produced. */
export interface PhaseOutcome {
  /** Latencies and ok flags of every request, in completion order. */
  store: SampleStore;
  /** Statistics of the phase (equal to those of its CSV log). */
  summary: PhaseSummary;
  run: RunResult;
  load: LoadParams;
  /** Every sample, by request id, when `keepSamples` was set; else empty. */
  samples: Sample[];
}

/** The load parameters of a phase, as recorded in its summary. */
export async function loadParamsOf(
  options: Omit<PhaseOptions, "phase" | "policy" | "engine" | "logPath" | "stop" | "caCerts">,
): Promise<LoadParams> {
  const headers = Object.entries(options.headers).map(([k, v]) => [k.toLowerCase(), v]).sort();
  return {
    requests: options.requests,
    concurrency: options.concurrency,
    timeout_ms: options.timeoutMs,
    method: options.method,
    path: new URL(options.url).pathname,
    headers_sha256: await sha256Hex(JSON.stringify(headers)),
    workload_digest: options.workload.digest,
  };
}

/** Runs one phase, writing its log as requests complete. */
export async function runPhase(options: PhaseOptions): Promise<PhaseOutcome> {
  const engine = openEngine(options.engine ?? "fetch", {
    url: options.url,
    policy: options.policy,
    concurrency: options.concurrency,
    ...(options.caCerts ? { caCerts: options.caCerts } : {}),
  });
  const log = CsvLogWriter.create(options.logPath);
  const store = new SampleStore(options.requests);
  const samples: Sample[] = [];
  try {
    const run = await runClosedLoop(
      { ...options, ...(options.stop ? { stop: options.stop } : {}) },
      {
        fetch: engine.fetch,
        ...(engine.sendOne ? { sendOne: engine.sendOne } : {}),
        now: () => performance.now(),
        onSample: (s) => {
          store.add(s);
          if (options.keepSamples) samples.push(s);
          log.write(s);
          options.onSample?.(s);
        },
      },
    );
    samples.sort((a, b) => a.requestId - b.requestId);
    return { store, summary: store.summary(), run, load: await loadParamsOf(options), samples };
  } finally {
    log.close();
    engine.close();
  }
}
