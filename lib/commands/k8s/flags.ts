/**
 * The flags of `loadgate k8s` and the run after its `--`, checked as `run`
 * checks them so that a bad flag fails now, not in N pods.
 *
 * @module
 */

import {
  type FlagSpec,
  type FlagValues,
  int,
  parseFlags,
  str,
  valueFlag,
} from "../../base/flags.ts";
import { durationFlag } from "../shared/flags/duration.ts";
import { UsageError } from "../../base/errors.ts";
import { MAX_SHARDS } from "../../load/shard.ts";
import type { K8sOptions } from "./command.ts";
import { podArgs } from "./pod_args.ts";
import { HELP_FLAG } from "../shared/flags/common.ts";

/** Flags of `k8s`. */
export const K8S_FLAGS: FlagSpec = {
  shards: valueFlag("N", `shards (pods), 1..${MAX_SHARDS}`),
  "main-url": valueFlag("URL", "pinned URL of loadgate's main.ts, run in Deno's official image"),
  image: valueFlag(
    "IMAGE",
    "your own image instead (deno and loadgate at /app/main.ts; see\nthe Dockerfile)",
  ),
  out: valueFlag("DIR", "where loadgate.yaml goes (default k8s)"),
  name: valueFlag("NAME", "prefix of every object's name (default loadgate)"),
  namespace: valueFlag("NS", "namespace of every object (default: kubectl's)"),
  "start-in": valueFlag("S", "the shards start together S seconds after now (default 120)"),
  cpu: valueFlag("Q", "each shard pod's CPU request (default 1)"),
  memory: valueFlag("Q", "each shard pod's memory request (default 1Gi)"),
  storage: valueFlag("Q", "size of the results volume (default 1Gi)"),
  "storage-class": valueFlag(
    "NAME",
    "storage class of the results volume (one with ReadWriteMany)",
  ),
  "deadline-s": valueFlag("S", "the Jobs' activeDeadlineSeconds (default 3600)"),
  ...HELP_FLAG,
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
