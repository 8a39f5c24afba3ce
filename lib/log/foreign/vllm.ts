/**
 * vLLM `bench serve`'s result JSON (`--save-result`), read as it is. Three
 * shapes, by what the file holds:
 *
 * - per request with streams (`--save-detailed`, or older versions): parallel
 *   arrays `ttfts`, `itls` (seconds), `errors` (empty on success),
 *   `input_lens`, `output_lens`, `start_times` (a monotonic clock) and
 *   `latencies` (current `serve.py`; without it the latency is rebuilt as TTFT
 *   plus the sum of the ITLs, the time to the last token);
 * - per request latency only (current `serve.py` without `--save-detailed`
 *   keeps `latencies` and drops the other arrays): one sample a request, a
 *   latency of 0 being a failed request (vLLM records none for a failure);
 * - aggregates only (older versions without `--save-detailed`): no sample.
 *
 * Whatever the shape, vLLM's own scalar figures (`mean_ttft_ms`,
 * `p99_e2el_ms`, `request_throughput`, `completed`, ...) are kept as they are
 * in {@linkcode ForeignLog.aggregates}. No HTTP status is recorded.
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample, round3 } from "./foreign_log.ts";
import { errorKindOf } from "./fields.ts";
import { UsageError } from "../../base/errors.ts";
import type { Sample } from "../../stats/sample.ts";

/** Keys that mark a vLLM `bench serve` result: its per-request arrays or its aggregates. */
export function isVllmResult(doc: object): boolean {
  if ("ttfts" in doc && "itls" in doc) return true;
  if (!("completed" in doc)) return false;
  return "latencies" in doc || "request_throughput" in doc ||
    Object.keys(doc).some((k) => /^(mean|median|p[0-9.]+)_(ttft|tpot|itl|e2el)_ms$/.test(k));
}

function numbers(v: unknown, key: string, name: string, n: number): number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length !== n) {
    throw new UsageError(
      `Cannot read "${name}" as vLLM bench serve JSON: ${key} is not a list of ${n}`,
    );
  }
  return v.map((x) => (typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : 0));
}

/** vLLM's scalar figures, as the file has them (arrays and objects left out). */
function aggregatesOf(doc: Record<string, unknown>): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === "number" || typeof v === "string" || v === null) out[k] = v;
  }
  return out;
}

/** Reads a vLLM `bench serve` result object. Throws {@linkcode UsageError} naming the key. */
export function readVllmJson(doc: Record<string, unknown>, options: ReadOptions): ForeignLog {
  const aggregates = aggregatesOf(doc);
  if (Array.isArray(doc.ttfts) && Array.isArray(doc.itls) && doc.ttfts.length > 0) {
    return readDetailed(doc, options, aggregates);
  }
  if (Array.isArray(doc.latencies) && doc.latencies.length > 0) {
    return readLatencies(doc, options, aggregates);
  }
  if ("ttfts" in doc || "itls" in doc) {
    throw new UsageError(
      `Cannot read "${options.name}" as vLLM bench serve JSON: ttfts and itls must be lists of the requests`,
    );
  }
  return foreignLog("vllm-json", [], {
    notes: [
      "vLLM's aggregates only (no per-request arrays): kept as they are; rerun vLLM with " +
      "--save-detailed for per-request data",
    ],
    aggregates,
  });
}

/** `input_lens` and `output_lens` as the samples' tokens (vLLM's counts, not estimated). */
function keepLengths(samples: Sample[], doc: Record<string, unknown>, name: string): boolean {
  const n = samples.length;
  const input = numbers(doc.input_lens, "input_lens", name, n);
  const output = numbers(doc.output_lens, "output_lens", name, n);
  if (!input && !output) return false;
  samples.forEach((s, i) => {
    if (!s.ok) return;
    s.tokens = { input: input ? input[i]! : 0, output: output ? output[i]! : 0, estimated: false };
  });
  return true;
}

function readLatencies(
  doc: Record<string, unknown>,
  options: ReadOptions,
  aggregates: Record<string, number | string | null>,
): ForeignLog {
  const { name } = options;
  const n = (doc.latencies as unknown[]).length;
  const latencies = numbers(doc.latencies, "latencies", name, n)!;
  const starts = numbers(doc.start_times, "start_times", name, n);
  const errors = Array.isArray(doc.errors) ? doc.errors : [];
  const samples = latencies.map((l, i) => {
    const errorText = typeof errors[i] === "string" ? errors[i] as string : "";
    const failed = errorText !== "" || l === 0;
    return foreignSample(options.phase, i, {
      sentMs: starts ? starts[i]! * 1000 : 0,
      latencyMs: round3(l * 1000),
      status: null,
      error: failed ? errorKindOf(null, errorText || "vLLM recorded no latency (failed)") : "",
    });
  });
  const notes = [
    "per-request latencies only (vLLM without --save-detailed): no TTFT, ITL or tokens per " +
    "request; vLLM's aggregates kept as they are",
    "a latency of 0 is a failed request (vLLM records none for a failure)",
  ];
  if (!starts) notes.push("no start_times: send times unknown, all set to 0");
  if (keepLengths(samples, doc, name)) notes.push("input_lens and output_lens kept as tokens");
  return foreignLog("vllm-json", samples, { notes, aggregates });
}

function readDetailed(
  doc: Record<string, unknown>,
  options: ReadOptions,
  aggregates: Record<string, number | string | null>,
): ForeignLog {
  const { name } = options;
  const n = (doc.ttfts as unknown[]).length;
  const ttft = numbers(doc.ttfts, "ttfts", name, n)!;
  const itls = (doc.itls as unknown[]).map((v) =>
    Array.isArray(v) ? numbers(v, "itls[i]", name, v.length)! : []
  );
  if (itls.length !== n) {
    throw new UsageError(
      `Cannot read "${name}" as vLLM bench serve JSON: itls is not a list of ${n}`,
    );
  }
  const errors = Array.isArray(doc.errors) ? doc.errors : [];
  const outLens = numbers(doc.output_lens, "output_lens", name, n);
  const starts = numbers(doc.start_times, "start_times", name, n);
  const e2e = numbers(doc.latencies ?? doc.e2els, doc.latencies ? "latencies" : "e2els", name, n);
  const notes: string[] = [];
  if (!e2e) {
    notes.push("latency rebuilt as TTFT + sum of ITLs (the file has no end-to-end latency)");
  }
  if (!starts) notes.push("no start_times: send times unknown, all set to 0");
  const samples = ttft.map((t, i) => {
    const errorText = typeof errors[i] === "string" ? errors[i] as string : "";
    const gaps = itls[i]!;
    const latencyS = e2e ? e2e[i]! : t + gaps.reduce((a, b) => a + b, 0);
    const failed = errorText !== "";
    const sample = foreignSample(options.phase, i, {
      sentMs: starts ? starts[i]! * 1000 : 0,
      latencyMs: round3(latencyS * 1000),
      status: null,
      error: failed ? errorKindOf(null, errorText) : "",
    });
    if (!failed) {
      const chunks = t > 0 ? gaps.length + 1 : 0;
      sample.stream = {
        ttftMs: t > 0 ? round3(t * 1000) : null,
        chunks,
        tokens: outLens ? outLens[i]! : chunks,
        itlMs: gaps.map((g) => round3(g * 1000)),
      };
    }
    return sample;
  });
  if (keepLengths(samples, doc, name)) notes.push("input_lens and output_lens kept as tokens");
  return foreignLog("vllm-json", samples, { notes, aggregates });
}
