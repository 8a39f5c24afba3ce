/**
 * The numbers behind the HTML report's plots, computed here (pure, tested on
 * known data) rather than in the page, so the page only draws: the latency
 * CDF, histogram bins, each request as a point by send time, throughput over
 * time, and the SLA lines to draw over them.
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import type { Threshold } from "../../verdict/threshold.ts";

/** Most points a phase's CDF or scatter carries; above it, an even subsample (said on the page). */
export const MAX_POINTS = 20_000;

/**
 * A latency metric's name: E2E (`p95`, `ok_p99`, `mean`, `max`, `min`, `e2e_p90`) or a
 * streaming one (`ttft_p95`, `tpot_mean`, `itl_p99`), with the percentile it is, if any.
 */
const LATENCY_METRIC = /^(?:(ttft|tpot|itl|e2el?)_)?(?:ok_)?(?:p(\d+(?:\.\d+)?)|mean|max|min)$/;

/** The streaming metrics the LLM plots draw an SLA on. */
export type StreamMetric = "ttft" | "tpot" | "itl";

/** A latency threshold drawn as a line on the latency plots. */
export interface SlaLine {
  expr: string;
  ms: number;
  /** The percentile the threshold is about (95 for p95), or null. */
  percentile: number | null;
  /** The streaming metric it bounds; absent for E2E latency. */
  metric?: StreamMetric;
}

/** The thresholds that are latencies in ms, E2E or streaming (error_rate, throughput are not). */
export function slaLines(thresholds: readonly Threshold[]): SlaLine[] {
  const lines: SlaLine[] = [];
  for (const t of thresholds) {
    const m = LATENCY_METRIC.exec(t.metric);
    if (!m || !Number.isFinite(t.value)) continue;
    const percentile = m[2] === undefined ? null : Number(m[2]);
    const metric = m[1] === "ttft" || m[1] === "tpot" || m[1] === "itl" ? m[1] : undefined;
    lines.push({ expr: t.expr, ms: t.value, percentile, ...(metric ? { metric } : {}) });
  }
  return lines;
}

/** `v` rounded to `digits` decimals. */
export const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/**
 * A "nice" bin width at least `raw`: 1, 2, 2.5 or 5 times a power of ten.
 *
 * @example
 * ```ts
 * niceStep(37); // 50
 * ```
 */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * power >= raw * (1 - 1e-9)) return round(m * power, 12);
  }
  return 10 * power;
}

/** Equal-width bins: bin i covers [start + i*width, start + (i+1)*width). */
export interface Bins {
  start: number;
  width: number;
  counts: number[];
}

/** Histogram of `values` in about `target` nice bins covering min..max (the max in the last). */
export function histogram(values: readonly number[], target = 30): Bins {
  const { start, width, counts } = sharedBins([values], target);
  return { start, width, counts: counts[0]! };
}

/** The same nice bins for several lists (no narrower than `minWidth`), and each list's counts. */
export function sharedBins(
  lists: readonly (readonly number[])[],
  target = 30,
  minWidth = 0,
): { start: number; width: number; counts: number[][] } {
  let min = Infinity;
  let max = -Infinity;
  for (const values of lists) {
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) return { start: 0, width: 1, counts: lists.map(() => []) };
  const raw = niceStep(max > min ? (max - min) / target : Math.max(Math.abs(max), 1) / 10);
  const width = Math.max(raw, minWidth);
  const start = round(Math.floor(min / width) * width, 9);
  const n = Math.floor((max - start) / width) + 1;
  const counts = lists.map((values) => {
    const c = new Array<number>(n).fill(0);
    for (const v of values) c[Math.min(n - 1, Math.max(0, Math.floor((v - start) / width)))]!++;
    return c;
  });
  return { start, width, counts };
}

/** Empirical CDF: each distinct value and the percent of values at or below it. */
export interface Cdf {
  x: number[];
  y: number[];
}

/** The CDF of `values` (ms, rounded to 0.001), at most `maxPoints` points (always the last). */
export function cdf(values: readonly number[], maxPoints = MAX_POINTS): Cdf {
  const sorted = Float64Array.from(values, (v) => round(v, 3)).sort();
  const n = sorted.length;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue; // a tie: keep its highest rank
    xs.push(sorted[i]!);
    ys.push(round(((i + 1) / n) * 100, 4));
  }
  if (xs.length <= maxPoints) return { x: xs, y: ys };
  const keep: Cdf = { x: [], y: [] };
  const stride = xs.length / maxPoints;
  for (let k = 1; k <= maxPoints; k++) {
    const i = Math.min(xs.length - 1, Math.ceil(k * stride) - 1);
    keep.x.push(xs[i]!);
    keep.y.push(ys[i]!);
  }
  return keep;
}

/** Requests as points by send time; `t` strictly ascending, in seconds from the phase start. */
export interface Scatter {
  t: number[];
  ms: number[];
  /** 1 for a successful request, 0 for a failed one. */
  ok: number[];
  /** Requests in the phase (more than the points when subsampled). */
  total: number;
}

/**
 * An even subsample (by request id) of at most `maxPoints` samples, by the time `at` gives
 * (ms from the phase start), with those times in seconds, strictly ascending: times that tie
 * are nudged apart by a microsecond each, because the chart needs ascending x values.
 */
export function alongTime(
  samples: readonly Sample[],
  maxPoints = MAX_POINTS,
  at: (s: Sample) => number = (s) => s.sentMs,
): { t: number[]; picked: Sample[] } {
  const stride = Math.max(1, Math.ceil(samples.length / maxPoints));
  const picked = [...samples].sort((a, b) => a.requestId - b.requestId)
    .filter((_, i) => i % stride === 0)
    .sort((a, b) => at(a) - at(b) || a.requestId - b.requestId);
  const t: number[] = [];
  let lastUs = -Infinity;
  for (const s of picked) {
    const us = Math.max(Math.round(at(s) * 1000), lastUs + 1);
    lastUs = us;
    t.push(us / 1e6);
  }
  return { t, picked };
}

/** Each request as (send time, latency). */
export function scatter(samples: readonly Sample[], maxPoints = MAX_POINTS): Scatter {
  const { t, picked } = alongTime(samples, maxPoints);
  return {
    t,
    ms: picked.map((s) => round(s.latencyMs, 3)),
    ok: picked.map((s) => (s.ok ? 1 : 0)),
    total: samples.length,
  };
}

/** Completions per second in bins of completion time (seconds from the phase start). */
export interface Throughput extends Bins {
  /** counts[i] / width: requests per second in bin i. */
  rates: number[];
}

/** Throughput over time: requests completed in each of about `target` nice bins. */
export function throughput(samples: readonly Sample[], target = 40): Throughput {
  if (samples.length === 0) return { start: 0, width: 1, counts: [], rates: [] };
  const done = samples.map((s) => (s.sentMs + s.latencyMs) / 1000);
  let last = 0;
  for (const t of done) if (t > last) last = t;
  const width = niceStep(last > 0 ? last / target : 0.001);
  const n = Math.floor(last / width) + 1;
  const counts = new Array<number>(n).fill(0);
  for (const t of done) counts[Math.min(n - 1, Math.max(0, Math.floor(t / width)))]!++;
  return { start: 0, width, counts, rates: counts.map((c) => round(c / width, 3)) };
}

/** Everything the page draws for one phase. */
export interface PhaseCharts {
  name: string;
  color: string;
  requests: number;
  failed: number;
  cdf: Cdf;
  histogram: Bins;
  scatter: Scatter;
  throughput: Throughput;
  /** Requests slower than each SLA line, in the order of {@linkcode ChartData.sla}. */
  aboveSla: number[];
}

/** The data embedded in the report for its plots. */
export interface ChartData {
  phases: PhaseCharts[];
  sla: SlaLine[];
  /** Draw latency on a log axis (when it spans more than 30x). */
  logLatency: boolean;
}

/** Phase colours (Okabe-Ito vermillion and blue, told apart by colour-blind readers). */
export const PHASE_COLORS: readonly string[] = ["#d55e00", "#0072b2"];

/** Builds the plot data of up to two phases. The last phase gets the second colour. */
export function chartData(
  phases: readonly { name: string; samples: readonly Sample[] }[],
  allSla: readonly SlaLine[],
): ChartData {
  const sla = allSla.filter((l) => l.metric === undefined);
  let min = Infinity;
  let max = -Infinity;
  for (const p of phases) {
    for (const s of p.samples) {
      if (s.latencyMs > 0 && s.latencyMs < min) min = s.latencyMs;
      if (s.latencyMs > max) max = s.latencyMs;
    }
  }
  for (const l of sla) {
    if (l.ms > 0) min = Math.min(min, l.ms);
    max = Math.max(max, l.ms);
  }
  const offset = PHASE_COLORS.length - phases.length;
  return {
    phases: phases.map((p, i) => {
      const latencies = p.samples.map((s) => s.latencyMs);
      return {
        name: p.name,
        color: PHASE_COLORS[Math.max(0, offset + i) % PHASE_COLORS.length]!,
        requests: p.samples.length,
        failed: p.samples.filter((s) => !s.ok).length,
        cdf: cdf(latencies),
        histogram: histogram(latencies),
        scatter: scatter(p.samples),
        throughput: throughput(p.samples),
        aboveSla: sla.map((l) => latencies.filter((v) => v > l.ms).length),
      };
    }),
    sla: [...sla],
    logLatency: Number.isFinite(min) && min > 0 && max / min > 30,
  };
}

/** A table for the report: column names and rows of cells. */
export interface TableData {
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * Where the time went, from the server's `Server-Timing` (queue and service)
 * and the rest (connection, transfer, client): means over the successful
 * requests that carried both. Null when no phase has such requests.
 */
export function serverTimingTable(
  phases: readonly { name: string; samples: readonly Sample[] }[],
): TableData | null {
  const rows: (string | number)[][] = [];
  for (const p of phases) {
    const timed = p.samples.filter((s) =>
      s.ok && s.serverQueueMs !== null && s.serverInferMs !== null
    );
    if (timed.length === 0) continue;
    const mean = (f: (s: Sample) => number) =>
      round(timed.reduce((a, s) => a + f(s), 0) / timed.length, 1);
    const queue = mean((s) => s.serverQueueMs!);
    const infer = mean((s) => s.serverInferMs!);
    const latency = mean((s) => s.latencyMs);
    rows.push([p.name, timed.length, queue, infer, round(latency - queue - infer, 1), latency]);
  }
  if (rows.length === 0) return null;
  return {
    columns: [
      "phase",
      "requests with Server-Timing",
      "mean queue wait (ms)",
      "mean service (ms)",
      "mean rest: connection, transfer, client (ms)",
      "mean latency (ms)",
    ],
    rows,
  };
}
