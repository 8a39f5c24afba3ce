/**
 * The Kubernetes manifests of a sharded run, as plain objects (pure): a
 * PersistentVolumeClaim (ReadWriteMany) for the results, a ConfigMap with the
 * run's arguments, start time and dataset, an Indexed Job whose pods each run
 * one shard (`JOB_COMPLETION_INDEX` is the shard index), and a merge Job that
 * waits for every shard's summary, merges, and exits with the gate's code.
 *
 * @example
 * ```ts
 * const yaml = toYamlDocuments(k8sObjects(plan)); // kubectl apply -f -
 * ```
 *
 * @module
 */

/** Everything the manifests are made from. */
export interface K8sPlan {
  /** Prefix of every object's name (a DNS-1123 label). */
  name: string;
  namespace: string | null;
  shards: number;
  image: string;
  /** loadgate's main.ts: a pinned URL, or a path inside `image`. */
  main: string;
  /** The arguments of `run` (without `run`, `--out`, `--shard`, `--start-at`), as the pods get them. */
  runArgs: string[];
  /** The arguments `merge` gates with (`--sla`, `--max-error-rate`). */
  mergeArgs: string[];
  /** The coordinated start, RFC 3339. */
  startAt: string;
  /** Folder under /results for this run, so an old run's shards are never merged. */
  runId: string;
  /** The dataset's text, mounted at {@linkcode DATASET_PATH}, or null. */
  dataset: string | null;
  /** Values the shard pods read from the Secret `<name>-secrets` (created by the user). */
  secrets: readonly { env: string; key: string; what: string; optional: boolean }[];
  /** host:port the shards may reach (Deno's --allow-net). */
  targetHost: string;
  /** Each shard pod's resource requests. */
  resources: { cpu: string; memory: string };
  /** Size of the results volume, for example 1Gi. */
  storage: string;
  storageClass: string | null;
  /** The Jobs' activeDeadlineSeconds. */
  deadlineS: number;
}

/** Where a shard pod reads the dataset. */
export const DATASET_PATH = "/config/dataset.jsonl";

/** What each shard pod runs: `run` with the shard's flags; exit 1 (its own SLA) does not fail the pod. */
const SHARD_SCRIPT = `set -u
out="/results/$RUN_ID/shard-$JOB_COMPLETION_INDEX"
mkdir -p "$out"
deno run --allow-net="$TARGET_HOST" --allow-read=/config,/results,/proc/self/stat --allow-write=/results \\
  --allow-env="$LOADGATE_ALLOW_ENV" "$LOADGATE_MAIN" run "$@" \\
  --shard "$SHARDS" --start-at "$START_AT" --out "$out"
code=$?
# 1 is this shard's own SLA verdict; the merge Job gates on the union of all shards.
if [ "$code" -le 1 ]; then exit 0; fi
# Anything else (bad usage 2, interrupted 130): tell the merge Job not to wait for this shard.
echo "$code" > "$out/FAILED"
exit "$code"
`;

/**
 * What the merge pod runs: wait until every shard wrote its summary (or a FAILED marker: then
 * exit 2), then merge; its exit code is the gate's.
 */
const MERGE_SCRIPT = `set -u
dir="/results/$RUN_ID"
finished() { ls "$dir"/shard-*/*.json "$dir"/shard-*/FAILED 2>/dev/null | wc -l; }
until [ "$(finished)" -ge "$SHARDS" ]; do sleep 5; done
if ls "$dir"/shard-*/FAILED >/dev/null 2>&1; then
  echo "loadgate: a shard failed before writing its summary:" "$dir"/shard-*/FAILED >&2
  exit 2
fi
exec deno run --allow-read=/results --allow-write=/results "$LOADGATE_MAIN" \\
  merge "$dir"/shard-* --out "$dir/merged" "$@"
`;

type Obj = Record<string, unknown>;

function names(plan: K8sPlan) {
  return {
    pvc: `${plan.name}-results`,
    config: `${plan.name}-config`,
    shards: `${plan.name}-shards`,
    merge: `${plan.name}-merge`,
  };
}

function metadata(plan: K8sPlan, name: string, component: string): Obj {
  return {
    name,
    ...(plan.namespace ? { namespace: plan.namespace } : {}),
    labels: {
      "app.kubernetes.io/name": "loadgate",
      "app.kubernetes.io/component": component,
      "loadgate.dev/run": plan.runId,
    },
  };
}

/** The shard pods' secrets: each from the Secret, never in the ConfigMap or the arguments. */
function secretEnv(plan: K8sPlan): Obj[] {
  const apiKey = plan.secrets.find((s) => s.key === "api-key");
  return [
    {
      name: "LOADGATE_ALLOW_ENV",
      value: ["JOB_COMPLETION_INDEX", ...(apiKey ? [apiKey.env] : [])].join(","),
    },
    ...plan.secrets.map((s) => ({
      name: s.env,
      valueFrom: {
        secretKeyRef: {
          name: `${plan.name}-secrets`,
          key: s.key,
          ...(s.optional ? { optional: true } : {}),
        },
      },
    })),
  ];
}

/** The environment both pods share: where loadgate is, the run, the shard count, the start. */
function env(plan: K8sPlan): Obj[] {
  const fromConfig = (name: string, key: string): Obj => ({
    name,
    valueFrom: { configMapKeyRef: { name: names(plan).config, key } },
  });
  return [
    { name: "LOADGATE_MAIN", value: plan.main },
    { name: "RUN_ID", value: plan.runId },
    { name: "TARGET_HOST", value: plan.targetHost },
    fromConfig("SHARDS", "shards"),
    fromConfig("START_AT", "start-at"),
    { name: "NO_COLOR", value: "1" },
  ];
}

function volumes(plan: K8sPlan): Obj[] {
  return [
    { name: "results", persistentVolumeClaim: { claimName: names(plan).pvc } },
    { name: "config", configMap: { name: names(plan).config } },
  ];
}

const MOUNTS = [
  { name: "results", mountPath: "/results" },
  { name: "config", mountPath: "/config", readOnly: true },
];

function container(plan: K8sPlan, script: string, args: string[], resources: Obj): Obj {
  return {
    name: "loadgate",
    image: plan.image,
    command: ["sh", "-c", script, "loadgate"],
    args,
    env: env(plan),
    resources: { requests: resources },
    volumeMounts: MOUNTS,
  };
}

/** The shards' Indexed Job: completions = parallelism = N, no retry, pods spread over nodes. */
function shardJob(plan: K8sPlan): Obj {
  const meta = metadata(plan, names(plan).shards, "shard");
  const counts = { completionMode: "Indexed", completions: plan.shards, parallelism: plan.shards };
  return job(plan, meta, counts, {
    labels: meta.labels as Obj,
    spec: {
      containers: [{
        ...container(plan, SHARD_SCRIPT, plan.runArgs, plan.resources),
        env: [...env(plan), ...secretEnv(plan)],
      }],
      volumes: volumes(plan),
      // One client machine runs out first: spread the shards over nodes when possible.
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "loadgate.dev/run": plan.runId } },
      }],
    },
  });
}

function mergeJob(plan: K8sPlan): Obj {
  const meta = metadata(plan, names(plan).merge, "merge");
  return job(plan, meta, { completions: 1, parallelism: 1 }, {
    labels: { ...(meta.labels as Obj), "loadgate.dev/run": `${plan.runId}-merge` },
    spec: {
      containers: [
        container(plan, MERGE_SCRIPT, plan.mergeArgs, { cpu: "500m", memory: "512Mi" }),
      ],
      volumes: volumes(plan),
    },
  });
}

/** A Job of the run: `counts`, no retry, the run's deadline, pods that never restart. */
function job(plan: K8sPlan, meta: Obj, counts: Obj, pod: { labels: Obj; spec: Obj }): Obj {
  return resource("batch/v1", "Job", meta, {
    spec: {
      ...counts,
      backoffLimit: 0,
      activeDeadlineSeconds: plan.deadlineS,
      template: {
        metadata: { labels: pod.labels },
        spec: { restartPolicy: "Never", ...pod.spec },
      },
    },
  });
}

/** The ConfigMap: the arguments a shard runs, the merge's, the start, the shard count, the dataset. */
function configMap(plan: K8sPlan): Obj {
  return resource("v1", "ConfigMap", metadata(plan, names(plan).config, "config"), {
    data: {
      shards: String(plan.shards),
      "start-at": plan.startAt,
      "run-args.json": JSON.stringify(["run", ...plan.runArgs]),
      "merge-args.json": JSON.stringify(["merge", ...plan.mergeArgs]),
      ...(plan.dataset === null ? {} : { "dataset.jsonl": plan.dataset }),
    },
  });
}

function volumeClaim(plan: K8sPlan): Obj {
  return resource("v1", "PersistentVolumeClaim", metadata(plan, names(plan).pvc, "results"), {
    spec: {
      accessModes: ["ReadWriteMany"],
      resources: { requests: { storage: plan.storage } },
      ...(plan.storageClass ? { storageClassName: plan.storageClass } : {}),
    },
  });
}

/** Every object, in the order to apply them. */
export function k8sObjects(plan: K8sPlan): Obj[] {
  return [volumeClaim(plan), configMap(plan), shardJob(plan), mergeJob(plan)];
}

/** A Kubernetes object: its API version, kind and metadata, then `body` (spec, data). */
function resource(apiVersion: string, kind: string, metadata: Obj, body: Obj): Obj {
  return { apiVersion, kind, metadata, ...body };
}
