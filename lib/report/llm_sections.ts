/**
 * The report of an LLM run, as sections of report.html (and summary.md):
 * TTFT, ITL, TPOT and E2E distributions, tokens and goodput, the latency
 * split (queue, prefill, decode), and the server's scraped metrics, as
 * tables (the plots are lib/report/html/llm/'s).
 *
 * @module
 */

import { latencySplit } from "../evidence/latency_split.ts";
import type { ScrapeJson } from "../log/scrape_series.ts";
import { type LlmDetail, llmDetail } from "../stats/llm/summary.ts";
import type { Sample } from "../stats/sample.ts";
import type { ReportSection } from "./html/report.ts";

/** One phase of an LLM report. */
export interface LlmPhase {
  name: string;
  /** Measured samples. */
  samples: readonly Sample[];
  durationS: number;
  /** The JSON block, when the caller has it (with goodput); else computed without goodput. */
  detail?: LlmDetail;
}

const r1 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null);
const r3 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);

/** The sections for `phases` (and a scrape); empty parts are left out. */
export function llmSections(
  phases: readonly LlmPhase[],
  scrape: ScrapeJson | null,
): ReportSection[] {
  const details = phases.map((p) => p.detail ?? llmDetail(p.samples, p.durationS, null));
  const sections: ReportSection[] = [distributions(phases, details), tokens(phases, details)];
  const split = splitSection(phases);
  if (split) sections.push(split);
  if (scrape) sections.push(...scrapeSections(scrape));
  return sections;
}

function distributions(phases: readonly LlmPhase[], details: LlmDetail[]): ReportSection {
  const rows: (string | number | null)[][] = [];
  phases.forEach((p, i) => {
    const d = details[i]!;
    for (
      const [label, x] of [["TTFT", d.ttft], ["ITL", d.itl], ["TPOT", d.tpot], [
        "E2E",
        d.e2e,
      ]] as const
    ) {
      if (x.count === 0) continue;
      rows.push([
        p.name,
        label,
        x.count,
        r1(x.mean),
        r1(x.std),
        r1(x.p50),
        r1(x.p90),
        r1(x.p95),
        r1(x.p99),
      ]);
    }
  });
  return {
    id: "llm-distributions",
    title: "Streaming: TTFT, ITL, TPOT and E2E",
    note: "ms, over successful requests, with vLLM's definitions (docs/llm.md); std is numpy's " +
      "(ddof=0). ITL pools every gap between text-carrying chunks.",
    table: {
      columns: ["phase", "metric", "count", "mean", "std", "p50", "p90", "p95", "p99"],
      rows,
    },
    markdown: true,
  };
}

function tokens(phases: readonly LlmPhase[], details: LlmDetail[]): ReportSection {
  return {
    id: "llm-tokens",
    title: "Tokens and goodput",
    note: "Tokens of successful requests, from the server's usage or, where it sent none, " +
      "estimated (share and method: --tokenizer, else one token a content chunk); " +
      "goodput: requests that met every --goodput SLO.",
    table: {
      columns: [
        "phase",
        "input tokens",
        "output tokens",
        "input tok/s",
        "output tok/s",
        "total tok/s",
        "estimated",
        "counted by",
        "goodput",
        "good req/s",
      ],
      rows: phases.map((p, i) => {
        const d = details[i]!;
        return [
          p.name,
          d.input_tokens,
          d.output_tokens,
          r1(d.input_tokens_per_s),
          r1(d.output_tokens_per_s),
          r1(d.total_tokens_per_s),
          r3(d.tokens_estimated),
          d.tokens_method || "-",
          d.goodput ? r3(d.goodput.ratio) : null,
          d.goodput ? r1(d.goodput.per_s) : null,
        ];
      }),
    },
    markdown: true,
  };
}

function splitSection(phases: readonly LlmPhase[]): ReportSection | null {
  const splits = phases.map((p) => [p.name, latencySplit(p.samples)] as const);
  if (splits.every(([, s]) => s.requests === 0)) return null;
  return {
    id: "llm-latency-split",
    title: "Where the time went: queue, prefill, decode",
    note: "ms; queue from Server-Timing, prefill = TTFT - queue, decode = E2E - TTFT.",
    table: {
      columns: [
        "phase",
        "requests",
        "queue mean",
        "prefill mean",
        "decode mean",
        "E2E mean",
        "queue p95",
        "prefill p95",
        "decode p95",
        "E2E p95",
      ],
      rows: splits.map(([name, s]) => [
        name,
        s.requests,
        r1(s.mean.queue),
        r1(s.mean.prefill),
        r1(s.mean.decode),
        r1(s.mean.e2e),
        r1(s.p95.queue),
        r1(s.p95.prefill),
        r1(s.p95.decode),
        r1(s.p95.e2e),
      ]),
    },
    markdown: true,
  };
}

function scrapeSections(s: ScrapeJson): ReportSection[] {
  const gauges = Object.entries(s.gauges);
  const sections: ReportSection[] = [{
    id: "server-counters",
    title: "Server metrics: counters over the phase",
    note: `${s.url}, read ${s.scrapes} times (every ${s.interval_s} s)` +
      (s.failures.length > 0 ? `; ${s.failures.length} reads failed` : "") + ".",
    table: {
      columns: ["counter", "delta"],
      rows: Object.entries(s.counters).map(([k, v]) => [k, r3(v)]),
    },
    markdown: true,
  }];
  if (gauges.length > 0) {
    sections.push({
      id: "server-gauges",
      title: "Server metrics: gauges over the phase",
      note: "Each read as t (s from the phase start) = value.",
      table: {
        columns: ["gauge", "min", "mean", "max", "series"],
        rows: gauges.map(([k, points]) => {
          const v = points.map(([, x]) => x);
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          return [
            k,
            r3(Math.min(...v)),
            r3(mean),
            r3(Math.max(...v)),
            points.map(([t, x]) => `${(t / 1000).toFixed(1)}=${r3(x)}`).join(" "),
          ];
        }),
      },
      markdown: true,
    });
  }
  return sections;
}
