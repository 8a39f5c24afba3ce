/** Shared test helpers: sample builders and paths. Not a test file itself. */
import assert from "node:assert/strict";
import type { Sample } from "../lib/stats/sample.ts";
import { readLog } from "../lib/log/csv/log.ts";
import { type PhaseOptions, runPhase } from "../lib/load/phase_runner.ts";
import { closedLoop } from "../lib/load/closed_loop.ts";
import { openFetchEngine } from "../lib/load/fetch_engine.ts";
import { DEFAULT_MAX_RESPONSE, type RequestSpec } from "../lib/load/measure.ts";
import type { PaceResult } from "../lib/load/pacer.ts";
import { buildWorkload } from "../lib/workload/workload.ts";
import type { OpenAiRoutesOptions } from "../lib/stub/openai/routes.ts";
import type { InferenceModelOptions } from "../lib/stub/inference_model.ts";

/** A closed loop's requests: what each sends (body limit and streaming defaulted), count, workers. */
export interface RunOptions extends Omit<RequestSpec, "maxResponseBytes" | "stream"> {
  maxResponseBytes?: number;
  stream?: boolean;
  requests: number;
  concurrency: number;
  stop?: AbortSignal;
}

/** The request spec of `o`, with the defaults filled in. */
export function requestOf(o: RunOptions): RequestSpec {
  return {
    ...o,
    maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE,
    stream: o.stream ?? false,
  };
}

/** Runs `o` in a closed loop through the fetch engine over `deps.fetch`. */
export function runClosedFetch(
  o: RunOptions,
  deps: {
    fetch: (url: string, init: RequestInit) => Promise<Response>;
    now: () => number;
    onSample: (s: Sample) => void;
  },
): Promise<PaceResult> {
  const engine = openFetchEngine(requestOf(o), deps);
  return closedLoop({ requests: o.requests, concurrency: o.concurrency, durationMs: null })({
    engine,
    now: deps.now,
    onSample: deps.onSample,
    ...(o.stop ? { stop: o.stop } : {}),
  }).finally(() => engine.close());
}

/** A sample with sensible defaults; override what the test is about. */
export function makeSample(over: Partial<Sample> = {}): Sample {
  const id = over.requestId ?? 0;
  return {
    phase: "baseline",
    requestId: id,
    inputSha256: id.toString(16).padStart(64, "0"),
    sentMs: id * 10,
    headersMs: 4,
    latencyMs: 5,
    status: 200,
    ok: true,
    error: "",
    bytesIn: 100,
    outputSha256: (id + 1000).toString(16).padStart(64, "0"),
    serverQueueMs: 0,
    serverInferMs: 3,
    connId: "50000",
    ...over,
  };
}

/** Absolute path of main.ts in this checkout. */
export const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** Runs main.ts with `args` under `deno run`, with the given permission flags and extra env. */
export async function runMain(
  args: string[],
  perms: string[] = ["--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-run"],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...perms, MAIN, ...args],
    stdin: "null",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Runner options against a port where nothing listens, with a seeded workload of
 * `base.requests` bodies; override what the test is about.
 */
export async function runOptions(
  base: { seed: number; requests: number; timeoutMs: number },
  over: Partial<RunOptions> = {},
): Promise<RunOptions> {
  return {
    phase: "t",
    url: "http://127.0.0.1:9/v1/infer",
    method: "POST",
    headers: { "content-type": "application/json" },
    workload: await buildWorkload({ seed: base.seed, requests: base.requests }),
    requests: base.requests,
    concurrency: 3,
    timeoutMs: base.timeoutMs,
    ...over,
  };
}

/** The columns that must not depend on the client: all but times and connection ids. */
export function stable(s: Sample): Record<string, unknown> {
  return {
    phase: s.phase,
    requestId: s.requestId,
    inputSha256: s.inputSha256,
    status: s.status,
    ok: s.ok,
    error: s.error,
    bytesIn: s.bytesIn,
    outputSha256: s.outputSha256,
    serverQueueMs: s.serverQueueMs,
    serverInferMs: s.serverInferMs,
    chunks: s.stream?.chunks,
    tokens: s.stream?.tokens,
    itlCount: s.stream?.itlMs.length,
    ttftMeasured: s.stream === undefined ? undefined : s.stream.ttftMs !== null,
  };
}

/** A response whose body delivers `parts`, one a read. */
export function streamed(parts: string[]): Response {
  const enc = new TextEncoder();
  let i = 0;
  return new Response(
    new ReadableStream({
      pull(c) {
        if (i < parts.length) c.enqueue(enc.encode(parts[i++]));
        else c.close();
      },
    }),
  );
}

/**
 * Runs the same closed-loop phase (a seeded workload, every request expected ok) through each
 * engine against `url`; returns each engine's log read back, by request id.
 */
export async function logsByEngine(url: string, o: {
  seed: number;
  requests: number;
  concurrency: number;
  timeoutMs: number;
  stream?: boolean;
  policy?: "fresh" | "pooled";
  extended?: boolean;
  extra?: Partial<PhaseOptions>;
}): Promise<Record<"fetch" | "h1", Sample[]>> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_engines_" });
  const workload = await buildWorkload({ seed: o.seed, requests: o.requests });
  const logs: Partial<Record<"fetch" | "h1", Sample[]>> = {};
  try {
    for (const engine of ["fetch", "h1"] as const) {
      const outcome = await runPhase({
        request: {
          phase: "same",
          url,
          method: "POST",
          headers: { "content-type": "application/json" },
          workload,
          timeoutMs: o.timeoutMs,
          maxResponseBytes: DEFAULT_MAX_RESPONSE,
          stream: o.stream ?? false,
        },
        plan: {
          kind: "closed",
          requests: o.requests,
          concurrency: o.concurrency,
          durationMs: null,
          warmup: 0,
        },
        policy: o.policy ?? "pooled",
        engine,
        log: { path: `${dir}/${engine}.csv`, extended: o.extended ?? false },
        keepSamples: false,
        ...o.extra,
      });
      assert.equal(outcome.store.summary().ok, o.requests, `${engine}: every request ok`);
      logs[engine] = (await readLog(`${dir}/${engine}.csv`)).sort((a, b) =>
        a.requestId - b.requestId
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return logs as Record<"fetch" | "h1", Sample[]>;
}

/**
 * The stub's OpenAI API serving `stub-model` with `outputTokens` (min, max) a request: by
 * default prefill 1 ms a prompt token, a decode step 10 ms, every sequence on its own
 * (`concurrent`, batches of 8 at no cost); `inference` changes any of these.
 */
export function openAiStubOptions(
  outputTokens: [number, number],
  inference: Partial<InferenceModelOptions> = {},
): OpenAiRoutesOptions {
  return {
    model: "stub-model",
    outputTokens,
    maxModelLen: 4096,
    inference: {
      mode: "concurrent",
      maxBatch: 8,
      prefillMsPerToken: 1,
      decodeMs: 10,
      batchCost: 0,
      kvCapacityTokens: 10_000,
      ...inference,
    },
  };
}
