/**
 * The options of `loadgate run`, as its flag parser (lib/commands/run/flags.ts)
 * builds them.
 *
 * @module
 */

import type { ConnectionPolicy } from "../../load/connection.ts";
import type { ClientTransport, EngineName } from "../../load/engine.ts";
import type { Arrival } from "../../load/open_loop.ts";
import type { Shard } from "../../load/shard.ts";
import type { Stage } from "../../load/stages.ts";
import type { MetricGroups } from "../../stats/load_metrics.ts";
import type { Threshold } from "../../verdict/threshold.ts";
import type { UncertaintyOptions } from "../../verdict/uncertainty.ts";
import type { AgainstHistory } from "./history_flags.ts";
import type { DatasetOrder } from "../../workload/dataset.ts";
import type { Slo } from "../../stats/goodput.ts";
import type { LlmRunOptions, ScrapeOptions } from "./llm/options.ts";
import type { ConversationOptions, TraceOptions } from "./traffic/options.ts";
import type { KserveOptions } from "../../workload/kserve/workload.ts";
import type { RetrievalOptions } from "../../workload/retrieval/workload.ts";
import type { SharedPrefixSpec } from "../../workload/shared_prefix.ts";

/** Requests a run bounded only by --duration may send at most (every run is bounded). */
export const DURATION_REQUEST_CAP = 1_000_000;

/** Options of `runCommand` (lib/commands/run/command.ts). */
export interface RunCommandOptions extends ClientTransport {
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
  /** HTTP client: the lean `h1` engine (default) or `fetch`. */
  engine: EngineName;
  /** Latencies kept in an HdrHistogram, not one by one (`--histogram`, or automatic). */
  histogram?: boolean;
  /** The variable the API key was read from (`--api-key-env`), when one was. */
  apiKeyEnv?: string;
  /** HdrHistogram interval log to write (`--hlog`). */
  hlog?: string;
  phase: string;
  outDir: string;
  /** The SLA: `--sla` and `--max-error-rate`, parsed once by the flag parser. */
  thresholds: Threshold[];
  /** `--against-history`: the gate against the store's comparable runs. */
  againstHistory?: AgainstHistory;
  /** Confidence of the intervals and the verdict basis (default 95%, point verdict). */
  uncertainty?: UncertaintyOptions;
  /** No live progress line. */
  quiet: boolean;
  /** Also write report.html. */
  html: boolean;
  /** JSONL file of request bodies, or null. */
  dataset: string | null;
  datasetOrder: DatasetOrder;
  /** Stop starting requests after this many ms, or null (bounded by `requests` only). */
  durationMs: number | null;
  /** Warm-up requests before the measured ones. */
  warmup: number;
  /** Open loop: arrivals per second; null for the closed loop. */
  rate: number | null;
  arrival: Arrival;
  /** No `--sla` was given: the thresholds are the default SLA. */
  slaDefault?: boolean;
  /** `--percentiles`: the percentiles reported for every latency metric. */
  percentiles?: number[];
  /** `--burstiness`: the gamma shape of Poisson gaps (1 is Poisson). */
  burstiness?: number;
  /** Open loop: cap on requests in flight, or null. */
  maxInFlight: number | null;
  /** Parse streamed responses (SSE or JSON lines): TTFT, ITL, TPOT, tokens/s. */
  stream: boolean;
  /** `--debug`: log the first bytes of each failed response's body (`error_detail`). */
  debug?: boolean;
  /** Largest response body read, in bytes; more is a failed request (`body`). */
  maxResponseBytes?: number;
  /** An OpenAI API (`--api`) with its prompt source; null or absent for raw bodies. */
  llm?: LlmRunOptions | null;
  /** `--api kserve-v2` or `kserve-v2-grpc` with its tensors; null or absent otherwise. */
  kserve?: KserveOptions | null;
  /** `--api openai-embeddings|tei-embed|rerank|tei-rerank`; null or absent otherwise. */
  retrieval?: RetrievalOptions | null;
  /** Per-request SLOs (`--goodput`). */
  goodput?: Slo[] | null;
  /** A Prometheus endpoint to scrape (`--scrape`). */
  scrape?: ScrapeOptions | null;
  /** Run only this shard of the run (`--shard`); absent for the whole run. */
  shard?: Shard;
  /** Wait until this wall-clock time (epoch ms, `--start-at`) before starting. */
  startAtMs?: number;
  /** `--stages`: an open loop ramped through these stages (then `rate` is null). */
  stages?: Stage[];
  /** `--trace`: an open loop on a trace's own clock (then `rate` is null). */
  trace?: TraceOptions;
  /** `--conversations` or `--turns`: multi-turn sessions (then `rate` is null). */
  conversations?: ConversationOptions;
  /** `--shared-prefix`: synthetic prompts behind G shared prefixes of P tokens. */
  sharedPrefix?: SharedPrefixSpec;
  /** `--steady`: judge the steady window (MSER-5) instead of the whole run. */
  steady?: boolean;
}

/** The metric groups a run reports. */
export function groupsOf(options: RunCommandOptions): MetricGroups {
  return {
    openLoop: options.rate !== null || options.stages !== undefined ||
      options.trace !== undefined || options.conversations !== undefined,
    streaming: options.stream,
    llm: Boolean(options.llm),
    goodput: options.goodput ?? null,
  };
}
