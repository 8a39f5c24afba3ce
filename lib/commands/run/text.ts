/**
 * What `run` prints about its phase: the line before it starts, the result
 * lines after it, and the warnings. Pure: they return text.
 *
 * @module
 */

import type { FullSummary, MetricGroups } from "../../stats/load_metrics.ts";
import type { LoadPlan } from "../../load/load_plan.ts";
import type { RequestSpec } from "../../load/measure.ts";
import { describeStages } from "./stages_text.ts";

const f = (v: number | undefined): string =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(1) : "-";

const pct = (v: number | undefined): string =>
  v !== undefined && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "-";

/** What the run is about to do, in one line: its plan against its target (`trace`: a replay's). */
export function describeRun(
  plan: LoadPlan,
  target: { request: Pick<RequestSpec, "phase" | "url" | "stream">; client: { policy: string } },
  planned: number,
  trace?: { path: string; speed: number },
): string {
  const parts: string[] = [];
  const bound = plan.durationMs === null
    ? `${planned} requests`
    : `for ${plan.durationMs / 1000} s (at most ${planned} requests)`;
  if (plan.kind === "sessions") {
    const how = plan.rate === null ? `${plan.concurrency} at once` : `arriving at ${plan.rate}/s`;
    parts.push(`multi-turn sessions (${how}), ${planned} turns`);
  } else if (trace && plan.kind === "open") {
    const speed = trace.speed === 1 ? "" : ` at ${trace.speed}x`;
    parts.push(`trace replay of ${trace.path}${speed}, ${planned} requests`);
    if (plan.maxInFlight !== null) parts.push(`at most ${plan.maxInFlight} in flight`);
  } else if (plan.kind === "stages") {
    parts.push(`open loop in ${describeStages(plan.stages)}, ${planned} requests`);
    if (plan.maxInFlight !== null) parts.push(`at most ${plan.maxInFlight} in flight`);
  } else if (plan.kind === "closed") {
    parts.push(`closed loop ${bound}, ${plan.concurrency} concurrent`);
  } else {
    const arrival = plan.arrival !== "poisson"
      ? "evenly spaced"
      : plan.burstiness !== undefined && plan.burstiness !== 1
      ? `gamma gaps, burstiness ${plan.burstiness}, seed ${plan.seed}`
      : `poisson, seed ${plan.seed}`;
    parts.push(`open loop at ${plan.rate} req/s (${arrival}), ${bound}`);
    if (plan.maxInFlight !== null) parts.push(`at most ${plan.maxInFlight} in flight`);
  }
  if (plan.warmup > 0) parts.push(`${plan.warmup} warm-up requests first`);
  const { request } = target;
  if (request.stream) parts.push("streamed responses");
  parts.push(`${target.client.policy} connections`);
  return `${request.phase}: ${parts.join(", ")} -> ${request.url}`;
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
  if (groups.llm && Number.isFinite(s.cache_hit_rate ?? NaN)) {
    lines.push(
      `  prefix cache (the server's cached_tokens): ${s.cached_tokens} of ${s.input_tokens} ` +
        `prompt tokens, hit rate ${pct(s.cache_hit_rate)}`,
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
