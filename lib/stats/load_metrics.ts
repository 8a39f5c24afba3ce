/**
 * Metrics beyond the base summary, pure functions of the samples: latency
 * from the scheduled time in an open loop (and how far the generator fell
 * behind), and streaming metrics (TTFT, ITL, TPOT, tokens per second) as
 * vLLM's benchmark defines them. Warm-up requests never count.
 *
 * Percentiles use the same definition as the base summary
 * ({@linkcode percentile}: numpy's default).
 *
 * @module
 */

import type { Sample } from "./sample.ts";
import { percentile, type PhaseSummary, sortedCopy, summarize } from "./stats.ts";
import { UsageError } from "../base/errors.ts";
import type { Slo } from "./goodput.ts";
import { type PrefixCacheSummary, prefixCacheSummary } from "./llm/prefix_cache_summary.ts";
import {
  type GoodputSummary,
  goodputSummary,
  type LlmSummary,
  llmSummary,
  type SchedTtftSummary,
  schedTtftSummary,
} from "./llm/summary.ts";

/** The samples that count in statistics: every one but the warm-ups. */
export function measured(samples: readonly Sample[]): Sample[] {
  return samples.some((s) => s.warmup) ? samples.filter((s) => !s.warmup) : [...samples];
}

/** A request sent more than this many ms after it was due counts as late. */
export const LATE_MS = 10;

/** Open-loop metrics (ms). `sched_*`: latency from the scheduled time; `lag_*`: send delay. */
export interface OpenLoopSummary {
  sched_p50: number;
  sched_p95: number;
  sched_p99: number;
  sched_mean: number;
  sched_max: number;
  lag_p50: number;
  lag_p95: number;
  lag_max: number;
  lag_p99: number;
  /** Share of requests sent more than 1 ms after they were due (0..1). */
  lag_over_1ms_share: number;
  /** Share of requests sent more than 10 ms after they were due (0..1). */
  lag_over_10ms_share: number;
  /** Requests sent more than {@linkcode LATE_MS} after they were due. */
  late_requests: number;
  /** Arrivals per second the schedule asked for (first to last scheduled time). */
  scheduled_rate: number;
  /** Requests per second actually sent (first to last send). */
  send_rate: number;
}

/** Open-loop metrics over the samples that carry a scheduled time. */
export function openLoopSummary(samples: readonly Sample[]): OpenLoopSummary {
  const open = measured(samples).filter((s) => s.scheduledMs !== undefined);
  const lag = (s: Sample) => Math.max(0, s.sentMs - s.scheduledMs!);
  const lags = sortedCopy(open.map(lag));
  const sched = sortedCopy(open.map((s) => lag(s) + s.latencyMs));
  const n = open.length;
  const rate = (times: number[]) => {
    if (times.length < 2) return NaN;
    const span = Math.max(...times) - Math.min(...times);
    return span > 0 ? ((times.length - 1) * 1000) / span : NaN;
  };
  let schedSum = 0;
  for (const v of sched) schedSum += v;
  return {
    sched_p50: percentile(sched, 50),
    sched_p95: percentile(sched, 95),
    sched_p99: percentile(sched, 99),
    sched_mean: n === 0 ? NaN : schedSum / n,
    sched_max: n === 0 ? NaN : sched[n - 1]!,
    lag_p50: percentile(lags, 50),
    lag_p95: percentile(lags, 95),
    lag_max: n === 0 ? NaN : lags[n - 1]!,
    lag_p99: percentile(lags, 99),
    lag_over_1ms_share: n === 0 ? NaN : lags.filter((v) => v > 1).length / n,
    lag_over_10ms_share: n === 0 ? NaN : lags.filter((v) => v > 10).length / n,
    late_requests: lags.filter((v) => v > LATE_MS).length,
    scheduled_rate: rate(open.map((s) => s.scheduledMs!)),
    send_rate: rate(open.map((s) => s.sentMs)),
  };
}

/**
 * One line saying the generator fell behind its schedule, and by how much; null
 * when every request went out within {@linkcode LATE_MS} of its time.
 */
export function behindScheduleNote(o: OpenLoopSummary, requests: number): string | null {
  if (o.late_requests === 0) return null;
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  return `the load generator fell behind its schedule: ${o.late_requests} of ${requests} ` +
    `requests went out more than ${LATE_MS} ms late, by up to ${f(o.lag_max)} ms ` +
    `(p95 ${f(o.lag_p95)} ms); sent ${f(o.send_rate)} req/s of ${f(o.scheduled_rate)} scheduled`;
}

/** Streaming metrics (ms, tokens), over successful measured requests that streamed. */
export interface StreamingSummary {
  /** Successful requests whose response streamed at least one token chunk. */
  streamed: number;
  ttft_mean: number;
  ttft_p50: number;
  ttft_p95: number;
  ttft_p99: number;
  /** Inter-token latency: every gap between successive chunks of every request. */
  itl_mean: number;
  itl_p50: number;
  itl_p95: number;
  itl_p99: number;
  /** Time per output token after the first: (latency - TTFT) / (tokens - 1), per request. */
  tpot_mean: number;
  tpot_p50: number;
  tpot_p95: number;
  tpot_p99: number;
  /** Output tokens in all. */
  output_tokens: number;
  /** Output tokens per second over the phase. */
  output_tokens_per_s: number;
  /** Token chunks in all. */
  chunks: number;
  chunks_per_s: number;
}

/** Streaming metrics; `durationS` is the phase's duration (the base summary's `duration_s`). */
export function streamingSummary(samples: readonly Sample[], durationS: number): StreamingSummary {
  const ttft: number[] = [];
  const itl: number[] = [];
  const tpot: number[] = [];
  let tokens = 0;
  let chunks = 0;
  for (const s of measured(samples)) {
    const st = s.stream;
    if (!s.ok || !st || st.ttftMs === null) continue;
    ttft.push(st.ttftMs);
    for (const gap of st.itlMs) itl.push(gap);
    if (st.tokens > 1) tpot.push((s.latencyMs - st.ttftMs) / (st.tokens - 1));
    tokens += st.tokens;
    chunks += st.chunks;
  }
  const stats = (values: number[]) => {
    const sorted = sortedCopy(values);
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      mean: sorted.length === 0 ? NaN : sum / sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    };
  };
  const [t, i, p] = [stats(ttft), stats(itl), stats(tpot)];
  const perS = (v: number) => (durationS > 0 ? v / durationS : 0);
  return {
    streamed: ttft.length,
    ttft_mean: t.mean,
    ttft_p50: t.p50,
    ttft_p95: t.p95,
    ttft_p99: t.p99,
    itl_mean: i.mean,
    itl_p50: i.p50,
    itl_p95: i.p95,
    itl_p99: i.p99,
    tpot_mean: p.mean,
    tpot_p50: p.p50,
    tpot_p95: p.p95,
    tpot_p99: p.p99,
    output_tokens: tokens,
    output_tokens_per_s: perS(tokens),
    chunks,
    chunks_per_s: perS(chunks),
  };
}

/** Which metric groups a phase reports. */
export interface MetricGroups {
  openLoop: boolean;
  streaming: boolean;
  /** An LLM API (`--api`): tokens, tokens/s, E2E (and with the open loop and streaming, sched_ttft_*). */
  llm?: boolean;
  /** Per-request SLOs (`--goodput`): goodput_ratio, goodput_per_s. */
  goodput?: readonly Slo[] | null;
}

/** The groups a log's samples can report: open loop if any has a scheduled time, and so on. */
export function groupsOfSamples(samples: readonly Sample[]): MetricGroups {
  return {
    openLoop: samples.some((s) => s.scheduledMs !== undefined),
    streaming: samples.some((s) => s.stream !== undefined),
    llm: samples.some((s) => s.tokens !== undefined),
  };
}

/** A phase summary with the groups' metrics beside the base ones. */
export type FullSummary =
  & PhaseSummary
  & Partial<OpenLoopSummary>
  & Partial<StreamingSummary>
  & Partial<LlmSummary>
  & Partial<GoodputSummary>
  & Partial<SchedTtftSummary>
  & Partial<PrefixCacheSummary>;

/** The base summary of the measured samples, plus the metrics of `groups`. */
export function fullSummary(samples: readonly Sample[], groups: MetricGroups): FullSummary {
  const m = measured(samples);
  const base = summarize(m);
  return {
    ...base,
    ...(groups.openLoop ? openLoopSummary(m) : {}),
    ...(groups.streaming ? streamingSummary(m, base.duration_s) : {}),
    ...(groups.llm ? llmSummary(m, base.duration_s) : {}),
    ...(groups.llm ? prefixCacheSummary(m) : {}),
    ...(groups.goodput ? goodputSummary(m, groups.goodput, base.duration_s) : {}),
    ...(groups.openLoop && groups.streaming ? schedTtftSummary(m) : {}),
  };
}

const numeric = (o: object) =>
  Object.entries(o).filter(([, v]) => typeof v === "number").map(([k]) => k);

/** Metric names a threshold may use for `groups`. */
export function metricsFor(groups: MetricGroups): string[] {
  return numeric(fullSummary([], groups));
}

/** Every metric name loadgate reports in some mode. */
export const ALL_METRICS: readonly string[] = metricsFor({
  openLoop: true,
  streaming: true,
  llm: true,
  goodput: [],
});

/**
 * Throws {@linkcode UsageError} (exit 2) when a threshold names a metric that
 * exists but that this phase does not report, saying what would report it.
 */
export function requireMetrics(
  metrics: readonly string[],
  groups: MetricGroups,
  where: string,
): void {
  const available = new Set(metricsFor(groups));
  const open = new Set(numeric(openLoopSummary([])));
  const llm = new Set([...numeric(llmSummary([], 0)), ...numeric(prefixCacheSummary([]))]);
  const good = new Set(numeric(goodputSummary([], [], 0)));
  for (const m of metrics) {
    if (available.has(m)) continue;
    const [kind, flag] = good.has(m)
      ? ["goodput", "--goodput"]
      : m.startsWith("sched_ttft")
      ? ["scheduled TTFT", "--rate and --stream"]
      : llm.has(m) && !available.has("input_tokens")
      ? ["LLM", "--api"]
      : open.has(m)
      ? ["open-loop", "--rate"]
      : ["streaming", "--stream"];
    throw new UsageError(
      `Cannot gate on "${m}": ${where} reports no ${kind} metrics (they need ${flag})`,
    );
  }
}
