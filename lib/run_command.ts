/**
 * `loadgate run`: one phase against any URL, with its CSV log, a summary JSON
 * and an SLA gate.
 *
 * @module
 */

import { choice, type FlagSpec, int, num, parseFlags, str, strList } from "./args.ts";
import type { ConnectionPolicy } from "./connection.ts";
import { ENGINE_NAMES, type EngineName } from "./engine.ts";
import { ExitCode, UsageError } from "./errors.ts";
import { writeJson } from "./gate.ts";
import { makeManifest } from "./manifest.ts";
import { runPhase } from "./phase.ts";
import { summarize } from "./stats.ts";
import { decide, evaluate, metricNames, thresholdsFor } from "./verdict.ts";
import { buildWorkload, type Workload, workloadFromBodies } from "./workload.ts";

/** Options of {@linkcode runCommand}. */
export interface RunCommandOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A fixed body (from --body), or null for the seeded workload. */
  body: string | null;
  seed: number;
  requests: number;
  concurrency: number;
  timeoutMs: number;
  policy: ConnectionPolicy;
  /** HTTP client: `fetch` (default) or the lean `h1` engine. */
  engine: EngineName;
  phase: string;
  outDir: string;
  sla: string[];
  maxErrorRate: number;
}

export const RUN_FLAGS: FlagSpec = {
  url: { type: "string" },
  method: { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  body: { type: "string" },
  seed: { type: "string" },
  requests: { type: "string", short: "n" },
  concurrency: { type: "string", short: "c" },
  "timeout-ms": { type: "string" },
  reuse: { type: "boolean" },
  "no-reuse": { type: "boolean" },
  engine: { type: "string" },
  phase: { type: "string" },
  out: { type: "string" },
  sla: { type: "string", multiple: true },
  "max-error-rate": { type: "string" },
  help: { type: "boolean", short: "h" },
};

export const RUN_HELP = `Usage: loadgate run --url URL [options]
  --url URL              target (http or https)
  --method M             HTTP method (default POST)
  -H, --header 'K: V'    request header, repeatable
  --body JSON|@FILE      request body for every request (default: the seeded workload)
  --seed N               workload seed when no --body (default 42)
  -n, --requests N       requests (default 100)
  -c, --concurrency C    concurrent workers (default 8)
  --timeout-ms MS        per-request timeout (default 30000)
  --reuse | --no-reuse   keep-alive pool (default) or a new connection per request
  --engine fetch|h1      HTTP client: Deno's fetch (default) or loadgate's lean HTTP/1.1
                         engine (http only; several times cheaper per request)
  --phase NAME           name written in the log (default run)
  --out DIR              output folder (default results/run)
  --sla EXPR             threshold, repeatable (default p95<=800)
  --max-error-rate R     failures allowed (default 0)`;

/** Parses `run` flags. Throws {@linkcode UsageError}. */
export function parseRunArgs(args: string[]): RunCommandOptions | "help" {
  const { values } = parseFlags(args, RUN_FLAGS);
  if (values.help) return "help";
  const url = parseTargetUrl(str(values, "url", ""));
  if (values.reuse && values["no-reuse"]) {
    throw new UsageError("Cannot use --reuse with --no-reuse");
  }
  const headers: Record<string, string> = {};
  for (const h of strList(values, "header")) {
    const i = h.indexOf(":");
    if (i <= 0) throw new UsageError(`Cannot parse --header: "${h}" is not NAME: VALUE`);
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  const options: RunCommandOptions = {
    url,
    method: str(values, "method", "POST").toUpperCase(),
    headers,
    body: values.body === undefined ? null : str(values, "body", ""),
    seed: int(values, "seed", 42, 0),
    requests: int(values, "requests", 100),
    concurrency: int(values, "concurrency", 8),
    timeoutMs: int(values, "timeout-ms", 30_000),
    policy: values["no-reuse"] ? "fresh" : "pooled",
    engine: choice(values, "engine", ENGINE_NAMES, "fetch"),
    phase: str(values, "phase", "run"),
    outDir: str(values, "out", "results/run"),
    sla: strList(values, "sla"),
    maxErrorRate: num(values, "max-error-rate", 0, true),
  };
  if (options.engine === "h1" && !url.startsWith("http:")) {
    throw new UsageError(`Cannot use --engine h1 with "${url}": it speaks plain http only`);
  }
  if (!/^[A-Z]+$/.test(options.method)) {
    throw new UsageError(`Cannot parse --method: "${options.method}"`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(options.phase)) {
    throw new UsageError(`Cannot parse --phase: "${options.phase}" (letters, digits, _ . - only)`);
  }
  thresholdsFor(options.sla, options.maxErrorRate, metricNames(summarize([])));
  if (!("content-type" in headers) && options.method !== "GET") {
    headers["content-type"] = "application/json";
  }
  return options;
}

/** Checks a target URL: absolute, http or https. */
export function parseTargetUrl(text: string): string {
  if (text === "") {
    throw new UsageError("Missing --url (for example --url http://127.0.0.1:8000/v1/infer)");
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Cannot parse --url: "${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `Cannot parse --url: "${text}" has scheme ${url.protocol} (use http or https)`,
    );
  }
  return url.href;
}

async function workloadFor(options: RunCommandOptions): Promise<Workload> {
  if (options.body === null) {
    return await buildWorkload({ seed: options.seed, requests: options.requests });
  }
  let text = options.body;
  if (text.startsWith("@")) {
    try {
      text = await Deno.readTextFile(text.slice(1));
    } catch (err) {
      throw new UsageError(
        `Cannot read --body file "${text.slice(1)}": ${err instanceof Error ? err.message : err}`,
      );
    }
  }
  return await workloadFromBodies([new TextEncoder().encode(text)]);
}

/** Runs one phase against `options.url`; returns the exit code. */
export async function runCommand(
  options: RunCommandOptions,
  io: { out: (line: string) => void; err: (line: string) => void; stop: AbortSignal },
): Promise<number> {
  const workload = await workloadFor(options);
  const logPath = `${options.outDir}/${options.phase}.csv`;
  io.err(
    `${options.phase}: ${options.requests} requests, ${options.concurrency} concurrent, ${options.policy} connections -> ${options.url}`,
  );
  const outcome = await runPhase({ ...options, workload, logPath, stop: io.stop });
  const summary = outcome.summary;
  const thresholds = thresholdsFor(options.sla, options.maxErrorRate, metricNames(summary));
  const results = evaluate(thresholds, summary);
  const verdict = decide(results, {});
  const interrupted = outcome.run.interrupted;
  await writeJson(`${options.outDir}/${options.phase}.json`, {
    phase: options.phase,
    log: `${options.phase}.csv`,
    url: options.url,
    connection: options.policy,
    engine: options.engine,
    interrupted,
    load: outcome.load,
    summary,
    sla: { thresholds: results },
    sla_met: results.every((r) => r.pass),
    verdict: interrupted ? "interrupted" : verdict.pass ? "pass" : "fail",
    reasons: verdict.reasons,
    manifest: makeManifest({
      command: "run",
      seed: workload.seed,
      workload_digest: workload.digest,
    }),
  });
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  io.out(
    `${options.phase}: ${summary.requests} requests, ${summary.ok} ok, ${summary.failed} failed; ` +
      `p50 ${f(summary.p50)} ms, p95 ${f(summary.p95)} ms, p99 ${f(summary.p99)} ms, ${
        f(summary.throughput)
      } req/s`,
  );
  for (const r of results) {
    io.out(`SLA ${r.expr}: ${r.pass ? "pass" : "FAIL"} (${r.actual ?? "-"})`);
  }
  io.out(`wrote ${logPath} and ${options.outDir}/${options.phase}.json`);
  if (interrupted) return ExitCode.Interrupted;
  return verdict.pass ? ExitCode.Pass : ExitCode.Fail;
}
