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
import { parseRunArgs } from "../run/flags.ts";
import { isSecretHeader } from "../../base/secrets.ts";
import { DEFAULT_API_KEY_ENV } from "../run/credentials.ts";

/** The run's target and load, as the plan needs them (a closed loop's split is checked). */
export interface PodRun {
  url: string;
  /** Open-loop rate, or null for the closed loop. */
  rate: number | null;
  requests: number;
  concurrency: number;
}

/** The pods' run arguments (dataset path rewritten), the merge's, and the dataset's file. */
export interface PodArgs {
  run: string[];
  merge: string[];
  datasetFile: string | null;
  /** What the plan reads of the run, parsed as `run` parses it. */
  parsed: PodRun;
  /** Values the pods read from the run's Secret. */
  secrets: PodSecret[];
}

/** A secret value a pod reads from the run's Kubernetes Secret, never from its arguments. */
export interface PodSecret {
  /** The pod's environment variable. */
  env: string;
  /** The key in the Secret. */
  key: string;
  /** What the value is, for the line that says how to create the Secret. */
  what: string;
  /** The pod starts without it (an API key that may not be needed). */
  optional: boolean;
}

/** Flags of `run` that k8s sets per pod, and so refuses after --. */
const SET_PER_POD = ["--out", "--shard", "--start-at"];

/** The pods' run arguments (dataset path rewritten), the merge's, and the dataset's file. */
export function podArgs(runArgs: string[]): PodArgs {
  const run: string[] = [];
  const merge: string[] = [];
  let datasetFile: string | null = null;
  const secrets: PodSecret[] = [];
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
      flag === "--body" || flag === "--url" || flag === "-H" || flag === "--header";
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
    const hidden = secretArg(flag, value, secrets);
    if (hidden !== null) {
      run.push(flag, hidden);
      continue;
    }
    if (flag === "--sla" || flag === "--max-error-rate") merge.push(flag, value!);
    run.push(...(value === undefined ? [arg] : [flag, value]));
  }
  // After the per-pod flags are refused: --shard N alone would otherwise ask for the pod's env.
  // The API key is the pods' to read: here no variable is read for it.
  const parsed = parseRunArgs(runArgs.slice(1), {
    env: () => "read-in-the-pod",
    nowMs: Date.now(),
  });
  if (parsed === "help") throw new UsageError("Cannot write manifests for run --help");
  const keyEnv = apiKeyEnvOf(rest, parsed.llm !== null);
  if (keyEnv !== null) {
    secrets.push({
      env: keyEnv.name,
      key: "api-key",
      what: `the API key (${keyEnv.name})`,
      optional: !keyEnv.given,
    });
  }
  const { url, rate, requests, concurrency } = parsed;
  return { run, merge, datasetFile, parsed: { url, rate, requests, concurrency }, secrets };
}

/**
 * A secret argument (`--url` with credentials, `-H` with a secret header) as
 * the pod gets it: a `$(VAR)` Kubernetes fills from the Secret; null for any other.
 */
function secretArg(flag: string, value: string | undefined, secrets: PodSecret[]): string | null {
  if (value === undefined) return null;
  if (flag === "--url" && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(value)) {
    secrets.push({ env: "LOADGATE_URL", key: "url", what: "the --url", optional: false });
    return "$(LOADGATE_URL)";
  }
  if (flag !== "-H" && flag !== "--header") return null;
  const colon = value.indexOf(":");
  const name = colon < 0 ? "" : value.slice(0, colon).trim();
  if (!isSecretHeader(name)) return null;
  const n = secrets.filter((s) => s.key.startsWith("header-")).length;
  const env = `LOADGATE_HEADER_${n}`;
  secrets.push({ env, key: `header-${n}`, what: `the value of -H ${name}`, optional: false });
  return `${name}: $(${env})`;
}

/** The variable the pods read an API key from: `--api-key-env`, or the default with `--api`. */
function apiKeyEnvOf(args: string[], llm: boolean): { name: string; given: boolean } | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--api-key-env") return { name: args[i + 1] ?? "", given: true };
    if (a.startsWith("--api-key-env=")) return { name: a.slice(14), given: true };
  }
  return llm ? { name: DEFAULT_API_KEY_ENV, given: false } : null;
}
