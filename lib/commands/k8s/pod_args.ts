/**
 * The run after `loadgate k8s ... --`, made into each pod's arguments and the
 * merge's: flags set per pod are refused, the dataset's path rewritten to the
 * ConfigMap's, the SLA handed to the merge, and the whole run parsed now, as
 * `run` parses it, so a bad flag fails here, not in N pods.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { DATASET_PATH } from "./manifests.ts";
import type { PodArgs } from "./command.ts";
import { parseRunArgs } from "../run/flags.ts";

/** Flags of `run` that k8s sets per pod, and so refuses after --. */
const SET_PER_POD = ["--out", "--shard", "--start-at"];

/** The pods' run arguments (dataset path rewritten), the merge's, and the dataset's file. */
export function podArgs(runArgs: string[]): PodArgs {
  const run: string[] = [];
  const merge: string[] = [];
  let datasetFile: string | null = null;
  const rest = runArgs.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (SET_PER_POD.includes(flag)) {
      throw new UsageError(`Cannot use ${flag} after --: k8s sets it for each pod`);
    }
    const takesValue = flag === "--dataset" || flag === "--sla" || flag === "--max-error-rate" ||
      flag === "--body";
    const value = inline ?? (takesValue ? rest[++i] ?? "" : undefined);
    if (flag === "--body" && value!.startsWith("@")) {
      throw new UsageError(
        "Cannot use --body @FILE with k8s: give the body inline or use --dataset",
      );
    }
    if (flag === "--dataset") {
      datasetFile = value!;
      run.push(flag, DATASET_PATH);
      continue;
    }
    if (flag === "--sla" || flag === "--max-error-rate") merge.push(flag, value!);
    run.push(...(value === undefined ? [arg] : [flag, value]));
  }
  // After the per-pod flags are refused: --shard N alone would otherwise ask for the pod's env.
  const parsed = parseRunArgs(runArgs.slice(1));
  if (parsed === "help") throw new UsageError("Cannot write manifests for run --help");
  return { run, merge, datasetFile, parsed };
}
