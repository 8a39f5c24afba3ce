/**
 * The LLM part of a before/after comparison (the main job's `--api` mode):
 * the full summaries (streaming and token metrics, so thresholds such as
 * `ttft_p95` see them) put into the comparison, their table, the latency
 * split, and the report's sections.
 *
 * @module
 */

import { latencySplit, latencySplitLines } from "../../evidence/latency_split.ts";
import { cacheAttribution, cacheAttributionLines } from "../../evidence/cache_attribution.ts";
import type { PhaseOutcome } from "../../load/phase_runner.ts";
import { llmSections } from "../../report/llm_sections.ts";
import type { ReportSection } from "../../report/html/report.ts";
import { fullSummary, type MetricGroups } from "../../stats/load_metrics.ts";
import { llmDetail } from "../../stats/llm/summary.ts";
import type { Comparison } from "../../verdict/compare.ts";
import { addExtraMetrics, extraTable } from "../compare/inputs.ts";
import type { ComparisonJson } from "../shared/result_json.ts";

/** What the comparison gained: its JSON block, terminal lines and report sections. */
export interface LlmComparison {
  json: NonNullable<ComparisonJson["llm"]>;
  lines: string[];
  sections: ReportSection[];
}

/** Adds the LLM metrics of both phases to `comparison` (in place). */
export function llmComparison(
  comparison: Comparison,
  baseline: PhaseOutcome,
  optimized: PhaseOutcome,
  llm: { groups: MetricGroups; cell?: unknown },
): LlmComparison {
  const b = fullSummary(baseline.samples, llm.groups);
  const o = fullSummary(optimized.samples, llm.groups);
  const shared = addExtraMetrics(comparison, { baseline: b, optimized: o });
  const slos = llm.groups.goodput ?? null;
  const split = {
    baseline: latencySplit(baseline.samples),
    optimized: latencySplit(optimized.samples),
  };
  const phases = [
    { name: "baseline", samples: baseline.samples, durationS: b.duration_s },
    { name: "optimized", samples: optimized.samples, durationS: o.duration_s },
  ];
  // Sessions (the conversation job): what the prefix cache did to TTFT, by turn.
  const cache = llm.cell ? cacheAttribution(baseline.samples, optimized.samples) : null;
  return {
    json: {
      baseline: llmDetail(baseline.samples, b.duration_s, slos),
      optimized: llmDetail(optimized.samples, o.duration_s, slos),
      latency_split: split,
      ...(cache ? { cache_attribution: cache } : {}),
    },
    lines: [
      "",
      extraTable(b, o, shared),
      "",
      ...latencySplitLines([["baseline", split.baseline], ["optimized", split.optimized]]),
      ...(cache ? ["", ...cacheAttributionLines(cache)] : []),
    ],
    sections: llmSections(phases, null),
  };
}
