/**
 * How busy the client itself was during a run, so that a slow server can be
 * told from a saturated generator: the event loop's lag (how late a timer set
 * every few ms fires; a sample taken after a read waits for the same loop) and
 * the process's CPU time as a share of one core.
 *
 * `startSelfMonitor` runs the sampler on injected timers and clocks (real
 * ones by default, unref'd so they never hold the process open);
 * `summarizeSelfMonitor` and `clientBottleneck` are pure.
 *
 * @example
 * ```ts
 * const monitor = startSelfMonitor({ deps: await realMonitorDeps() });
 * // ... the run ...
 * const summary = monitor.stop();
 * const warning = clientBottleneck(summary); // null, or one line to print
 * ```
 *
 * @module
 */

import { HdrHistogram } from "../stats/histogram/hdr_histogram.ts";
import { type CpuTime, processCpuClock } from "./process_cpu.ts";

export type { CpuTime } from "./process_cpu.ts";

/** What the monitor needs from the outside world; tests pass fakes. */
export interface MonitorDeps {
  /** Monotonic ms. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
  /** Cumulative CPU time of this process. */
  cpuUsage(): CpuTime;
}

/** The real clock, an unref'd `setTimeout` and the process's CPU time (lib/load/process_cpu.ts). */
export async function realMonitorDeps(): Promise<MonitorDeps> {
  return {
    now: () => performance.now(),
    setTimer: (fn, ms) => {
      const id = setTimeout(fn, ms);
      Deno.unrefTimer(id);
      return () => clearTimeout(id);
    },
    cpuUsage: await processCpuClock(),
  };
}

/** The client's own load over a run. Times in ms; NaN where nothing was sampled. */
export interface SelfMonitorSummary {
  /** The sampler's period, ms. */
  interval_ms: number;
  /** Timer firings measured. */
  lag_samples: number;
  lag_p50_ms: number;
  lag_p99_ms: number;
  lag_max_ms: number;
  /** User + system CPU over the run, ms. */
  cpu_ms: number;
  /** Wall time of the run, ms. */
  wall_ms: number;
  /** cpu_ms / wall_ms: 1 means one core busy the whole time. */
  cpu_share: number;
}

/** A running monitor. */
export interface SelfMonitor {
  /** Stops sampling and summarizes. Idempotent in effect: call once. */
  stop(): SelfMonitorSummary;
}

/** Options of {@linkcode startSelfMonitor}. */
export interface SelfMonitorOptions {
  /** Timer period, ms (default 5). */
  intervalMs?: number;
  /** Clocks and timers: {@linkcode realMonitorDeps}, or fakes. */
  deps: MonitorDeps;
}

/** Starts sampling the event loop's lag and the CPU used from now on. */
export function startSelfMonitor(options: SelfMonitorOptions): SelfMonitor {
  const intervalMs = options.intervalMs ?? 5;
  const { deps } = options;
  const lags = new HdrHistogram();
  const cpuStart = deps.cpuUsage();
  const wallStart = deps.now();
  let cancel: () => void = () => {};
  let stopped = false;
  const arm = (): void => {
    const due = deps.now() + intervalMs;
    cancel = deps.setTimer(() => {
      if (stopped) return;
      lags.record(Math.max(0, deps.now() - due));
      arm();
    }, intervalMs);
  };
  arm();
  return {
    stop(): SelfMonitorSummary {
      stopped = true;
      cancel();
      return summarizeSelfMonitor({
        intervalMs,
        lags,
        cpuStart,
        cpuEnd: deps.cpuUsage(),
        wallMs: deps.now() - wallStart,
      });
    },
  };
}

/** Inputs of {@linkcode summarizeSelfMonitor}. */
export interface SelfMonitorMeasures {
  intervalMs: number;
  /** Lag samples, ms. */
  lags: HdrHistogram;
  cpuStart: CpuTime;
  cpuEnd: CpuTime;
  wallMs: number;
}

/** The summary of measured lags and CPU times. Pure. */
export function summarizeSelfMonitor(m: SelfMonitorMeasures): SelfMonitorSummary {
  const cpuMs = (m.cpuEnd.user - m.cpuStart.user + m.cpuEnd.system - m.cpuStart.system) / 1000;
  return {
    interval_ms: m.intervalMs,
    lag_samples: m.lags.count,
    lag_p50_ms: m.lags.valueAtPercentile(50),
    lag_p99_ms: m.lags.valueAtPercentile(99),
    lag_max_ms: m.lags.max,
    cpu_ms: cpuMs,
    wall_ms: m.wallMs,
    cpu_share: m.wallMs > 0 ? cpuMs / m.wallMs : NaN,
  };
}

/** When the client counts as the bottleneck. */
export interface BottleneckLimits {
  /** Event-loop lag P99 above this (ms) means samples were taken late. Default 5. */
  lagP99Ms: number;
  /** CPU share of a core at or above this means the client had no headroom. Default 0.9. */
  cpuShare: number;
}

/** The limits `clientBottleneck` uses unless told otherwise. */
export const DEFAULT_BOTTLENECK_LIMITS: BottleneckLimits = { lagP99Ms: 5, cpuShare: 0.9 };

/**
 * One warning line when the client, not the server, may have set the
 * latencies: its event loop ran late (lag P99 above the limit) or it used
 * nearly a whole core; null otherwise, and null when nothing was measured.
 */
export function clientBottleneck(
  summary: SelfMonitorSummary,
  limits: BottleneckLimits = DEFAULT_BOTTLENECK_LIMITS,
): string | null {
  const reasons: string[] = [];
  if (summary.lag_samples > 0 && summary.lag_p99_ms > limits.lagP99Ms) {
    reasons.push(
      `event-loop lag P99 ${summary.lag_p99_ms.toFixed(1)} ms > ${limits.lagP99Ms} ms`,
    );
  }
  if (summary.cpu_share >= limits.cpuShare) {
    reasons.push(
      `CPU ${summary.cpu_share.toFixed(2)} of a core >= ${limits.cpuShare.toFixed(2)}`,
    );
  }
  if (reasons.length === 0) return null;
  return `warning: the client may have been the bottleneck (${reasons.join("; ")}): ` +
    "latencies include its own delay; spread the load over more client processes or machines";
}
