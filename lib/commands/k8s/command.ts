/**
 * `loadgate k8s --shards N [options] -- run --url ... --sla ...`: writes the
 * Kubernetes manifests of a sharded run to one YAML file. The run's arguments
 * were checked as `run` checks them (lib/commands/k8s/flags.ts), so a bad flag fails
 * now (exit 2), not in N pods.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { writeText } from "../shared/write_text.ts";
import { closedLoopShare } from "../../load/shard.ts";
import { k8sObjects, type K8sPlan } from "./manifests.ts";
import { toYamlDocuments } from "./yaml.ts";
import type { PodArgs } from "./pod_args.ts";

export type { PodArgs, PodSecret } from "./pod_args.ts";

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
  /** The pods' and the merge's arguments, from {@linkcode runArgs}, checked as `run` checks them. */
  pod: PodArgs;
}

/** The most dataset bytes a ConfigMap holds here (Kubernetes allows 1 MiB in all). */
export const MAX_CONFIGMAP_DATASET = 900_000;

/** Builds the plan from options, the dataset's text and the time now. */
export function k8sPlan(
  options: K8sOptions,
  o: { dataset: string | null; nowMs: number; denoVersion: string },
): K8sPlan {
  const { run, merge, parsed } = options.pod;
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
    secrets: options.pod.secrets,
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
  const { datasetFile } = options.pod;
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
  await writeText(path, toYamlDocuments(k8sObjects(plan)));
  const ns = plan.namespace ? ` -n ${plan.namespace}` : "";
  io.out(
    `wrote ${path}: ${plan.shards} shards starting together at ${plan.startAt} (run ${plan.runId})`,
  );
  // Both flags given, both are used: say so, rather than leave one looking ignored.
  io.out(`pods: image ${plan.image} runs ${plan.main}`);
  if (plan.secrets.length > 0) {
    // The values stay out of every file: the Secret is made from the shell that holds them.
    const literals = plan.secrets.map((s) => `--from-literal=${s.key}="<${s.what}>"`);
    io.out(
      `first: kubectl${ns} create secret generic ${plan.name}-secrets ${literals.join(" ")}`,
    );
  }
  io.out(`next: kubectl${ns} apply -f ${path}`);
  io.out(
    `      kubectl${ns} wait --for=condition=complete --timeout=${plan.deadlineS}s job/${plan.name}-merge`,
  );
  io.out(`      kubectl${ns} logs job/${plan.name}-merge`);
  return 0;
}
