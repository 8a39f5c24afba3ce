/**
 * The numbers behind the report's LLM plots (pure, tested on known data), for
 * every phase at once so that `compare` and the job draw both on one chart:
 * TTFT, TPOT and ITL distributions (CDFs), each request's TTFT and TPOT by
 * send time, output tokens per second over the run, input and output lengths,
 * and, for an open loop, each request's schedule lag. The values follow the
 * summary's definitions (vLLM's, lib/stats/llm/metrics.ts): successful
 * requests only, ITL pooled over requests.
 *
 * @module
 */

import { tpotMs } from "../../../stats/llm/metrics.ts";
import { llmRequest } from "../../../stats/llm/summary.ts";
import type { Sample } from "../../../stats/sample.ts";
import {
  alongTime,
  type Cdf,
  cdf,
  MAX_POINTS,
  niceStep,
  round,
  sharedBins,
  type SlaLine,
  type StreamMetric,
} from "../data.ts";

/**
 * Most points of an LLM CDF (an even subsample above it, said on the page): ITL pools every gap of
 * every request, so a long run holds millions; 5,000 points draw the same curve at a chart's width.
 */
export const LLM_CDF_POINTS = 5_000;

/** A phase as the plots take it: its name, colour (the latency plots') and measured samples. */
export interface PlotPhase {
  name: string;
  color: string;
  samples: readonly Sample[];
}

/** Each successful streamed request by send time (s): its TTFT and TPOT (ms; null: < 2 tokens). */
export interface PerRequest {
  t: number[];
  ttft: number[];
  tpot: (number | null)[];
  /** Requests behind the points (more than the points when subsampled). */
  total: number;
}

/** One phase's LLM plots. */
export interface LlmPhaseCharts {
  name: string;
  color: string;
  /** Distributions, and how many values each holds (ITL: gaps, pooled over requests). */
  ttft: Cdf;
  tpot: Cdf;
  itl: Cdf;
  counts: Record<StreamMetric, number>;
  perRequest: PerRequest;
  /** Output tokens per second in each bin of completion time (bins of `tokensWidth`). */
  tokensPerS: number[];
  /** Requests in each bin of input and of output length (bins shared by the phases). */
  inputLengths: number[];
  outputLengths: number[];
}

/** Equal bins: bin i covers [start + i*width, start + (i+1)*width). */
export interface BinEdges {
  start: number;
  width: number;
}

/** The LLM plots of every phase. */
export interface LlmCharts {
  phases: LlmPhaseCharts[];
  /** The SLA lines of each streaming metric. */
  sla: Record<StreamMetric, SlaLine[]>;
  /** Width (s) of the tokens-per-second bins, from each phase's start. */
  tokensWidth: number;
  inputBins: BinEdges;
  outputBins: BinEdges;
}

/** Successful requests as the LLM metrics read them. */
function succeeded(samples: readonly Sample[]): Sample[] {
  return samples.filter((s) => s.ok);
}

/** Whether any sample streamed or carries tokens: the report then draws the LLM plots. */
export function hasLlmData(phases: readonly PlotPhase[]): boolean {
  return phases.some((p) => p.samples.some((s) => s.stream !== undefined || s.tokens));
}

/** The LLM plots of `phases`; null when no sample streamed or carries tokens. */
export function llmCharts(phases: readonly PlotPhase[], sla: readonly SlaLine[]): LlmCharts | null {
  if (!hasLlmData(phases)) return null;
  const ok = phases.map((p) => succeeded(p.samples));
  const inputs = ok.map((ss) => ss.filter((s) => s.tokens).map((s) => s.tokens!.input));
  const outputs = ok.map((ss) => ss.map((s) => llmRequest(s).outputTokens));
  const inputBins = sharedBins(inputs, 30, 1);
  const outputBins = sharedBins(outputs, 30, 1);
  const tokens = tokensOverTime(ok);
  return {
    phases: phases.map((p, i) => ({
      name: p.name,
      color: p.color,
      ...distributions(ok[i]!),
      perRequest: perRequest(ok[i]!),
      tokensPerS: tokens.rates[i]!,
      inputLengths: inputBins.counts[i]!,
      outputLengths: outputBins.counts[i]!,
    })),
    sla: {
      ttft: sla.filter((l) => l.metric === "ttft"),
      tpot: sla.filter((l) => l.metric === "tpot"),
      itl: sla.filter((l) => l.metric === "itl"),
    },
    tokensWidth: tokens.width,
    inputBins: { start: inputBins.start, width: inputBins.width },
    outputBins: { start: outputBins.start, width: outputBins.width },
  };
}

/** TTFT, TPOT and ITL of successful requests, as CDFs, and the number of values of each. */
function distributions(
  ok: readonly Sample[],
): Pick<LlmPhaseCharts, "ttft" | "tpot" | "itl" | "counts"> {
  const ttft: number[] = [];
  const tpot: number[] = [];
  const itl: number[] = [];
  for (const s of ok) {
    const r = llmRequest(s);
    if (r.ttftMs !== null) ttft.push(r.ttftMs);
    for (const gap of r.itlMs) itl.push(gap);
    const t = tpotMs(r);
    if (t !== null) tpot.push(t);
  }
  return {
    ttft: cdf(ttft, LLM_CDF_POINTS),
    tpot: cdf(tpot, LLM_CDF_POINTS),
    itl: cdf(itl, LLM_CDF_POINTS),
    counts: { ttft: ttft.length, tpot: tpot.length, itl: itl.length },
  };
}

/** Each successful request with a TTFT, by send time. */
export function perRequest(ok: readonly Sample[], maxPoints = MAX_POINTS): PerRequest {
  const timed = ok.filter((s) => llmRequest(s).ttftMs !== null);
  const { t, picked } = alongTime(timed, maxPoints);
  return {
    t,
    ttft: picked.map((s) => round(llmRequest(s).ttftMs!, 3)),
    tpot: picked.map((s) => {
      const v = tpotMs(llmRequest(s));
      return v === null ? null : round(v, 3);
    }),
    total: timed.length,
  };
}

/**
 * Output tokens per second of each phase, in bins of completion time (from the phase's start)
 * of one width for all: about `target` bins over the longest phase.
 */
export function tokensOverTime(
  okByPhase: readonly (readonly Sample[])[],
  target = 40,
): { width: number; rates: number[][] } {
  let last = 0;
  for (const ok of okByPhase) for (const s of ok) last = Math.max(last, s.sentMs + s.latencyMs);
  const width = niceStep(last > 0 ? last / 1000 / target : 0.001);
  const n = Math.floor(last / 1000 / width) + 1;
  const rates = okByPhase.map((ok) => {
    if (ok.length === 0) return [];
    const tokens = new Array<number>(n).fill(0);
    for (const s of ok) {
      const k = Math.min(n - 1, Math.floor((s.sentMs + s.latencyMs) / 1000 / width));
      tokens[k]! += llmRequest(s).outputTokens;
    }
    return tokens.map((c) => round(c / width, 3));
  });
  return { width, rates };
}

/** Each open-loop request by its scheduled time (s): how late it went out (ms). */
export interface LagPhase {
  name: string;
  color: string;
  t: number[];
  lagMs: number[];
  total: number;
}

/** The schedule lag of the phases that ran an open loop; null when none did. */
export function lagCharts(phases: readonly PlotPhase[]): LagPhase[] | null {
  const open = phases.map((p) => ({ p, s: p.samples.filter((s) => s.scheduledMs !== undefined) }))
    .filter((x) => x.s.length > 0);
  if (open.length === 0) return null;
  return open.map(({ p, s }) => {
    const { t, picked } = alongTime(s, MAX_POINTS, (x) => x.scheduledMs!);
    return {
      name: p.name,
      color: p.color,
      t,
      lagMs: picked.map((x) => round(Math.max(0, x.sentMs - x.scheduledMs!), 3)),
      total: s.length,
    };
  });
}
