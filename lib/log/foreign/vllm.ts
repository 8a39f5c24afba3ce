/**
 * vLLM `bench serve`'s result JSON (`--save-result`, per-request arrays kept
 * with `--save-detailed` in newer versions): parallel arrays `ttfts`, `itls`
 * (seconds), `errors` (empty on success), `output_lens`, and in newer versions
 * `start_times` (a monotonic clock, seconds). The file holds no per-request
 * end-to-end latency, so it is rebuilt as TTFT plus the sum of the ITLs (the
 * time to the last token); a `latencies` or `e2els` array (seconds), which some
 * forks add, is used instead when present. No HTTP status is recorded.
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample, round3 } from "./foreign_log.ts";
import { errorKindOf } from "./fields.ts";
import { UsageError } from "../../base/errors.ts";

/** Keys that mark a vLLM `bench serve` result. */
export const VLLM_KEYS = ["ttfts", "itls"] as const;

function numbers(v: unknown, key: string, name: string, n: number): number[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length !== n) {
    throw new UsageError(
      `Cannot read "${name}" as vLLM bench serve JSON: ${key} is not a list of ${n}`,
    );
  }
  return v.map((x) => (typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : 0));
}

/** Reads a vLLM `bench serve` result object. Throws {@linkcode UsageError} naming the key. */
export function readVllmJson(doc: Record<string, unknown>, options: ReadOptions): ForeignLog {
  const { name } = options;
  const ttfts = doc.ttfts;
  if (!Array.isArray(ttfts) || ttfts.length === 0 || !Array.isArray(doc.itls)) {
    throw new UsageError(
      `Cannot read "${name}" as vLLM bench serve JSON: expected per-request arrays ttfts and itls (run with --save-detailed)`,
    );
  }
  const n = ttfts.length;
  const ttft = numbers(ttfts, "ttfts", name, n)!;
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
  return foreignLog("vllm-json", samples, { notes });
}
