/**
 * `run`'s one phase: its target (the request and the client) with its
 * workload and load plan, run through the load pipeline. The only call of the
 * phase runner for `run` is here.
 *
 * @module
 */

import { DEBUG_DETAIL_BYTES } from "../../stats/sample.ts";
import type { Workload } from "../../workload/workload.ts";
import type { ConnectionPolicy } from "../../load/connection.ts";
import type { ClientTransport, EngineName } from "../../load/engine.ts";
import type { LoadPlan } from "../../load/load_plan.ts";
import type { RequestSpec } from "../../load/measure.ts";
import { type PhaseOutcome, runPhase } from "../../load/phase_runner.ts";
import type { ProgressFactory } from "../shared/progress.ts";
import type { Sample } from "../../stats/sample.ts";
import type { HlogFile } from "./hlog_file.ts";

/** What each request of the run sends (its workload aside). */
export type RunRequest = Omit<RequestSpec, "workload" | "onBody" | "debugBytes">;

/** The client of a run: connections, engine, TLS, and how latencies are kept. */
export interface RunClient extends ClientTransport {
  policy: ConnectionPolicy;
  engine: EngineName;
  /** Latencies in an HdrHistogram, not one by one. */
  histogram: boolean;
  /** HdrHistogram interval log to write (`--hlog`), or null. */
  hlog: string | null;
  /** `--debug`: log the first bytes of each failed response's body. */
  debug: boolean;
}

/** Where and how a run sends: its request and its client, as the flags set them. */
export interface RunTarget {
  request: RunRequest;
  client: RunClient;
}

/** Runs the phase, with a live progress line when there is one; its log goes to `logPath`. */
export async function runOnePhase(input: {
  target: RunTarget;
  plan: LoadPlan;
  planned: number;
  workload: Workload;
  logPath: string;
  keepSamples: boolean;
  stop: AbortSignal;
  progress?: ProgressFactory;
  /** Reads each answer's body into its sample (LLM token counts). */
  onBody?: (sample: Sample, body: Uint8Array) => void;
  /** Also sees each measured sample as it completes; O(1). */
  onSample?: (sample: Sample) => void;
}): Promise<PhaseOutcome> {
  const { request, client } = input.target;
  const { phase } = request;
  const progress = input.progress?.(phase, { total: input.planned });
  // Loaded only with --hlog: its zlib comes from node:zlib, which a plain run does not load.
  const hlog: HlogFile | null = client.hlog
    ? new (await import("./hlog_file.ts")).HlogFile(client.hlog, Date.now(), phase)
    : null;
  const onSample = progress || hlog || input.onSample
    ? (s: Sample) => {
      progress?.record(s);
      hlog?.record(s);
      input.onSample?.(s);
    }
    : null;
  progress?.start();
  try {
    return await runPhase({
      request: {
        ...request,
        workload: input.workload,
        ...(input.onBody ? { onBody: input.onBody } : {}),
        ...(client.debug ? { debugBytes: DEBUG_DETAIL_BYTES } : {}),
      },
      plan: input.plan,
      policy: client.policy,
      engine: client.engine,
      keepSamples: input.keepSamples,
      log: { path: input.logPath, extended: true, debug: client.debug },
      stop: input.stop,
      ...(onSample ? { onSample } : {}),
      ...(client.caCerts ? { caCerts: client.caCerts } : {}),
      ...(client.insecure ? { insecure: true } : {}),
      ...(client.http2 ? { http2: true } : {}),
      ...(client.histogram ? { histogram: true } : {}),
    });
  } finally {
    progress?.finish();
    hlog?.close();
  }
}
