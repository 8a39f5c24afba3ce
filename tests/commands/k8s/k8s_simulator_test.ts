/**
 * The Kubernetes run simulated on this machine: `k8s` writes the manifests,
 * then each pod of the Indexed Job runs as a local process, started the way
 * the kubelet would (the container's script's `deno run` line and
 * permissions, its env and ConfigMap values, `JOB_COMPLETION_INDEX`), against
 * the stub, and the merge pod's command merges them. No cluster runs here.
 */
import assert from "node:assert/strict";
import { k8sCommand } from "../../../lib/commands/k8s/command.ts";
import { mergeCommand, mergeThresholds } from "../../../lib/commands/merge/command.ts";
import { parseK8sArgs } from "../../../lib/commands/k8s/flags.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import { startStubProcess } from "../../../lib/stub/spawn.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import { readYamlDocuments } from "../../_k8s_schema.ts";
import { denoLine, manifestsOf, podEnv, runPod } from "../../_kubelet.ts";
import { missingTool, NUMPY_PROBE, PYTHON } from "../../_tools.ts";
import { MAIN } from "../../_helpers.ts";

const SHARDS = 3;
const RUN = ["-n", "300", "-c", "6", "--sla", "p95<=5000", "-q"];

const NUMPY = `
import csv, json, sys
import numpy as np
lat = []
for path in sys.argv[2:]:
    with open(path, newline="") as f:
        lat += [float(r["latency_ms"]) for r in csv.DictReader(f) if r["warmup"] != "true"]
print(json.dumps({"n": len(lat), **{f"p{p}": float(np.percentile(np.array(lat), p)) for p in (50, 95, 99)}}))
`;
const noNumpy = await missingTool("k8s_simulator_test", "python3 with numpy", PYTHON, [
  ...NUMPY_PROBE,
]);

// deno-lint-ignore no-explicit-any
type Any = any;

/** A request as the merge must reproduce it: id, input digest, output digest. */
const key = (s: Sample) => `${s.requestId} ${s.inputSha256} ${s.outputSha256}`;
const measured = async (path: string) =>
  (await readLog(path)).filter((s) => s.warmup !== true).map(key).sort();

Deno.test("k8s's Indexed Job run as local pods against the stub merges exactly, and merge catches broken shards", async (t) => {
  await Deno.mkdir("results", { recursive: true });
  const root = await Deno.realPath(await Deno.makeTempDir({ dir: "results", prefix: "k8s_sim_" }));
  const stub = await startStubProcess(["--mode", "concurrent", "--service-ms", "2:8"]);
  try {
    // 1. The manifests, as a user writes them; the shards start 3 s after they are written.
    const k8sArgs = ["--shards", String(SHARDS), "--main-url", "https://example.org/v1/main.ts"];
    const options = parseK8sArgs([
      ...k8sArgs,
      "--start-in",
      "3",
      "--out",
      root,
      "--",
      "run",
      "--url",
      stub.url,
      ...RUN,
    ]);
    assert.ok(options !== "help");
    await k8sCommand(options, { out: () => {}, nowMs: Date.now(), denoVersion: "2" });
    const m = manifestsOf(readYamlDocuments(await Deno.readTextFile(`${root}/loadgate.yaml`)));
    const container = m.shardJob.spec.template.spec.containers[0];
    const script: string = container.command[2];
    assert.match(script, /--allow-env="\$LOADGATE_ALLOW_ENV"/);
    assert.deepEqual(JSON.parse(m.config["run-args.json"]!), ["run", ...container.args]);
    const env = podEnv(container, m.config);
    assert.equal(env.LOADGATE_ALLOW_ENV, "JOB_COMPLETION_INDEX", "no API key: no other variable");
    const pod = (
      index: number,
      over: { args?: string[]; startAt?: string; runId?: string } = {},
    ) => {
      const vars = {
        ...env,
        JOB_COMPLETION_INDEX: String(index),
        LOADGATE_MAIN: MAIN,
        ...(over.startAt ? { START_AT: over.startAt } : {}),
        ...(over.runId ? { RUN_ID: over.runId } : {}),
      };
      const argv = denoLine(script, { vars, args: over.args ?? container.args, root });
      return runPod(argv, { ...vars });
    };
    const runDir = `${root}/results/${env.RUN_ID}`;
    const shardDirs = Array.from({ length: SHARDS }, (_, i) => `${runDir}/shard-${i}`);
    for (const d of shardDirs) await Deno.mkdir(d, { recursive: true }); // the script's mkdir -p

    // 2. The Indexed Job: N pods at once, each with its index.
    const pods = await Promise.all(shardDirs.map((_, i) => pod(i)));
    for (const [i, p] of pods.entries()) assert.ok(p.code <= 1, `shard ${i}: ${p.stderr}`);

    // 3. The same workload in one process, for the request set and the P95 beside the merged one.
    await Deno.mkdir(`${root}/single`);
    const single = await runPod(
      [
        "run",
        "--allow-net=127.0.0.1",
        `--allow-write=${root}`,
        MAIN,
        "run",
        "--url",
        stub.url,
        ...RUN,
        "--out",
        `${root}/single`,
      ],
      {},
    );
    assert.ok(single.code <= 1, single.stderr);

    // 4. The merge Job's command over the shards' folders; its exit code is the gate's.
    const mergeContainer = m.mergeJob.spec.template.spec.containers[0];
    const mergeArgv = denoLine(mergeContainer.command[2], {
      vars: { ...podEnv(mergeContainer, m.config), LOADGATE_MAIN: MAIN },
      args: mergeContainer.args,
      root,
      glob: shardDirs,
    });
    const merge = await runPod(mergeArgv, {});
    assert.equal(merge.code, 0, merge.stdout + merge.stderr);
    const merged = JSON.parse(await Deno.readTextFile(`${runDir}/merged/merged.json`));
    for (const [name, c] of Object.entries(merged.checks as Record<string, Any>)) {
      assert.ok(c.ok && c.made, `check ${name}: ${c.detail}`);
    }
    assert.deepEqual(
      await measured(`${runDir}/merged/merged.csv`),
      await measured(`${root}/single/run.csv`),
      "the shards together sent exactly the single run's requests",
    );
    const singleJson = JSON.parse(await Deno.readTextFile(`${root}/single/run.json`));
    const shardJson = JSON.parse(await Deno.readTextFile(`${shardDirs[1]}/run.json`));
    assert.deepEqual(shardJson.load, singleJson.load, "a shard records the whole run's load");
    console.log(
      `k8s_simulator_test: ${SHARDS} shards, ${merged.summary.requests} requests, start skew ` +
        `${merged.merge.skew_ms} ms (offsets ${
          merged.merge.shards.map((s: Any) => s.start.offset_ms).join(", ")
        } ms); merged p95 ${merged.summary.p95.toFixed(2)} ms, single-process p95 ${
          singleJson.summary.p95.toFixed(2)
        } ms`,
    );

    await t.step({
      name: "the merged P50/P95/P99 equal numpy's over the shards' logs concatenated",
      ignore: noNumpy !== undefined,
      fn: async () => {
        const out = await new Deno.Command(PYTHON, {
          args: ["-c", NUMPY, "x", ...shardDirs.map((d) => `${d}/run.csv`)],
        }).output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
        const numpy = JSON.parse(new TextDecoder().decode(out.stdout));
        assert.equal(merged.summary.requests, numpy.n);
        for (const p of ["p50", "p95", "p99"]) {
          assert.ok(
            Math.abs(merged.summary[p] - numpy[p]) <= 1e-9,
            `${p}: ${merged.summary[p]} vs ${numpy[p]}`,
          );
        }
      },
    });

    await t.step(
      "merge catches a missing shard, a duplicated one, another workload, a late start",
      async () => {
        const other = `${runDir}-other/shard-1`;
        const late = `${runDir}-late/shard-2`;
        await Deno.mkdir(other, { recursive: true });
        await Deno.mkdir(late, { recursive: true });
        // Pod 1 again with another seed; pod 2 again told to start 3 s ago (it starts at once, late).
        const [o, l] = await Promise.all([
          pod(1, { args: [...container.args, "--seed", "7"], runId: `${env.RUN_ID}-other` }),
          pod(2, {
            startAt: new Date(Date.now() - 3000).toISOString(),
            runId: `${env.RUN_ID}-late`,
          }),
        ]);
        assert.ok(o.code <= 1 && l.code <= 1, o.stderr + l.stderr);
        const cases: [string, string[], string, number][] = [
          ["missing", [shardDirs[0]!, shardDirs[2]!], "shards_present", 1],
          ["duplicated", [...shardDirs, shardDirs[1]!], "shards_present", 1],
          ["other workload", [shardDirs[0]!, other, shardDirs[2]!], "same_workload", 1],
          ["late start", [shardDirs[0]!, shardDirs[1]!, late], "start_skew", 0],
        ];
        for (const [what, dirs, check, code] of cases) {
          const outDir = `${root}/case-${what.replace(" ", "-")}`;
          await Deno.mkdir(outDir);
          const lines: string[] = [];
          const errs: string[] = [];
          const exit = await mergeCommand(
            {
              dirs,
              outDir,
              phase: "merged",
              thresholds: mergeThresholds(["p95<=5000"], 0),
              maxSkewMs: 500,
            },
            { out: (s) => lines.push(s), err: (s) => errs.push(s) },
          );
          assert.equal(exit, code, `${what}: ${lines.join("\n")}`);
          if (code === 1) {
            // Not one run's shards, each once: refused, one line naming the check, nothing written.
            assert.match(errs.join("\n"), new RegExp(`check ${check} failed`), what);
            assert.deepEqual([...Deno.readDirSync(outDir)], [], `${what}: nothing written`);
            continue;
          }
          const c = JSON.parse(await Deno.readTextFile(`${outDir}/merged.json`)).checks[check];
          assert.match(c.detail, /warning: above 500 ms/, `${what}: ${c.detail}`);
        }
      },
    );
  } finally {
    await stub.stop();
    await Deno.remove(root, { recursive: true });
  }
});
