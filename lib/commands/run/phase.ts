/**
 * `run`'s one phase: its workload and its load plan, run through the load
 * pipeline. The only call of the phase runner for `run` is here.
 *
 * @module
 */

import { DEBUG_DETAIL_BYTES } from "../../stats/sample.ts";
import { UsageError } from "../../base/errors.ts";
import { datasetWorkload, readDataset } from "../../workload/dataset.ts";
import { buildWorkload, type Workload, workloadFromBodies } from "../../workload/workload.ts";
import type { LoadPlan } from "../../load/load_plan.ts";
import { MAX_STAGED_ARRIVALS } from "../../load/stages.ts";
import { DEFAULT_MAX_RESPONSE } from "../../load/measure.ts";
import { type PhaseOutcome, runPhase } from "../../load/phase_runner.ts";
import type { ProgressFactory } from "../shared/progress.ts";
import type { Sample } from "../../stats/sample.ts";
import { checkJsonBody } from "../shared/input_checks.ts";
import type { HlogFile } from "./hlog_file.ts";
import { DURATION_REQUEST_CAP, type RunCommandOptions } from "./options.ts";

/** Distinct seeded bodies built for a run bounded by time or kept in a histogram (they repeat beyond). */
const DURATION_WORKLOAD = 10_000;

/** The load plan of a run; `traceSchedule` is a `--trace` replay's clock. */
export function planOf(options: RunCommandOptions, traceSchedule?: Float64Array): LoadPlan {
  const common = {
    requests: options.requests,
    durationMs: options.durationMs,
    warmup: options.warmup,
    ...(options.shard ? { shard: options.shard } : {}),
  };
  if (options.stages) {
    const { stages, maxInFlight, concurrency } = options;
    return {
      kind: "stages",
      ...common,
      requests: MAX_STAGED_ARRIVALS,
      durationMs: null,
      stages,
      maxInFlight,
      warmupConcurrency: concurrency,
    };
  }
  if (traceSchedule) {
    const n = traceSchedule.length;
    const span = n > 1 ? traceSchedule[n - 1]! - traceSchedule[0]! : 0;
    return {
      kind: "open",
      ...common,
      requests: n,
      durationMs: null,
      rate: span > 0 ? ((n - 1) * 1000) / span : 1,
      arrival: "constant",
      seed: options.seed,
      maxInFlight: options.maxInFlight,
      warmupConcurrency: options.concurrency,
      traceSchedule,
    };
  }
  if (options.rate === null) {
    return { kind: "closed", ...common, concurrency: options.concurrency };
  }
  return {
    kind: "open",
    ...common,
    rate: options.rate,
    arrival: options.arrival,
    seed: options.seed,
    ...(options.burstiness === undefined ? {} : { burstiness: options.burstiness }),
    maxInFlight: options.maxInFlight,
    warmupConcurrency: options.concurrency,
  };
}

/** The bodies a run sends: a dataset, one fixed body, or the seeded workload. */
export async function workloadFor(options: RunCommandOptions, planned: number): Promise<Workload> {
  // Every request gets its own body up to a bound; beyond it bodies repeat in order.
  if (options.dataset !== null) {
    const lines = await readDataset(options.dataset);
    return await datasetWorkload(lines, {
      order: options.datasetOrder,
      seed: options.seed,
      requests: Math.min(planned, DURATION_REQUEST_CAP),
    });
  }
  if (options.body === null) {
    const bounded = options.durationMs !== null || options.stages !== undefined ||
      options.histogram === true;
    const bound = bounded ? Math.min(planned, DURATION_WORKLOAD) : planned;
    return await buildWorkload({ seed: options.seed, requests: bound });
  }
  let text = options.body;
  let source = "--body";
  if (text.startsWith("@")) {
    source = `--body file "${text.slice(1)}"`;
    try {
      text = await Deno.readTextFile(text.slice(1));
    } catch (err) {
      throw new UsageError(
        `Cannot read --body file "${text.slice(1)}": ${err instanceof Error ? err.message : err}`,
      );
    }
  }
  checkJsonBody(text, source, options.headers["content-type"]);
  return await workloadFromBodies([new TextEncoder().encode(text)]);
}

/** Runs the phase, with a live progress line when there is one; its log goes to `logPath`. */
export async function runOnePhase(input: {
  options: RunCommandOptions;
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
  const { options } = input;
  const progress = input.progress?.(options.phase, { total: input.planned });
  // Loaded only with --hlog: its zlib comes from node:zlib, which a plain run does not load.
  const hlog: HlogFile | null = options.hlog
    ? new (await import("./hlog_file.ts")).HlogFile(options.hlog, Date.now(), options.phase)
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
        phase: options.phase,
        url: options.url,
        method: options.method,
        headers: options.headers,
        workload: input.workload,
        timeoutMs: options.timeoutMs,
        maxResponseBytes: options.maxResponseBytes || DEFAULT_MAX_RESPONSE,
        stream: options.stream,
        ...(input.onBody ? { onBody: input.onBody } : {}),
        ...(options.debug ? { debugBytes: DEBUG_DETAIL_BYTES } : {}),
      },
      plan: input.plan,
      policy: options.policy,
      engine: options.engine,
      keepSamples: input.keepSamples,
      log: { path: input.logPath, extended: true, debug: options.debug === true },
      stop: input.stop,
      ...(onSample ? { onSample } : {}),
      ...(options.caCerts ? { caCerts: options.caCerts } : {}),
      ...(options.insecure ? { insecure: true } : {}),
      ...(options.http2 ? { http2: true } : {}),
      ...(options.histogram ? { histogram: true } : {}),
    });
  } finally {
    progress?.finish();
    hlog?.close();
  }
}
