/**
 * The main job's two early ends: functional tests that failed (the phases
 * are not run) and an interruption (SIGINT / SIGTERM). Each writes
 * comparison.json in its one shape, and the reports.
 *
 * @module
 */

import { ExitCode } from "../../base/errors.ts";
import type { PhaseOutcome } from "../../load/phase_runner.ts";
import type { Sample } from "../../stats/sample.ts";
import type { TestCounts } from "./functional_tests.ts";
import { interruptedReport } from "./interrupt.ts";
import type { Manifest } from "../shared/manifest.ts";
import { type ReportTargets, stoppedReport, writeReports } from "../shared/report_files.ts";
import { stoppedComparison, writeComparison } from "../shared/result_json.ts";
import type { PhasePlan } from "./options.ts";

/** Writes the files of a job whose functional tests failed; returns exit 3. */
export async function functionalTestsFailed(
  tests: TestCounts,
  targets: ReportTargets,
  err: (line: string) => void,
): Promise<number> {
  await writeComparison(
    `${targets.outDir}/comparison.json`,
    stoppedComparison({
      verdict: "fail",
      reasons: [`the functional tests failed (${tests.failed} failed); the phases were not run`],
      phases: {},
      manifest: null,
      functional_tests: tests,
    }),
  );
  await writeReports(
    stoppedReport({
      status: "fail",
      headline: `The functional tests failed (${tests.failed} failed); the phases were not run.`,
      phases: [],
      manifest: {},
    }),
    targets,
  );
  err("loadgate: functional verification failed; phases not run");
  return ExitCode.FunctionalTests;
}

/** Writes the files of an interrupted job; returns exit 130. */
export async function jobInterrupted(o: {
  phases: readonly PhasePlan[];
  planned: number;
  outcomes: Readonly<Record<string, PhaseOutcome>>;
  tests: TestCounts;
  manifest: Manifest;
  targets: ReportTargets;
  err: (line: string) => void;
}): Promise<number> {
  const report = interruptedReport(o.phases.map((p) => {
    const out = o.outcomes[p.name];
    return {
      name: p.name,
      planned: o.planned,
      summary: out ? out.store.summary() : null,
      interrupted: out?.interrupted ?? false,
    };
  }));
  o.err(`loadgate: interrupted; ${report.reasons.slice(1).join("; ")}`);
  o.err(`loadgate: the logs in ${o.targets.outDir} keep every finished request`);
  await writeComparison(
    `${o.targets.outDir}/comparison.json`,
    stoppedComparison({ ...report, functional_tests: o.tests, manifest: o.manifest }),
  );
  const samplesOf = (name: string): Sample[] => o.outcomes[name]?.samples ?? [];
  await writeReports(
    stoppedReport({
      status: "interrupted",
      headline: "The job was interrupted; the plots cover the requests that finished.",
      phases: o.phases.map((p) => ({
        name: p.name,
        detail: phaseDetail(p),
        samples: samplesOf(p.name),
      })),
      manifest: o.manifest,
    }),
    o.targets,
  );
  return ExitCode.Interrupted;
}

/** "serialized stub, fresh connections". */
export function phaseDetail(plan: PhasePlan): string {
  return `${plan.mode} stub, ${plan.policy} connections`;
}
