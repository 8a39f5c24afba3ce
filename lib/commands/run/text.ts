/**
 * What `run` prints about its phase: the line before it starts, the result
 * lines after it, and the warnings. Pure: they return text.
 *
 * @module
 */

import type { FullSummary, MetricGroups } from "../../stats/load_metrics.ts";
import type { StageShape } from "../../stats/stage_summary.ts";
import { describeStages } from "./stages_text.ts";

/** The parts of a run's options its text names. */
export interface RunDescription {
  phase: string;
  url: string;
  policy: string;
  concurrency: number;
  seed: number;
  durationMs: number | null;
  rate: number | null;
  arrival: string;
  /** `--burstiness`: the gamma shape of Poisson gaps. */
  burstiness?: number;
  maxInFlight: number | null;
  warmup: number;
  stream: boolean;
  /** `--stages`, when the open loop ramps through stages. */
  stages?: readonly StageShape[];
  /** `--trace`: the trace replayed on its own clock. */
  trace?: { path: string; speed: number };
}

const f = (v: number | undefined): string =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(1) : "-";

const pct = (v: number | undefined): string =>
  v !== undefined && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "-";

/** What the run is about to do, in one line. */
export function describeRun(options: RunDescription, planned: number): string {
  const parts: string[] = [];
  const bound = options.durationMs === null
    ? `${planned} requests`
    : `for ${options.durationMs / 1000} s (at most ${planned} requests)`;
  if (options.trace) {
    const speed = options.trace.speed === 1 ? "" : ` at ${options.trace.speed}x`;
    parts.push(`trace replay of ${options.trace.path}${speed}, ${planned} requests`);
    if (options.maxInFlight !== null) parts.push(`at most ${options.maxInFlight} in flight`);
  } else if (options.stages) {
    parts.push(`open loop in ${describeStages(options.stages)}, ${planned} requests`);
    if (options.maxInFlight !== null) parts.push(`at most ${options.maxInFlight} in flight`);
  } else if (options.rate === null) {
    parts.push(`closed loop ${bound}, ${options.concurrency} concurrent`);
  } else {
    const arrival = options.arrival !== "poisson"
      ? "evenly spaced"
      : options.burstiness !== undefined && options.burstiness !== 1
      ? `gamma gaps, burstiness ${options.burstiness}, seed ${options.seed}`
      : `poisson, seed ${options.seed}`;
    parts.push(`open loop at ${options.rate} req/s (${arrival}), ${bound}`);
    if (options.maxInFlight !== null) parts.push(`at most ${options.maxInFlight} in flight`);
  }
  if (options.warmup > 0) parts.push(`${options.warmup} warm-up requests first`);
  if (options.stream) parts.push("streamed responses");
  parts.push(`${options.policy} connections`);
  return `${options.phase}: ${parts.join(", ")} -> ${options.url}`;
}

/** The run's result lines beyond the base summary (open loop, streaming). */
export function detailLines(
  summary: FullSummary,
  groups: MetricGroups,
  tokensBy = "one token a content chunk",
): string[] {
  const lines: string[] = [];
  if (groups.openLoop) {
    lines.push(
      `  from the scheduled time: p50 ${f(summary.sched_p50)} ms, p95 ${
        f(summary.sched_p95)
      } ms, p99 ${f(summary.sched_p99)} ms (from the send: p50 ${f(summary.p50)}, p95 ${
        f(summary.p95)
      }, p99 ${f(summary.p99)})`,
      `  send lag (actual minus scheduled send): p50 ${f(summary.lag_p50)} ms, p99 ${
        f(summary.lag_p99)
      } ms, max ${f(summary.lag_max)} ms; ${pct(summary.lag_over_1ms_share)} sent > 1 ms late, ${
        pct(summary.lag_over_10ms_share)
      } > 10 ms`,
    );
  }
  if (groups.streaming) {
    lines.push(
      `  streaming: TTFT p50 ${f(summary.ttft_p50)} ms, p95 ${f(summary.ttft_p95)} ms, p99 ${
        f(summary.ttft_p99)
      } ms; ITL p50 ${f(summary.itl_p50)} ms, p95 ${f(summary.itl_p95)} ms; TPOT p50 ${
        f(summary.tpot_p50)
      } ms; ${summary.output_tokens ?? 0} tokens in ${summary.chunks ?? 0} chunks, ${
        f(summary.output_tokens_per_s)
      } tokens/s`,
    );
  }
  lines.push(...llmLines(summary, groups, tokensBy));
  return lines;
}

/** The LLM lines: tokens and tokens/s, E2E, TTFT from the schedule, goodput. */
function llmLines(s: FullSummary, groups: MetricGroups, tokensBy: string): string[] {
  const lines: string[] = [];
  if (groups.llm) {
    const estimated = s.tokens_estimated ?? NaN;
    const how = !Number.isFinite(estimated) || estimated === 0
      ? "from the server's usage"
      : `${f(estimated * 100)}% of requests estimated, ${tokensBy}: no usage sent`;
    lines.push(
      `  tokens (${how}): ${s.input_tokens ?? 0} in, ${s.output_tokens ?? 0} out; ` +
        `${f(s.input_tokens_per_s)} input, ${f(s.output_tokens_per_s)} output, ` +
        `${f(s.total_tokens_per_s)} total tokens/s; E2E p50 ${f(s.e2e_p50)} ms, p90 ${
          f(s.e2e_p90)
        } ms, p99 ${f(s.e2e_p99)} ms (successful)`,
    );
  }
  if (groups.openLoop && groups.streaming) {
    lines.push(
      `  TTFT from the scheduled time: p50 ${f(s.sched_ttft_p50)} ms, p95 ${
        f(s.sched_ttft_p95)
      } ms, p99 ${f(s.sched_ttft_p99)} ms`,
    );
  }
  if (groups.goodput) {
    const slos = groups.goodput.map((g) => `${g.metric}<=${g.maxMs}`).join(",");
    lines.push(
      `  goodput (${slos}): ${s.goodput_good ?? 0} of ${s.requests} requests, ratio ${
        Number.isFinite(s.goodput_ratio ?? NaN) ? s.goodput_ratio!.toFixed(3) : "-"
      }, ${f(s.goodput_per_s)} good req/s`,
    );
  }
  return lines;
}

/** The headline line, the detail lines and the warnings of a finished run. */
export function resultLines(o: {
  phase: string;
  summary: FullSummary;
  groups: MetricGroups;
  warmups: number;
  /** The open loop fell behind its schedule: why, or null. */
  behind: string | null;
  capWaits: number;
  maxInFlight: number | null;
  /** How tokens are estimated without `usage` (default: one a content chunk). */
  tokensBy?: string;
}): string[] {
  const s = o.summary;
  const lines = [
    `${o.phase}: ${s.requests} requests, ${s.ok} ok, ${s.failed} failed; ` +
    `p50 ${f(s.p50)} ms, p95 ${f(s.p95)} ms, p99 ${f(s.p99)} ms, ${f(s.throughput)} req/s${
      o.warmups > 0 ? ` (after ${o.warmups} warm-up requests)` : ""
    }`,
    ...detailLines(s, o.groups, o.tokensBy),
  ];
  if (o.behind !== null) {
    const capped = o.capWaits > 0
      ? ` (${o.capWaits} requests waited for a slot under --max-in-flight ${o.maxInFlight})`
      : "";
    lines.push(`warning: ${o.behind}${capped}`);
  }
  if (o.groups.streaming && s.streamed === 0 && s.ok > 0) {
    lines.push(
      "warning: --stream is on but no response carried a token chunk (is the body streaming?)",
    );
  } else if (o.groups.streaming && (s.streamed ?? 0) < s.ok) {
    lines.push(
      `warning: ${s.ok - (s.streamed ?? 0)} of ${s.ok} successful answers carried no token ` +
        "chunk (answered whole, not streamed?): they have no TTFT or ITL",
    );
  }
  return lines;
}

/** `SLA p95<=800: pass (49.2)`, one line a threshold. */
export function slaResultLines(
  results: readonly { expr: string; pass: boolean; actual: number | null }[],
): string[] {
  return results.map((r) =>
    `SLA ${r.expr}: ${r.pass ? "pass" : "FAIL"} (${
      r.actual === null ? "-" : Math.round(r.actual * 1000) / 1000
    })`
  );
}
