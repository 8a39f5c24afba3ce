/**
 * `loadgate k8s --shards N [options] -- run --url ... --sla ...`: writes the
 * Kubernetes manifests of a sharded run to one YAML file. The run's arguments
 * are checked here as `run` checks them, so a bad flag fails now (exit 2),
 * not in N pods.
 *
 * @module
 */

import { type FlagSpec, int, parseFlags, str } from "../base/flags.ts";
import { UsageError } from "../base/errors.ts";
import { closedLoopShare, MAX_SHARDS } from "../load/shard.ts";
import { DATASET_PATH, k8sObjects, type K8sPlan } from "../report/k8s.ts";
import { toYamlDocuments } from "../report/yaml.ts";
import { parseRunArgs, type RunCommandOptions } from "./run.ts";

/** Options of {@linkcode k8sCommand}. */
export interface K8sOptions {
  shards: number;
  image: string | null;
  mainUrl: string | null;
  outDir: string;
  name: string;
  namespace: string | null;
  /** Seconds from now to the coordinated start. */
  startInS: number;
  cpu: string;
  memory: string;
  storage: string;
  storageClass: string | null;
  deadlineS: number;
  /** The arguments after `--`, starting with `run`. */
  runArgs: string[];
}

export const K8S_FLAGS: FlagSpec = {
  shards: { type: "string" },
  image: { type: "string" },
  "main-url": { type: "string" },
  out: { type: "string" },
  name: { type: "string" },
  namespace: { type: "string" },
  "start-in": { type: "string" },
  cpu: { type: "string" },
  memory: { type: "string" },
  storage: { type: "string" },
  "storage-class": { type: "string" },
  "deadline-s": { type: "string" },
  help: { type: "boolean", short: "h" },
};

export const K8S_HELP =
  `Usage: loadgate k8s --shards N (--main-url URL | --image IMAGE) [options] -- run --url URL [run options]
  Writes OUT/loadgate.yaml: a PersistentVolumeClaim (ReadWriteMany) for results, a
  ConfigMap (arguments, start time, dataset), an Indexed Job of N shards, and a merge
  Job that exits with the gate's code. Apply with kubectl apply -f OUT/loadgate.yaml.
  --shards N             shards (pods), 1..${MAX_SHARDS}
  --main-url URL         pinned URL of loadgate's main.ts, run in Deno's official image
  --image IMAGE          your own image instead (deno and loadgate at /app/main.ts; see
                         the Dockerfile)
  --out DIR              where loadgate.yaml goes (default k8s)
  --name NAME            prefix of every object's name (default loadgate)
  --namespace NS         namespace of every object (default: kubectl's)
  --start-in S           the shards start together S seconds after now (default 120)
  --cpu Q, --memory Q    each shard pod's resource requests (default 1, 1Gi)
  --storage Q            size of the results volume (default 1Gi)
  --storage-class NAME   storage class of the results volume (one with ReadWriteMany)
  --deadline-s S         the Jobs' activeDeadlineSeconds (default 3600)
After --: the arguments of run, checked now (--out, --shard and --start-at are set
per pod; --dataset FILE is put in the ConfigMap).`;

const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const LABEL = /^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/;

/** Parses `k8s` arguments. Throws {@linkcode UsageError}. */
export function parseK8sArgs(args: string[]): K8sOptions | "help" {
  const dash = args.indexOf("--");
  const own = dash < 0 ? args : args.slice(0, dash);
  const { values } = parseFlags(own, K8S_FLAGS);
  if (values.help) return "help";
  const runArgs = dash < 0 ? [] : args.slice(dash + 1);
  if (runArgs[0] !== "run") {
    throw new UsageError(
      "Cannot write manifests: give the run after --, for example -- run --url URL",
    );
  }
  if (values.shards === undefined) throw new UsageError("Missing --shards N");
  const options: K8sOptions = {
    shards: int(values, "shards", 1),
    image: values.image === undefined ? null : str(values, "image", ""),
    mainUrl: values["main-url"] === undefined ? null : str(values, "main-url", ""),
    outDir: str(values, "out", "k8s"),
    name: str(values, "name", "loadgate"),
    namespace: values.namespace === undefined ? null : str(values, "namespace", ""),
    startInS: int(values, "start-in", 120),
    cpu: str(values, "cpu", "1"),
    memory: str(values, "memory", "1Gi"),
    storage: str(values, "storage", "1Gi"),
    storageClass: values["storage-class"] === undefined ? null : str(values, "storage-class", ""),
    deadlineS: int(values, "deadline-s", 3600),
    runArgs,
  };
  checkK8sOptions(options);
  return options;
}

function checkK8sOptions(o: K8sOptions): void {
  if (o.shards > MAX_SHARDS) {
    throw new UsageError(`Cannot parse --shards: "${o.shards}" is above ${MAX_SHARDS}`);
  }
  if (o.image === null && o.mainUrl === null) {
    throw new UsageError(
      "Missing --main-url (a pinned URL of loadgate's main.ts, for Deno's official image) or --image IMAGE",
    );
  }
  if (o.mainUrl !== null && !/^https?:\/\/[^\s]+\.ts$/.test(o.mainUrl)) {
    throw new UsageError(
      `Cannot parse --main-url: "${o.mainUrl}" is not an http(s) URL of a .ts file`,
    );
  }
  if (o.image !== null && !/^[a-z0-9][\w.\-\/:@]*$/i.test(o.image)) {
    throw new UsageError(`Cannot parse --image: "${o.image}"`);
  }
  for (const [flag, value] of [["name", o.name], ["namespace", o.namespace ?? "default"]]) {
    if (!LABEL.test(value!)) {
      throw new UsageError(
        `Cannot parse --${flag}: "${value}" (lowercase letters, digits, -; at most 30)`,
      );
    }
  }
  for (const [flag, value] of [["cpu", o.cpu], ["memory", o.memory], ["storage", o.storage]]) {
    if (!QUANTITY.test(value!)) {
      throw new UsageError(`Cannot parse --${flag}: "${value}" is not a quantity`);
    }
  }
  if (o.startInS > 86_400) {
    throw new UsageError(`Cannot parse --start-in: "${o.startInS}" is above 86400`);
  }
}

/** Flags of `run` that k8s sets per pod, and so refuses after --. */
const SET_PER_POD = ["--out", "--shard", "--start-at"];

/** The pods' run arguments (dataset path rewritten), the merge's, and the dataset's file. */
export function podArgs(runArgs: string[]): {
  run: string[];
  merge: string[];
  datasetFile: string | null;
  parsed: RunCommandOptions;
} {
  const parsed = parseRunArgs(runArgs.slice(1));
  if (parsed === "help") throw new UsageError("Cannot write manifests for run --help");
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
  return { run, merge, datasetFile, parsed };
}

/** The most dataset bytes a ConfigMap holds here (Kubernetes allows 1 MiB in all). */
export const MAX_CONFIGMAP_DATASET = 900_000;

/** Builds the plan from options, the dataset's text and the time now. */
export function k8sPlan(
  options: K8sOptions,
  o: { dataset: string | null; nowMs: number; denoVersion: string },
): K8sPlan {
  const { run, merge, parsed } = podArgs(options.runArgs);
  if (parsed.rate === null) {
    closedLoopShare({ requests: parsed.requests, concurrency: parsed.concurrency }, {
      index: 0,
      count: options.shards,
    });
  }
  const start = new Date(Math.ceil((o.nowMs + options.startInS * 1000) / 1000) * 1000);
  const startAt = start.toISOString().replace(".000Z", "Z");
  const stamp = startAt.replace(/[-:]/g, "").replace("T", "-").replace("Z", "").toLowerCase();
  return {
    name: options.name,
    namespace: options.namespace,
    shards: options.shards,
    image: options.image ?? `denoland/deno:${o.denoVersion}`,
    main: options.mainUrl ?? "/app/main.ts",
    runArgs: run,
    mergeArgs: merge,
    startAt,
    runId: `${options.name}-${stamp}`,
    dataset: o.dataset,
    targetHost: new URL(parsed.url).host,
    resources: { cpu: options.cpu, memory: options.memory },
    storage: options.storage,
    storageClass: options.storageClass,
    deadlineS: options.deadlineS,
  };
}

/** Writes OUT/loadgate.yaml; returns 0. */
export async function k8sCommand(
  options: K8sOptions,
  io: { out: (line: string) => void; nowMs: number; denoVersion: string },
): Promise<number> {
  const { datasetFile } = podArgs(options.runArgs);
  let dataset: string | null = null;
  if (datasetFile !== null) {
    try {
      dataset = await Deno.readTextFile(datasetFile);
    } catch (err) {
      throw new UsageError(
        `Cannot read --dataset "${datasetFile}": ${err instanceof Error ? err.message : err}`,
      );
    }
    if (new TextEncoder().encode(dataset).length > MAX_CONFIGMAP_DATASET) {
      throw new UsageError(
        `Cannot put --dataset "${datasetFile}" in a ConfigMap: above ${MAX_CONFIGMAP_DATASET} bytes (bake it into --image)`,
      );
    }
  }
  const plan = k8sPlan(options, { dataset, nowMs: io.nowMs, denoVersion: io.denoVersion });
  const path = `${options.outDir}/loadgate.yaml`;
  await Deno.writeTextFile(path, toYamlDocuments(k8sObjects(plan)));
  const ns = plan.namespace ? ` -n ${plan.namespace}` : "";
  io.out(
    `wrote ${path}: ${plan.shards} shards starting together at ${plan.startAt} (run ${plan.runId})`,
  );
  io.out(`next: kubectl${ns} apply -f ${path}`);
  io.out(
    `      kubectl${ns} wait --for=condition=complete --timeout=${plan.deadlineS}s job/${plan.name}-merge`,
  );
  io.out(`      kubectl${ns} logs job/${plan.name}-merge`);
  return 0;
}
