/**
 * The evidence of analysis.json as tables for report.html: the 2 x 2 run,
 * each factor's effect, the contributors ranked by effect, and where each
 * phase's time went.
 *
 * @module
 */

import type { Analysis } from "../../evidence/analysis.ts";
import { EFFECT_NAMES, METRICS } from "../../evidence/factorial.ts";
import { PARTS } from "../../evidence/decomposition.ts";
import type { ReportSection } from "../../report/html/report.ts";
import { serverSplitSection } from "../../report/server_split.ts";

const r1 = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10) / 10;
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "-");

/** Report sections for an analysis; empty parts are left out. */
export function analysisSections(a: Analysis): ReportSection[] {
  const sections: ReportSection[] = [];
  const f = a.factorial;
  if (f) {
    sections.push({
      id: "factorial",
      title: "The 2 x 2 run: handler x connections",
      note: "The same workload and load in each cell; latencies in ms, throughput in requests/s.",
      table: {
        columns: ["cell", "handler", "connections", "p50 (ms)", "p95 (ms)", "p99 (ms)", "req/s"],
        rows: f.cells.map((c) => [
          c.name,
          c.handler,
          c.connections,
          r1(c.p50),
          r1(c.p95),
          r1(c.p99),
          r1(c.throughput),
        ]),
      },
    });
    sections.push({
      id: "effects",
      title: "Each factor's effect",
      note: `ms, with ${f.bootstrap.confidence * 100}% bootstrap intervals. ${f.convention}`,
      table: {
        columns: ["effect", ...METRICS.map((m) => `${m} (ms)`)],
        rows: EFFECT_NAMES.map((e) => [
          e,
          ...METRICS.map((m) => {
            const [lo, hi] = f.intervals[m][e];
            return `${r1(f.effects[m][e])} [${r1(lo)}, ${r1(hi)}]`;
          }),
        ]),
      },
    });
  }
  if (a.findings.length > 0) {
    sections.push({
      id: "findings",
      title: "Contributors, ranked by measured effect at P95",
      table: {
        columns: ["rank", "contributor", "ms at P95", "beyond noise", "from"],
        rows: a.findings.map((x) => [
          x.rank,
          x.contributor,
          r1(x.figure_ms),
          x.beyond_noise === null ? "-" : x.beyond_noise ? "yes" : "no",
          x.source,
        ]),
      },
    });
  }
  if (a.server_split) sections.push(splitSection(a));
  const phases = Object.entries(a.decomposition).filter(([, d]) => d.decomposed > 0);
  if (phases.length > 0) {
    sections.push({
      id: "decomposition",
      title: "Share of all request time, by part",
      note: `Summed over every decomposed request of each cell. Sources: ${
        PARTS.map((p) => `${p} from ${a.decomposition_sources[p]}`).join("; ")
      }.`,
      table: {
        columns: ["cell", ...PARTS],
        rows: phases.map(([name, d]) => [name, ...PARTS.map((p) => pct(d.total.shares[p]))]),
      },
    });
  }
  return sections;
}

/** kserve-v2: each cell's server-side split beside its client mean (the 2 x 2 table's). */
function splitSection(a: Analysis): ReportSection {
  const means = new Map(a.factorial?.cells.map((c) => [c.name, c.mean]) ?? []);
  return serverSplitSection(
    Object.entries(a.server_split!).map(([phase, split]) => ({
      phase,
      split,
      clientMeanMs: r1(means.get(phase)),
    })),
  );
}
