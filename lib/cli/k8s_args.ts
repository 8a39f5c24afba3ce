/**
 * The flags of `loadgate k8s` and the run after its `--`, checked as `run`
 * checks them so that a bad flag fails now, not in N pods.
 *
 * @module
 */

import { type FlagSpec, type FlagValues, int, parseFlags, str } from "../base/flags.ts";
import { durationFlag } from "./duration_flags.ts";
import { UsageError } from "../base/errors.ts";
import { MAX_SHARDS } from "../load/shard.ts";
import { DATASET_PATH } from "../report/k8s.ts";
import type { K8sOptions, PodArgs } from "../app/k8s.ts";
import { parseRunArgs } from "./run_args.ts";

/** Flags of `k8s`. */
export const K8S_FLAGS: FlagSpec = {
  shards: { type: "string", arg: "N", help: `shards (pods), 1..${MAX_SHARDS}` },
  "main-url": {
    type: "string",
    arg: "URL",
    help: "pinned URL of loadgate's main.ts, run in Deno's official image",
  },
  image: {
    type: "string",
    arg: "IMAGE",
    help: "your own image instead (deno and loadgate at /app/main.ts; see\nthe Dockerfile)",
  },
  out: { type: "string", arg: "DIR", help: "where loadgate.yaml goes (default k8s)" },
  name: { type: "string", arg: "NAME", help: "prefix of every object's name (default loadgate)" },
  namespace: { type: "string", arg: "NS", help: "namespace of every object (default: kubectl's)" },
  "start-in": {
    type: "string",
    arg: "S",
    help: "the shards start together S seconds after now (default 120)",
  },
  cpu: { type: "string", arg: "Q", help: "each shard pod's CPU request (default 1)" },
  memory: { type: "string", arg: "Q", help: "each shard pod's memory request (default 1Gi)" },
  storage: { type: "string", arg: "Q", help: "size of the results volume (default 1Gi)" },
  "storage-class": {
    type: "string",
    arg: "NAME",
    help: "storage class of the results volume (one with ReadWriteMany)",
  },
  "deadline-s": {
    type: "string",
    arg: "S",
    help: "the Jobs' activeDeadlineSeconds (default 3600)",
  },
  help: { type: "boolean", short: "h", help: "this help" },
};

/** Usage line of `k8s`. */
export const K8S_USAGE =
  "loadgate k8s --shards N (--main-url URL | --image IMAGE) [options] -- run --url URL [run options]\n" +
  "  Writes OUT/loadgate.yaml: a PersistentVolumeClaim (ReadWriteMany) for results, a\n" +
  "  ConfigMap (arguments, start time, dataset), an Indexed Job of N shards, and a merge\n" +
  "  Job that exits with the gate's code. Apply with kubectl apply -f OUT/loadgate.yaml.";

/** What the help says after the flags. */
export const K8S_NOTES =
  "After --: the arguments of run, checked now (--out, --shard and --start-at are set\n" +
  "per pod; --dataset FILE is put in the ConfigMap).";

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
    startInS: startInSeconds(values),
    cpu: str(values, "cpu", "1"),
    memory: str(values, "memory", "1Gi"),
    storage: str(values, "storage", "1Gi"),
    storageClass: values["storage-class"] === undefined ? null : str(values, "storage-class", ""),
    deadlineS: int(values, "deadline-s", 3600),
    runArgs,
    pod: podArgs(runArgs),
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

/** `--start-in` as whole seconds (a duration with units, or plain seconds). */
function startInSeconds(values: FlagValues): number {
  const ms = durationFlag(values, "start-in", "s");
  if (ms === null) return 120;
  if (ms % 1000 !== 0) {
    throw new UsageError(
      `Cannot parse --start-in: "${String(values["start-in"])}" is not whole seconds`,
    );
  }
  return ms / 1000;
}
