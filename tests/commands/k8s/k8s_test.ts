import assert from "node:assert/strict";
import { k8sCommand, type K8sOptions, k8sPlan } from "../../../lib/commands/k8s/command.ts";
import { parseK8sArgs } from "../../../lib/commands/k8s/flags.ts";
import { k8sObjects } from "../../../lib/commands/k8s/manifests.ts";
import { toYamlDocuments } from "../../../lib/commands/k8s/yaml.ts";
import { UsageError } from "../../../lib/base/errors.ts";
import { readYamlDocuments, validateManifest } from "../../_k8s_schema.ts";
import { runMain } from "../../_helpers.ts";

const NOW = Date.parse("2026-12-01T22:00:00.400Z");
const RUN = ["run", "--url", "http://infer.svc:8000/v1/infer", "-n", "1000", "-c", "16"];
const BASE = ["--shards", "4", "--main-url", "https://example.org/loadgate/v0.1.0/main.ts"];

function options(args: string[]): K8sOptions {
  const o = parseK8sArgs(args);
  assert.ok(o !== "help");
  return o;
}

function objects(args: string[], dataset: string | null = null) {
  return k8sObjects(k8sPlan(options(args), { dataset, nowMs: NOW, denoVersion: "2.9.6" }));
}

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("k8s writes a PVC, a ConfigMap and two Jobs that Kubernetes' schemas accept", () => {
  const objs = objects([...BASE, "--", ...RUN, "--sla", "p95<=300"]);
  assert.deepEqual(objs.map((o) => o.kind), ["PersistentVolumeClaim", "ConfigMap", "Job", "Job"]);
  for (const o of objs) validateManifest(o);
  const yaml = toYamlDocuments(objs);
  assert.deepEqual(readYamlDocuments(yaml), objs, "the YAML reads back as the same objects");
});

Deno.test("the shards' Job is Indexed, N completions and pods, no retry, with resource requests", () => {
  const [pvc, config, shards, merge] = objects([
    ...BASE,
    "--cpu",
    "2",
    "--memory",
    "512Mi",
    "--",
    ...RUN,
    "--sla",
    "p95<=300",
    "--max-error-rate=0.01",
  ]) as Any[];
  assert.deepEqual(pvc.spec.accessModes, ["ReadWriteMany"]);
  const spec = shards.spec;
  assert.deepEqual(
    [spec.completionMode, spec.completions, spec.parallelism, spec.backoffLimit],
    ["Indexed", 4, 4, 0],
  );
  const pod = spec.template.spec;
  assert.equal(pod.restartPolicy, "Never");
  assert.deepEqual(pod.containers[0].resources.requests, { cpu: "2", memory: "512Mi" });
  assert.equal(pod.containers[0].image, "denoland/deno:2.9.6");
  assert.deepEqual(
    pod.containers[0].args,
    RUN.slice(1).concat(["--sla", "p95<=300", "--max-error-rate", "0.01"]),
  );
  const script: string = pod.containers[0].command[2];
  assert.match(script, /--shard "\$SHARDS" --start-at "\$START_AT" --out "\$out"/);
  assert.match(script, /--allow-net="\$TARGET_HOST"/);
  const env = Object.fromEntries(
    pod.containers[0].env.map((e: Any) => [e.name, e.value ?? e.valueFrom]),
  );
  assert.equal(env.TARGET_HOST, "infer.svc:8000");
  assert.equal(env.LOADGATE_MAIN, "https://example.org/loadgate/v0.1.0/main.ts");
  assert.equal(config.data["start-at"], "2026-12-01T22:02:01Z", "120 s ahead, on a whole second");
  assert.equal(config.data.shards, "4");
  assert.deepEqual(JSON.parse(config.data["run-args.json"]), ["run", ...pod.containers[0].args]);
  assert.deepEqual(merge.spec.template.spec.containers[0].args, [
    "--sla",
    "p95<=300",
    "--max-error-rate",
    "0.01",
  ]);
  assert.match(merge.spec.template.spec.containers[0].command[2], /merge "\$dir"\/shard-\*/);
});

Deno.test("k8s puts the dataset in the ConfigMap and points the pods at it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dataset = `${dir}/prompts.jsonl`;
    await Deno.writeTextFile(dataset, '{"prompt":"hi"}\n{"prompt":"yes: no"}\n');
    const lines: string[] = [];
    const code = await k8sCommand(
      options([
        ...BASE,
        "--image",
        "reg.example/loadgate:1",
        "--out",
        dir,
        "--",
        ...RUN,
        "--dataset",
        dataset,
      ]),
      { out: (l) => lines.push(l), nowMs: NOW, denoVersion: "2.9.6" },
    );
    assert.equal(code, 0);
    const objs = readYamlDocuments(await Deno.readTextFile(`${dir}/loadgate.yaml`)) as Any[];
    for (const o of objs) validateManifest(o);
    assert.equal(objs[1].data["dataset.jsonl"], '{"prompt":"hi"}\n{"prompt":"yes: no"}\n');
    const args: string[] = objs[2].spec.template.spec.containers[0].args;
    assert.equal(args[args.indexOf("--dataset") + 1], "/config/dataset.jsonl");
    assert.equal(objs[2].spec.template.spec.containers[0].image, "reg.example/loadgate:1");
    assert.ok(lines.some((l) => l.includes("kubectl apply -f")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("k8s --image with --main-url says both are used: the image runs that main.ts", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    const main = "https://example.com/loadgate/v1/main.ts";
    await k8sCommand(
      options([
        ...BASE,
        "--image",
        "reg.example/deno:2",
        "--main-url",
        main,
        "--out",
        dir,
        "--",
        ...RUN,
      ]),
      { out: (l) => lines.push(l), nowMs: NOW, denoVersion: "2.9.6" },
    );
    assert.ok(lines.includes(`pods: image reg.example/deno:2 runs ${main}`), lines.join("\n"));
    const objs = readYamlDocuments(await Deno.readTextFile(`${dir}/loadgate.yaml`)) as Any[];
    const container = objs[2].spec.template.spec.containers[0];
    assert.equal(container.image, "reg.example/deno:2");
    assert.ok(container.env.some((e: Any) => e.name === "LOADGATE_MAIN" && e.value === main));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the schemas reject a broken manifest", () => {
  const [, , shards] = objects([...BASE, "--", ...RUN]) as Any[];
  const broken = structuredClone(shards);
  broken.spec.completions = "four";
  assert.throws(() => validateManifest(broken), /completions must be integer/);
  const noImage = structuredClone(shards);
  delete noImage.spec.template.spec.containers[0].name;
  assert.throws(() => validateManifest(noImage), /name/);
  assert.throws(() => readYamlDocuments("a: [1\n"), Error);
});

Deno.test("k8s refuses bad usage before writing anything", () => {
  const cases: [string[], RegExp][] = [
    [["--main-url", "https://e.org/main.ts", "--", ...RUN], /Missing --shards/],
    [["--shards", "4", "--", ...RUN], /Missing --main-url/],
    [[...BASE], /give the run after --/],
    [[...BASE, "--", "job"], /give the run after --/],
    [[...BASE, "--", ...RUN, "--out", "x"], /Cannot use --out after --/],
    [[...BASE, "--", ...RUN, "--bogus"], /bogus/],
    [[...BASE, "--", "run", "--url", "http://h/", "-c", "2"], /--concurrency 2 over 4 shards/],
    [[...BASE, "--name", "Bad_Name", "--", ...RUN], /--name/],
    [[...BASE, "--cpu", "lots", "--", ...RUN], /--cpu/],
    [[...BASE, "--", ...RUN, "--body", "@x.json"], /--body @FILE/],
    [["--shards", "4", "--main-url", "ftp://x/main.ts", "--", ...RUN], /--main-url/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => k8sPlan(options(args), { dataset: null, nowMs: NOW, denoVersion: "2.9.6" }),
      (err: unknown) => err instanceof UsageError && message.test(err.message),
      args.join(" "),
    );
  }
});

Deno.test("loadgate k8s writes loadgate.yaml, and exits 2 on a bad run flag without writing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const perms = [`--allow-read=${dir}`, `--allow-write=${dir}`];
    const ok = await runMain(["k8s", ...BASE, "--out", dir, "--", ...RUN], perms);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*loadgate\.yaml: 4 shards starting together at/);
    for (const o of readYamlDocuments(await Deno.readTextFile(`${dir}/loadgate.yaml`))) {
      validateManifest(o);
    }
    const bad = await runMain(
      ["k8s", ...BASE, "--out", `${dir}/b`, "--", ...RUN, "-c", "0"],
      perms,
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^loadgate: Cannot parse --concurrency/);
    await assert.rejects(() => Deno.stat(`${dir}/b/loadgate.yaml`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
