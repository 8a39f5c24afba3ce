/**
 * The LLM figures of a phase, flat and numeric so that any of them can be
 * gated on (`--sla 'goodput_ratio>=0.95'`): tokens and tokens per second,
 * E2E and the p90s vLLM prints, goodput, and TTFT from the schedule
 * (`sched_ttft_*`: the open loop's lag before the send plus the TTFT, free of
 * coordinated omission). Their definitions are vLLM's (`llm_metrics.ts`).
 *
 * @example
 * ```ts
 * llmSummary(samples, 10, { goodput: parseGoodput("ttft<=200") }).goodput_ratio;
 * ```
 *
 * @module
 */

import { type Goodput, goodput, type Slo } from "../goodput.ts";
import { distribution, type LlmMetrics, llmMetrics, type LlmRequest } from "./metrics.ts";
import type { Sample } from "../sample.ts";

/** The LLM view of a sample: its stream's times and its tokens (the stream's when none). */
export function llmRequest(s: Sample): LlmRequest {
  return {
    ok: s.ok,
    latencyMs: s.latencyMs,
    ttftMs: s.stream?.ttftMs ?? null,
    itlMs: s.stream?.itlMs ?? [],
    inputTokens: s.tokens?.input ?? 0,
    outputTokens: s.tokens?.output ?? s.stream?.tokens ?? 0,
  };
}

/** Token and latency figures of an LLM phase (`--api`). */
export interface LlmSummary {
  input_tokens: number;
  output_tokens: number;
  input_tokens_per_s: number;
  output_tokens_per_s: number;
  total_tokens_per_s: number;
  /** Share of successful requests whose tokens were estimated (no `usage`), 0 to 1. */
  tokens_estimated: number;
  e2e_mean: number;
  e2e_p50: number;
  e2e_p90: number;
  e2e_p95: number;
  e2e_p99: number;
  ttft_p90: number;
  itl_p90: number;
  tpot_p90: number;
}

/** Goodput figures (`--goodput`). */
export interface GoodputSummary {
  /** Requests that met every SLO. */
  goodput_good: number;
  /** Share of measured requests that met every SLO. */
  goodput_ratio: number;
  /** Good requests per second. */
  goodput_per_s: number;
}

/** TTFT from the scheduled arrival (open loop, streamed). */
export interface SchedTtftSummary {
  sched_ttft_mean: number;
  sched_ttft_p50: number;
  sched_ttft_p95: number;
  sched_ttft_p99: number;
}

/** The full LLM block of a phase summary JSON: vLLM's distributions, goodput, the tokenizer. */
export interface LlmDetail extends LlmMetrics {
  /** Share of successful requests whose tokens were estimated (the server sent no `usage`). */
  tokens_estimated: number;
  /**
   * How the successful requests' output tokens were counted: `usage`, `tokenizer`
   * (`--tokenizer`), `chunks` (one a content chunk), joined by "+" when several; "" when
   * unknown (a log read back).
   */
  tokens_method: string;
  goodput: (Goodput & { slos: Slo[] }) | null;
}

/** The LLM figures of `samples` (measured ones only) over `durationS` seconds. */
export function llmSummary(samples: readonly Sample[], durationS: number): LlmSummary {
  const m = llmMetrics(samples.map(llmRequest), durationS);
  return {
    input_tokens: m.input_tokens,
    output_tokens: m.output_tokens,
    input_tokens_per_s: m.input_tokens_per_s,
    output_tokens_per_s: m.output_tokens_per_s,
    total_tokens_per_s: m.total_tokens_per_s,
    tokens_estimated: estimatedShare(samples),
    e2e_mean: m.e2e.mean,
    e2e_p50: m.e2e.p50,
    e2e_p90: m.e2e.p90,
    e2e_p95: m.e2e.p95,
    e2e_p99: m.e2e.p99,
    ttft_p90: m.ttft.p90,
    itl_p90: m.itl.p90,
    tpot_p90: m.tpot.p90,
  };
}

/** Goodput of `samples` under `slos`. */
export function goodputSummary(
  samples: readonly Sample[],
  slos: readonly Slo[],
  durationS: number,
): GoodputSummary {
  const g = goodput(samples.map(llmRequest), slos, durationS);
  return { goodput_good: g.good, goodput_ratio: g.ratio, goodput_per_s: g.per_s };
}

/** TTFT from the schedule: lag before the send plus TTFT, successful streamed requests. */
export function schedTtftSummary(samples: readonly Sample[]): SchedTtftSummary {
  const values: number[] = [];
  for (const s of samples) {
    const ttft = s.stream?.ttftMs;
    if (!s.ok || ttft === null || ttft === undefined || s.scheduledMs === undefined) continue;
    values.push(Math.max(0, s.sentMs - s.scheduledMs) + ttft);
  }
  const d = distribution(values);
  return {
    sched_ttft_mean: d.mean,
    sched_ttft_p50: d.p50,
    sched_ttft_p95: d.p95,
    sched_ttft_p99: d.p99,
  };
}

/** The JSON block: every distribution with its count and std, and goodput with its SLOs. */
export function llmDetail(
  samples: readonly Sample[],
  durationS: number,
  slos: readonly Slo[] | null,
): LlmDetail {
  const requests = samples.map(llmRequest);
  return {
    ...llmMetrics(requests, durationS),
    tokens_estimated: estimatedShare(samples),
    tokens_method: tokensMethod(samples),
    goodput: slos === null ? null : { slos: [...slos], ...goodput(requests, slos, durationS) },
  };
}

function estimatedShare(samples: readonly Sample[]): number {
  let ok = 0;
  let estimated = 0;
  for (const s of samples) {
    if (!s.ok || !s.tokens) continue;
    ok++;
    if (s.tokens.estimated) estimated++;
  }
  return ok === 0 ? NaN : estimated / ok;
}

/** The methods that counted the successful requests' output tokens, in a fixed order. */
export function tokensMethod(samples: readonly Sample[]): string {
  const seen = new Set<string>();
  for (const s of samples) if (s.ok && s.tokens?.method) seen.add(s.tokens.method);
  return ["usage", "tokenizer", "chunks"].filter((m) => seen.has(m)).join("+");
}
