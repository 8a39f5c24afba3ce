/**
 * One phase: open a connection policy, run the closed loop, stream samples to
 * the CSV log, return the samples and the load they ran under.
 *
 * @module
 */

import type { LoadParams } from "./compare.ts";
import { type ConnectionPolicy, openConnector } from "./connection.ts";
import { CsvLogWriter } from "./csv_log.ts";
import { sha256Hex } from "./hash.ts";
import { runClosedLoop, type RunResult } from "./runner.ts";
import type { Sample } from "./sample.ts";
import type { Workload } from "./workload.ts";

/** Options of {@linkcode runPhase}. */
export interface PhaseOptions {
  phase: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  workload: Workload;
  requests: number;
  concurrency: number;
  timeoutMs: number;
  policy: ConnectionPolicy;
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
}

/** What a phase produced. */
export interface PhaseOutcome {
  samples: Sample[];
  run: RunResult;
  load: LoadParams;
}

/** The load parameters of a phase, as recorded in its summary. */
export async function loadParamsOf(
  options: Omit<PhaseOptions, "phase" | "policy" | "logPath" | "stop" | "caCerts">,
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
  const connector = openConnector({
    policy: options.policy,
    concurrency: options.concurrency,
    ...(options.caCerts ? { caCerts: options.caCerts } : {}),
  });
  const log = CsvLogWriter.create(options.logPath);
  const samples: Sample[] = [];
  try {
    const run = await runClosedLoop(
      { ...options, ...(options.stop ? { stop: options.stop } : {}) },
      {
        fetch: connector.fetch,
        now: () => performance.now(),
        onSample: (s) => {
          samples.push(s);
          log.write(s);
          options.onSample?.(s);
        },
      },
    );
    samples.sort((a, b) => a.requestId - b.requestId);
    return { samples, run, load: await loadParamsOf(options) };
  } finally {
    log.close();
    connector.close();
  }
}
