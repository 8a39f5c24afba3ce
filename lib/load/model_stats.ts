/**
 * The Open Inference Protocol's statistics extension
 * (`GET /v2/models/{name}[/versions/{v}]/stats`, Triton's shape): its
 * cumulative counters read, and the server-side split of a phase's latency
 * from their deltas, as perf_analyzer computes it: each part's total time
 * over its own count (queue, compute input, compute infer, compute output),
 * the request time (`success`) over the successes, and the rest of the
 * request time as server overhead.
 *
 * @module
 */

/** The counters summed over the model's versions in one read. */
export interface ModelCounters {
  success: Duration;
  fail: Duration;
  queue: Duration;
  compute_input: Duration;
  compute_infer: Duration;
  compute_output: Duration;
  /** Executions (batches) and inferences (batch rows). */
  executions: number;
  inferences: number;
}

interface Duration {
  count: number;
  ns: number;
}

const PARTS = [
  "success",
  "fail",
  "queue",
  "compute_input",
  "compute_infer",
  "compute_output",
] as const;

/** Types a stats answer; throws `TypeError` when it is not the extension's shape. */
export function parseModelStats(value: unknown): ModelCounters {
  const list = (value as { model_stats?: unknown } | null)?.model_stats;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError("it has no model_stats");
  const sum: ModelCounters = {
    success: { count: 0, ns: 0 },
    fail: { count: 0, ns: 0 },
    queue: { count: 0, ns: 0 },
    compute_input: { count: 0, ns: 0 },
    compute_infer: { count: 0, ns: 0 },
    compute_output: { count: 0, ns: 0 },
    executions: 0,
    inferences: 0,
  };
  for (const m of list) {
    const is = (m as { inference_stats?: Record<string, Duration> })?.inference_stats;
    if (typeof is !== "object" || is === null) {
      throw new TypeError("an entry has no inference_stats");
    }
    for (const p of PARTS) {
      // Counters are uint64, sent as JSON numbers (or strings by some servers' protobuf JSON).
      sum[p].count += Number(is[p]?.count ?? 0);
      sum[p].ns += Number(is[p]?.ns ?? 0);
    }
    sum.executions += Number((m as { execution_count?: unknown }).execution_count ?? 0);
    sum.inferences += Number((m as { inference_count?: unknown }).inference_count ?? 0);
  }
  return sum;
}

/** Reads the counters; null with why when the server does not offer them. */
export async function readModelStats(
  url: string,
  fetchFn: (u: string) => Promise<Response>,
): Promise<ModelCounters | string> {
  try {
    const res = await fetchFn(url);
    if (!res.ok) {
      await res.body?.cancel();
      return `GET ${url} answered HTTP ${res.status}`;
    }
    return parseModelStats(await res.json());
  } catch (err) {
    return `GET ${url}: ${err instanceof Error ? err.message.split("\n")[0] : err}`;
  }
}

/** The server-side split of a phase, per request on average, ms (the summary's `server_split`). */
export interface ServerSplit {
  source: "kserve-v2 statistics extension";
  /** Successful requests the server counted in the phase. */
  requests: number;
  failed: number;
  executions: number;
  /** Inferences (batch rows) per execution. */
  mean_batch: number | null;
  queue_ms: number | null;
  compute_input_ms: number | null;
  compute_infer_ms: number | null;
  compute_output_ms: number | null;
  /** The server's request time (`success.ns / success.count`). */
  request_ms: number | null;
  /** Request time not in queue or compute (HTTP handling, (de)serialization). */
  overhead_ms: number | null;
}

const ms = (d: Duration): number | null =>
  d.count > 0 ? Math.round(d.ns / d.count / 1000) / 1000 : null;

/** The split from two reads around a phase (the deltas of the cumulative counters). */
export function serverSplit(before: ModelCounters, after: ModelCounters): ServerSplit {
  const delta = (p: typeof PARTS[number]): Duration => ({
    count: after[p].count - before[p].count,
    ns: after[p].ns - before[p].ns,
  });
  const parts = {
    queue_ms: ms(delta("queue")),
    compute_input_ms: ms(delta("compute_input")),
    compute_infer_ms: ms(delta("compute_infer")),
    compute_output_ms: ms(delta("compute_output")),
  };
  const request = ms(delta("success"));
  const inside = Object.values(parts).reduce<number>((a, v) => a + (v ?? 0), 0);
  const executions = after.executions - before.executions;
  return {
    source: "kserve-v2 statistics extension",
    requests: delta("success").count,
    failed: delta("fail").count,
    executions,
    mean_batch: executions > 0
      ? Math.round((after.inferences - before.inferences) / executions * 1000) / 1000
      : null,
    ...parts,
    request_ms: request,
    overhead_ms: request === null ? null : Math.round((request - inside) * 1000) / 1000,
  };
}

/** One line for the terminal: the split beside the client's mean latency. */
export function serverSplitLine(s: ServerSplit, clientMeanMs: number | null): string {
  const f = (v: number | null) => (v === null ? "n/a" : v.toFixed(2));
  const client = clientMeanMs === null ? "" : `; client mean ${clientMeanMs.toFixed(2)} ms`;
  return `server split (stats extension, ${s.requests} requests, mean batch ` +
    `${f(s.mean_batch)}): queue ${f(s.queue_ms)} ms, compute input ${f(s.compute_input_ms)}, ` +
    `infer ${f(s.compute_infer_ms)}, output ${f(s.compute_output_ms)}; server request ` +
    `${f(s.request_ms)} ms (overhead ${f(s.overhead_ms)})${client}`;
}
