/**
 * The main job: functional tests, then a baseline phase (serialized stub,
 * fresh connections) and an optimized phase (concurrent stub, pooled
 * connections) under identical inputs and load, then the comparison, the
 * reports and the verdict. Two more cells (serialized stub with pooled
 * connections, concurrent stub with fresh ones) complete a 2 x 2 run whose
 * analysis (analysis.json) shows what each change buys. Flags are parsed in
 * lib/commands/job/flags.ts.
 *
 * @module
 */

import { EXTRA_CELLS, runOrder } from "../../evidence/factorial.ts";
import { makeSelfSignedCert } from "../../stub/tls.ts";
import { buildWorkload } from "../../workload/workload.ts";
import type { TestCounts } from "./functional_tests.ts";
import { compareAndGate } from "./gate.ts";
import { testStageLines } from "./test_stage.ts";
import { runCells } from "./phases.ts";
import { type JobDeps, type JobOptions, PHASES } from "./options.ts";
import { functionalTestsFailed, jobInterrupted } from "./stopped.ts";
import { makeManifest } from "../shared/manifest.ts";
import { jobLlm } from "./llm.ts";
import { jobKserve } from "./kserve.ts";
import { jobConversations } from "./conversations.ts";
import type { ReportTargets } from "../shared/report_files.ts";

export { JOB_DEFAULTS, JOB_METRICS, type JobDeps, type JobOptions, PHASES } from "./options.ts";

/** Runs the main job; returns the exit code. */
export async function runJob(options: JobOptions, deps: JobDeps): Promise<number> {
  await Deno.mkdir(options.outDir, { recursive: true });
  const path = (name: string) => `${options.outDir}/${name}`;
  // Before the tests: a missing openssl is bad usage, better said at once.
  const tls = options.tls ? await makeSelfSignedCert() : undefined;
  const targets: ReportTargets = {
    outDir: options.outDir,
    html: true,
    markdown: true,
    stepSummary: deps.stepSummary ?? null,
    err: deps.err,
  };
  // An interrupted job must not leave the last run's files beside its own.
  for (const plan of [...PHASES, ...EXTRA_CELLS]) {
    for (const ext of [".csv", ".json", ".csv.partial", ".json.partial"]) {
      await Deno.remove(path(plan.name + ext)).catch(() => {});
    }
  }
  await Deno.remove(path("analysis.json")).catch(() => {});

  const tests: TestCounts = options.skipTests
    ? { passed: 0, failed: 0, junit: null, skipped_reason: "skipped (--skip-tests)" }
    : await deps.runTests({ junit: path("tests.xml"), log: path("tests.log") });
  for (const line of testStageLines(tests)) deps.out(line);
  if (tests.failed > 0 && !deps.stop.aborted) {
    return await functionalTestsFailed(tests, targets, deps.err);
  }

  const llm = options.workload === "conversations"
    ? await jobConversations({ seed: options.seed, concurrency: options.concurrency })
    : options.api
    ? await jobLlm(options.api, { seed: options.seed, requests: options.requests })
    : null;
  const kserve = options.kserve
    ? await jobKserve({ ...options, grpc: options.kserveGrpc === true })
    : null;
  const workload = llm?.workload ?? kserve?.workload ??
    await buildWorkload({ seed: options.seed, requests: options.requests });
  const manifest = makeManifest({
    command: "job",
    seed: options.seed,
    workload_digest: workload.digest,
    requests: options.requests,
    concurrency: options.concurrency,
    timeout_ms: options.timeoutMs,
    stub_service_ms: options.serviceMs,
    tls: options.tls,
    note: "load generator and stub share this machine's CPUs over loopback",
    ...(llm?.manifest ?? kserve?.manifest ?? {}),
  });
  const extra = options.factorial ? EXTRA_CELLS : [];
  const cells = await runCells(runOrder([...PHASES, ...extra]), {
    options,
    deps,
    workload,
    manifest,
    tls,
    llm,
    kserve,
  });
  const { baseline, optimized } = cells.outcomes;
  if (
    deps.stop.aborted || !baseline || !optimized || baseline.interrupted ||
    optimized.interrupted
  ) {
    return await jobInterrupted({
      // Every cell, in the order they ran: a cut in a 2 x 2 cell is named too.
      phases: runOrder([...PHASES, ...extra]),
      planned: options.requests,
      outcomes: cells.outcomes,
      tests,
      manifest,
      targets,
      err: deps.err,
    });
  }
  return await compareAndGate({ options, deps, cells, tests, manifest, targets, extra, llm });
}
