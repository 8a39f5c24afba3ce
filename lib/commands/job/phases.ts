/**
 * The main job's cells: each against a fresh stub in its mode, under the same
 * workload and load, its log and summary JSON written as `.partial` files and
 * renamed as it ends. The only
 * call of the phase runner for the job is in {@linkcode runCell}.
 *
 * @module
 */

import {
  type ModelCounters,
  readModelStats,
  type ServerSplit,
  serverSplit,
  serverSplitLine,
} from "../../load/model_stats.ts";
import type { JobKserve } from "./kserve.ts";
import { readGrpcModelStats } from "../../load/grpc/client.ts";
import { STUB_V2_MODEL } from "../../stub/kserve/model.ts";
import { DEFAULT_MAX_RESPONSE } from "../../load/measure.ts";
import { type PhaseOutcome, runPhase } from "../../load/phase_runner.ts";
import type { Sample } from "../../stats/sample.ts";
import type { StubStats } from "../../stub/server.ts";
import type { StubProcess } from "../../stub/spawn.ts";
import type { TlsMaterial } from "../../stub/tls.ts";
import type { Workload } from "../../workload/workload.ts";
import type { JobDeps, JobOptions, PhasePlan } from "./options.ts";
import type { Manifest } from "../shared/manifest.ts";
import { PhaseFiles } from "../shared/phase_files.ts";
import { clientBottleneck } from "../../load/self_monitor.ts";
import { writePhaseSummary } from "../shared/result_json.ts";
import type { JobLlm } from "./llm.ts";
import { fullSummary } from "../../stats/load_metrics.ts";
import { llmDetail } from "../../stats/llm/summary.ts";

/** What the cells produced, by cell name. */
export interface CellOutcomes {
  outcomes: Record<string, PhaseOutcome>;
  servers: Record<string, StubStats | null>;
  /** kserve-v2: each cell's server-side split, or null when none was read. */
  splits: Record<string, ServerSplit | null>;
}

/** The shared inputs of every cell. */
export interface CellContext {
  options: JobOptions;
  deps: JobDeps;
  workload: Workload;
  manifest: Manifest;
  tls: TlsMaterial | undefined;
  /** `--api`: the cells speak the stub's OpenAI API. */
  llm?: JobLlm | null;
  /** `--api kserve-v2`: the cells speak the stub's KServe v2 model. */
  kserve?: JobKserve | null;
}

/** Runs the cells in order until one is interrupted; writes each one's summary JSON. */
export async function runCells(
  plans: readonly PhasePlan[],
  ctx: CellContext,
): Promise<CellOutcomes> {
  const result: CellOutcomes = { outcomes: {}, servers: {}, splits: {} };
  for (const plan of plans) {
    if (ctx.deps.stop.aborted) break;
    // Written as .partial files, renamed once the cell is done: a job killed mid-cell
    // leaves no log under a final name that a later reader could take as whole.
    const log = `${ctx.options.outDir}/${plan.name}.csv`;
    const summary = `${ctx.options.outDir}/${plan.name}.json`;
    const files = new PhaseFiles([log, summary], []);
    const { outcome, server, split } = await runCell(plan, ctx, files.temp(log));
    result.outcomes[plan.name] = outcome;
    result.servers[plan.name] = server;
    result.splits[plan.name] = split;
    await writePhaseSummary(files.temp(summary), {
      phase: plan.name,
      log: `${plan.name}.csv`,
      stub_mode: plan.mode,
      connection: plan.policy,
      engine: ctx.options.engine ?? "fetch",
      tls: ctx.options.tls,
      server,
      interrupted: outcome.interrupted,
      load: outcome.load,
      summary: ctx.llm ? fullSummary(outcome.samples, ctx.llm.groups) : outcome.store.summary(),
      ...(ctx.llm
        ? { llm: llmDetail(outcome.samples, outcome.store.summary().duration_s, null) }
        : {}),
      ...(split ? { server_split: split } : {}),
      client: {
        ...outcome.client,
        preconnected: outcome.preconnected,
        bottleneck: clientBottleneck(outcome.client),
      },
      manifest: ctx.manifest,
    });
    await files.commit(); // the job cleared the earlier files when it started: nothing replaced
  }
  return result;
}

/** Starts the cell's stub, runs the phase against it (its log to `logPath`), and stops the stub. */
export async function runCell(
  plan: PhasePlan,
  ctx: CellContext,
  logPath: string,
): Promise<{ outcome: PhaseOutcome; server: StubStats | null; split: ServerSplit | null }> {
  const { options, deps, tls, llm, kserve } = ctx;
  const stubArgs = llm
    ? llm.stubArgsFor?.(plan.name) ?? llm.stubArgs(plan.mode)
    : ["--mode", plan.mode, "--service-ms", options.serviceMs.join(":")];
  if (kserve?.grpc) stubArgs.push("--grpc-port", "0");
  const work = llm?.cell?.();
  if (plan.name === "optimized" && options.alterOutputNth !== undefined) {
    stubArgs.push("--alter-nth", String(options.alterOutputNth));
  }
  const stub = await deps.startStub(stubArgs, tls ? { tls } : {});
  // The stub loads its tokenizer on its first LLM request: not in any cell's figures.
  if (llm) await llm.warm(new URL(llm.path, stub.url).href);
  const before = llm ? await stub.stats().catch(() => null) : null;
  const readStats = kserve ? modelStatsReader(kserve, stub, options.timeoutMs) : null;
  const modelBefore = readStats ? await readStats() : null;
  deps.err(
    `${plan.name}: ${options.requests} requests, ${options.concurrency} concurrent, ${
      llm?.cellLabel?.(plan.name) ??
        `${llm && plan.mode === "concurrent" ? "batched" : plan.mode} stub`
    }, ${llm?.policy ?? plan.policy} connections${tls ? " (https)" : ""}`,
  );
  const progress = deps.progress?.(plan.name, { total: options.requests });
  progress?.start();
  try {
    const outcome = await runPhase({
      request: {
        phase: plan.name,
        url: llm
          ? new URL(llm.path, stub.url).href
          : kserve?.grpc
          ? stub.grpcUrl!
          : kserve
          ? new URL(kserve.path, stub.url).href
          : stub.url,
        method: "POST",
        headers: kserve?.grpc ? {} : { "content-type": "application/json" },
        workload: work?.workload ?? ctx.workload,
        timeoutMs: options.timeoutMs,
        maxResponseBytes: DEFAULT_MAX_RESPONSE,
        stream: llm !== null && llm !== undefined,
        ...(llm || kserve ? { onBody: work?.onBody ?? (llm ?? kserve)!.onBody } : {}),
      },
      plan: work?.plan ?? {
        kind: "closed",
        requests: options.requests,
        concurrency: options.concurrency,
        durationMs: null,
        warmup: 0,
      },
      policy: llm?.policy ?? plan.policy,
      engine: options.engine ?? "fetch",
      log: { path: logPath, extended: Boolean(llm) },
      stop: deps.stop,
      keepSamples: true,
      ...(progress ? { onSample: (s: Sample) => progress.record(s) } : {}),
      ...(tls ? { caCerts: [tls.cert] } : {}),
    });
    const after = await stub.stats().catch(() => null);
    await warnIfDied(plan.name, stub, after === null ? 1000 : 0, deps.err);
    const split = await cellSplit(readStats, modelBefore, deps.err);
    // What the server counted during the phase (the warm-up request is not in it).
    const server = after && before
      ? {
        requests: after.requests - before.requests,
        connections: after.connections - before.connections,
      }
      : llm
      ? null
      : after;
    return { outcome, server, split };
  } finally {
    progress?.finish();
    await stub.stop();
  }
}

/**
 * Says so when the cell's stub ended before the job stopped it (a crash). A stub that did not
 * answer its counters may have died: `graceMs` gives its end time to be seen.
 */
async function warnIfDied(
  cell: string,
  stub: StubProcess,
  graceMs: number,
  err: (line: string) => void,
): Promise<void> {
  const died = await stub.died?.(graceMs) ?? null;
  if (died === null) return;
  err(
    `warning: the ${cell} stub ended during its cell (${died}): its failed rows are the ` +
      "stub's, not the client's (docs/protocols.md names a crash of Deno's node:http2 under gRPC)",
  );
}

/** How a kserve cell reads the model's counters: the statistics extension, or ModelStatistics. */
function modelStatsReader(
  kserve: JobKserve,
  stub: { url: string; grpcUrl?: string },
  timeoutMs: number,
): () => Promise<ModelCounters | string> {
  const model = { name: STUB_V2_MODEL.name, version: null };
  if (kserve.grpc) return () => readGrpcModelStats(stub.grpcUrl!, model, timeoutMs);
  const url = new URL(kserve.statsPath, stub.url).href;
  return () => readModelStats(url, fetch);
}

/** A kserve-v2 cell's server-side split (the counters' deltas), or null with a warning. */
async function cellSplit(
  readStats: (() => Promise<ModelCounters | string>) | null,
  before: ModelCounters | string | null,
  err: (line: string) => void,
): Promise<ServerSplit | null> {
  if (readStats === null || before === null) return null;
  const after = typeof before === "string" ? before : await readStats();
  if (typeof after === "string") {
    err(`warning: no server split: ${after}`);
    return null;
  }
  const split = serverSplit(before as ModelCounters, after);
  err(serverSplitLine(split, null));
  return split;
}
