/**
 * Goodput: the requests that met every per-request SLO (DistServe's
 * definition, as `vllm bench serve --goodput` uses it). A request is good
 * when it succeeded and each of its TTFT, TPOT and end-to-end latency is at
 * most its SLO (ms). A streamed request with one output token has a TPOT of
 * 0, as in vLLM; one that was not streamed has its latency as its TTFT (an
 * upper bound) and no TPOT at all: it cannot meet a TPOT SLO.
 *
 * The share is over every measured request (a failed one is not good); the
 * rate is good requests per second of the phase. When no request has every
 * SLO's value (no answer streamed under a TPOT SLO), there is nothing to
 * judge: the share and the rate are NaN, so a threshold on them fails with
 * no data, never passes.
 *
 * @example
 * ```ts
 * const slos = parseGoodput("ttft<=200,tpot<=50,e2e<=2000");
 * goodput(requests, slos, 10); // { good, requests, ratio, per_s }
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { type LlmRequest, tpotMs, ttftOrLatency } from "./llm/metrics.ts";

/** A metric an SLO may bound. */
export type SloMetric = "ttft" | "tpot" | "e2e";

/** The metrics, for validation and help text. */
export const SLO_METRICS: readonly SloMetric[] = ["ttft", "tpot", "e2e"];

/** One per-request SLO: `metric <= maxMs`. */
export interface Slo {
  metric: SloMetric;
  maxMs: number;
}

/** Goodput of a phase. */
export interface Goodput {
  /** Requests that met every SLO. */
  good: number;
  /** Measured requests (the share's denominator). */
  requests: number;
  /** Requests with a value for every SLO (a TPOT needs a streamed answer). */
  judged: number;
  /** good / requests; NaN without requests. */
  ratio: number;
  /** Good requests per second. */
  per_s: number;
}

/**
 * Parses `--goodput`: comma-separated `metric<=ms` with metric `ttft`,
 * `tpot` or `e2e` (vLLM's `e2el` also accepted), each at most once. Throws
 * {@linkcode UsageError} with one line.
 */
export function parseGoodput(text: string): Slo[] {
  const slos: Slo[] = [];
  // Ours, `ttft<=200,tpot<=50`, or vLLM's, `ttft:200 tpot:50` (KEY:MS pairs, spaces or commas).
  const parts = text.replace(/\s*(<=|:)\s*/g, "$1").split(/[,\s]+/).filter((s) => s !== "");
  if (parts.length === 0) throw new UsageError(`Cannot parse --goodput: "${text}" names no SLO`);
  for (const part of parts) {
    const m = /^([a-z0-9]+)(?:<=|:)([0-9]+(?:\.[0-9]+)?)(?:ms)?$/.exec(part);
    const name = m?.[1] === "e2el" ? "e2e" : m?.[1];
    if (!m || !(SLO_METRICS as readonly string[]).includes(name!)) {
      throw new UsageError(
        `Cannot parse --goodput: "${part}" is not METRIC<=MS (or vLLM's METRIC:MS) with METRIC one of ${
          SLO_METRICS.join(", ")
        }`,
      );
    }
    const metric = name as SloMetric;
    if (slos.some((s) => s.metric === metric)) {
      throw new UsageError(`Cannot parse --goodput: "${metric}" is bounded twice`);
    }
    slos.push({ metric, maxMs: Number(m[2]) });
  }
  return slos;
}

/** The value an SLO bounds, for one request; null when it has none (TPOT, not streamed). */
export function sloValue(r: LlmRequest, metric: SloMetric): number | null {
  if (metric === "ttft") return ttftOrLatency(r);
  if (metric === "tpot") return r.ttftMs === null ? null : tpotMs(r) ?? 0;
  return r.latencyMs;
}

/** True when every SLO has a value for the request. */
export function judgeable(r: LlmRequest, slos: readonly Slo[]): boolean {
  return slos.every((s) => sloValue(r, s.metric) !== null);
}

/** True when the request succeeded and met every SLO (a value it lacks is not met). */
export function meetsSlos(r: LlmRequest, slos: readonly Slo[]): boolean {
  return r.ok && slos.every((s) => {
    const v = sloValue(r, s.metric);
    return v !== null && v <= s.maxMs;
  });
}

/** Goodput of the requests of a phase of `durationS` seconds. */
export function goodput(
  requests: readonly LlmRequest[],
  slos: readonly Slo[],
  durationS: number,
): Goodput {
  let good = 0;
  let judged = 0;
  for (const r of requests) {
    if (meetsSlos(r, slos)) good++;
    if (judgeable(r, slos)) judged++;
  }
  const n = requests.length;
  return {
    good,
    requests: n,
    judged,
    ratio: n === 0 || judged === 0 ? NaN : good / n,
    per_s: durationS > 0 && judged > 0 ? good / durationS : NaN,
  };
}

/**
 * vLLM passes `--goodput ttft:200 tpot:50` as separate arguments: joins the
 * `KEY:MS` arguments after each `--goodput` into its one value.
 */
export function joinGoodputArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    out.push(args[i]!);
    if (args[i] !== "--goodput" || i + 1 >= args.length) continue;
    const parts = [args[++i]!];
    while (i + 1 < args.length && /^[a-z0-9]+:[0-9.]+$/.test(args[i + 1]!)) parts.push(args[++i]!);
    out.push(parts.join(" "));
  }
  return out;
}
