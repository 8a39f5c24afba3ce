/**
 * A local stand-in for the kubelet, for the simulator test: it turns the
 * container of a generated Job into the process a pod would run, with the
 * environment Kubernetes gives it (the container's env, values from the
 * ConfigMap, `JOB_COMPLETION_INDEX`), `/results` and `/config` mapped to local
 * folders. It reads the `deno run` line of the container's script, so the
 * pod's arguments and permissions are the ones tested. Not a test file.
 */

type Obj = Record<string, unknown>;
// deno-lint-ignore no-explicit-any
type Any = any;

/** The objects of a `loadgate k8s` YAML, by kind and component. */
export interface Manifests {
  config: Record<string, string>;
  shardJob: Any;
  mergeJob: Any;
}

/** Finds the ConfigMap and the two Jobs among `objects`. */
export function manifestsOf(objects: Obj[]): Manifests {
  const byComponent = (c: string): Any =>
    objects.find((o) => (o as Any).metadata?.labels?.["app.kubernetes.io/component"] === c);
  return {
    config: byComponent("config").data,
    shardJob: byComponent("shard"),
    mergeJob: byComponent("merge"),
  };
}

/** The container's environment as the kubelet sets it (ConfigMap keys resolved). */
export function podEnv(
  container: Any,
  config: Record<string, string>,
  secret: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env as Any[]) {
    const fromSecret = e.valueFrom?.secretKeyRef;
    if (fromSecret !== undefined) {
      if (fromSecret.key in secret) env[e.name] = secret[fromSecret.key]!;
      else if (!fromSecret.optional) throw new Error(`the Secret has no key ${fromSecret.key}`);
      continue;
    }
    const key = e.valueFrom?.configMapKeyRef?.key;
    env[e.name] = key === undefined ? e.value : config[key]!;
  }
  return env;
}

/** A container's args as the kubelet passes them: `$(VAR)` replaced from the pod's `env`. */
export function podArgv(args: string[], env: Record<string, string>): string[] {
  return args.map((a) =>
    a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m)
  );
}

/**
 * The argv of the `deno run` (or `exec deno run`) line of `script`, its shell
 * variables expanded from `vars`, `"$@"` replaced by `args`, `pattern/*`
 * globs by `glob`, and `/results`, `/config` moved under `root`.
 */
export function denoLine(
  script: string,
  o: { vars: Record<string, string>; args: string[]; root: string; glob?: string[] },
): string[] {
  const vars = { ...o.vars };
  const expand = (t: string) =>
    t.replace(/"/g, "").replace(/\$\{?([A-Za-z_]+)\}?/g, (_, v: string) => {
      if (!(v in vars)) throw new Error(`the pod's script uses $${v}, which is not set`);
      return vars[v]!;
    });
  const lines = script.replace(/\\\n\s*/g, " ").split("\n").map((l) => l.trim());
  for (const l of lines) {
    const assign = /^([a-z_]+)=(\S+)$/.exec(l);
    if (assign) vars[assign[1]!] = expand(assign[2]!);
  }
  const line = lines.find((l) => /^(exec )?deno run /.test(l));
  if (line === undefined) throw new Error("no deno run line in the pod's script");
  const local = (t: string) => t.replace(/(^|[=,])\/(results|config)\b/g, `$1${o.root}/$2`);
  const argv: string[] = [];
  for (const token of line.replace(/^exec /, "").split(/\s+/).slice(1)) {
    if (token === '"$@"') argv.push(...o.args);
    else if (token.endsWith("/shard-*")) argv.push(...(o.glob ?? []));
    else argv.push(local(expand(token)));
  }
  return argv;
}

/** Runs `deno` with `argv` and `env` (besides this process's); returns the exit code and output. */
export async function runPod(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: argv,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
