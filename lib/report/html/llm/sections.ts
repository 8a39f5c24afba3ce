/**
 * The report's LLM plot sections (and the open loop's schedule lag), as HTML
 * around the chart elements that ./page.ts draws into: TTFT, TPOT and ITL
 * distributions, TTFT and TPOT of each request over the run, output tokens
 * per second over the run, input and output lengths, the schedule lag.
 *
 * @module
 */

import type { SlaLine } from "../data.ts";
import { escapeHtml } from "../shell.ts";
import { type LagPhase, LLM_CDF_POINTS, type LlmCharts } from "./data.ts";

const chart = (id: string) => `<div><div class="chart" id="${id}"></div></div>`;

function slaNote(lines: readonly SlaLine[]): string {
  return lines.length === 0
    ? ""
    : ` Dashed: the SLA (${escapeHtml(lines.map((l) => l.expr).join(", "))}).`;
}

function counts(llm: LlmCharts, key: "ttft" | "tpot" | "itl"): string {
  return llm.phases.map((p) => `${escapeHtml(p.name)} ${p.counts[key]}`).join(", ");
}

/** The sections, in order; none without LLM data or an open loop. */
export function llmPlotSections(llm: LlmCharts | null, lag: LagPhase[] | null): string[] {
  const out: string[] = [];
  if (llm) {
    const sla = [...llm.sla.ttft, ...llm.sla.tpot, ...llm.sla.itl];
    const subsampled = llm.phases.some((p) => p.perRequest.t.length < p.perRequest.total);
    const thinned = llm.phases.some((p) =>
      (["ttft", "tpot", "itl"] as const).some((k) => p[k].x.length >= LLM_CDF_POINTS)
    );
    out.push(
      `<section id="llm-cdf"><h2>TTFT, TPOT and ITL distributions</h2>
<p class="note">For each time, the share of values at or below it, over successful requests (vLLM's definitions, docs/llm.md): TTFT (${
        counts(llm, "ttft")
      } requests), TPOT (${counts(llm, "tpot")} requests with two tokens or more), ITL (${
        counts(llm, "itl")
      } gaps between text chunks, pooled).${
        thinned ? ` Over ${LLM_CDF_POINTS} distinct values, a CDF shows an even subsample.` : ""
      }${slaNote(sla)}</p>
<div class="grid">${chart("chart-ttft-cdf")}${chart("chart-tpot-cdf")}${
        chart("chart-itl-cdf")
      }</div></section>`,
      `<section id="llm-over-time"><h2>TTFT and TPOT of each request over the run</h2>
<p class="note">One point per successful request, at the time it was sent.${
        subsampled ? " Phases over 20,000 requests show an even subsample." : ""
      }</p>
<div class="grid">${chart("chart-ttft-time")}${chart("chart-tpot-time")}</div></section>`,
      `<section id="llm-tokens-over-time"><h2>Output tokens per second over the run</h2>
<p class="note">Each successful request's output tokens, counted when it completed, in bins of ${llm.tokensWidth} s from each phase's start.</p>
${chart("chart-tokens-time")}</section>`,
      `<section id="llm-lengths"><h2>Input and output lengths</h2>
<p class="note">Successful requests by their input and output tokens (from the server's usage, else estimated: see the tokens table), in bins of ${llm.inputBins.width} and ${llm.outputBins.width} tokens.</p>
<div class="grid">${chart("chart-input-lengths")}${chart("chart-output-lengths")}</div></section>`,
    );
  }
  if (lag) {
    out.push(`<section id="schedule-lag"><h2>Schedule lag of the open loop</h2>
<p class="note">How late each request went out against its schedule (ms), by its scheduled time; a rising line means the load generator fell behind (${
      lag.map((p) => `${escapeHtml(p.name)}: ${p.total} requests`).join(", ")
    }).</p>
${chart("chart-lag")}</section>`);
  }
  return out;
}
