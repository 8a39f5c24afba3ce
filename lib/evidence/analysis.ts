/**
 * The evidence of a main-job run, as `analysis.json` holds it: the 2 x 2
 * factorial table, each cell's latency decomposition, connection counts and
 * queueing evidence, the findings ranked by measured effect, and the checks
 * that make the cells comparable. Pure: the cells' samples in, one object out.
 *
 * @module
 */

import type { SelfMonitorSummary } from "../load/self_monitor.ts";
import type { ServerSplit } from "../load/model_stats.ts";
import { type ClientShare, clientShare } from "./client_share.ts";
import {
  type Check,
  checkConditions,
  checkInputs,
  checkOutputs,
  type LoadParams,
  type OutputCheck,
} from "../verdict/compare.ts";
import {
  type ConnectionEvidence,
  connectionEvidence,
  type ServerCounts,
} from "./connection_evidence.ts";
import { decompose, type Decomposition, PART_SOURCES } from "./decomposition.ts";
import { analyzeFactorial, type CellPlan, type Factorial } from "./factorial.ts";
import { type Finding, findings } from "./findings.ts";
import { type QueueingEvidence, queueingEvidence } from "./queueing.ts";
import type { Sample } from "../stats/sample.ts";

/** One cell as the job ran it. */
export interface CellRun {
  plan: CellPlan;
  samples: readonly Sample[];
  load: LoadParams;
  /** The stub's own counters for the cell, or null when unknown. */
  server: ServerCounts | null;
  /** The load generator's own event-loop lag and CPU during the cell, when recorded. */
  client?: SelfMonitorSummary | null;
  /** kserve-v2: the statistics extension's split of the cell, when the server gave one. */
  serverSplit?: ServerSplit | null;
}

/** Options of {@linkcode analyzeRun}. */
export interface AnalysisOptions {
  concurrency: number;
  tls: boolean;
  /** Bootstrap resamples of the factorial intervals (default: see analyzeFactorial). */
  resamples?: number;
  /** What the cells' outputs check compares: the job comparison's mode (default `exact`). */
  outputCheck?: OutputCheck;
  /** The cells spoke gRPC. */
  grpc?: boolean;
}

/** Everything analysis.json holds (besides the manifest the job adds). */
export interface Analysis {
  tls: boolean;
  /** The cells spoke gRPC (`job --api kserve-v2-grpc`). */
  grpc?: boolean;
  concurrency: number;
  /** Each cell's handler, connection policy and log file. */
  cells: Record<string, { handler: string; connections: string; log: string }>;
  /** The 2 x 2 table and effects; null unless all four cells ran. */
  factorial: Factorial | null;
  /** Which column each decomposition part comes from. */
  decomposition_sources: Record<string, string>;
  decomposition: Record<string, Decomposition>;
  connections: Record<string, ConnectionEvidence>;
  queueing: Record<string, QueueingEvidence>;
  /** The client's own share of each cell's remainder (cells that recorded client figures). */
  client: Record<string, ClientShare>;
  /** Contributors ranked by measured effect; empty without the factorial. */
  findings: Finding[];
  /** kserve-v2: each cell's server-side split (the statistics extension), when read. */
  server_split?: Record<string, ServerSplit>;
  checks: {
    /** Fresh cells: one connection per request; pooled cells: at most C (server side). */
    connections_match: Check;
    /** The cells beyond baseline and optimized sent the same inputs under the same load and got the same outputs. */
    cells_identical: Check;
  };
}

/** Analyzes the cells of a run. The cell named `baseline` is the reference for the checks. */
export function analyzeRun(cells: readonly CellRun[], options: AnalysisOptions): Analysis {
  const decomposition: Record<string, Decomposition> = {};
  const connections: Record<string, ConnectionEvidence> = {};
  const queueing: Record<string, QueueingEvidence> = {};
  const client: Record<string, ClientShare> = {};
  for (const c of cells) {
    decomposition[c.plan.name] = decompose(c.samples);
    const share = clientShare(decomposition[c.plan.name]!, c.client, options.concurrency);
    if (share) client[c.plan.name] = share;
    connections[c.plan.name] = connectionEvidence(
      c.samples,
      c.plan.policy,
      options.concurrency,
      c.server,
    );
    queueing[c.plan.name] = queueingEvidence(c.samples, options.concurrency);
  }
  const complete = cells.length === 4 &&
    new Set(cells.map((c) => `${c.plan.mode}_${c.plan.policy}`)).size === 4;
  const factorial = complete
    ? analyzeFactorial(
      cells,
      options.resamples === undefined ? {} : { resamples: options.resamples },
    )
    : null;
  const bad = Object.values(connections).filter((c) => !c.ok);
  const splits = cells.filter((c) => c.serverSplit).map((c) => [c.plan.name, c.serverSplit!]);
  return {
    tls: options.tls,
    ...(options.grpc ? { grpc: true } : {}),
    concurrency: options.concurrency,
    cells: Object.fromEntries(
      cells.map((c) => [
        c.plan.name,
        { handler: c.plan.mode, connections: c.plan.policy, log: `${c.plan.name}.csv` },
      ]),
    ),
    factorial,
    decomposition_sources: { ...PART_SOURCES },
    decomposition,
    connections,
    queueing,
    client,
    findings: factorial
      ? findings({ factorial, decomposition, queueing, connections, tls: options.tls })
      : [],
    ...(splits.length > 0 ? { server_split: Object.fromEntries(splits) } : {}),
    checks: {
      connections_match: {
        ok: bad.length === 0 && cells.length > 0,
        detail: bad.length > 0
          ? bad.map((c) => c.detail).join("; ")
          : cells.map((c) => `${c.plan.name} ${connections[c.plan.name]!.connections}`).join(
            ", ",
          ) + " connections (server side); fresh = one per request, pooled <= " +
            options.concurrency,
      },
      cells_identical: cellsIdentical(cells, options.outputCheck ?? "exact"),
    },
  };
}

/** The extra cells (not baseline nor optimized) against baseline: same inputs, load and outputs. */
function cellsIdentical(cells: readonly CellRun[], outputs: OutputCheck): Check {
  const baseline = cells.find((c) => c.plan.name === "baseline");
  const extra = cells.filter((c) => c.plan.name !== "baseline" && c.plan.name !== "optimized");
  if (extra.length === 0) return { ok: true, detail: "no extra cells" };
  if (!baseline) return { ok: false, detail: "no baseline cell to compare with" };
  const problems: string[] = [];
  for (const c of extra) {
    const checks = [
      checkInputs(baseline.samples, c.samples),
      checkConditions(baseline.load, c.load),
      checkOutputs(baseline.samples, c.samples, outputs),
    ];
    // --output-check none: the outputs are not compared here either (the job's check says so).
    for (const check of checks) {
      if (!check.ok && check.made !== false) problems.push(`${c.plan.name}: ${check.detail}`);
    }
  }
  return {
    ok: problems.length === 0,
    detail: problems.length > 0
      ? problems.join("; ")
      : `${extra.map((c) => c.plan.name).join(" and ")}: same inputs, load and ${
        outputs === "none" ? "(not compared, --output-check none) outputs" : `${outputs} outputs`
      } as baseline`,
  };
}
