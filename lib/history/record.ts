/**
 * One judged run as the history keeps it, and how it is read from a result
 * document: a phase summary (`run`, `merge`), `comparison.json` (`job`,
 * `compare`) or `sweep.json`. Pure: documents in, a record out; the same
 * builder serves a live run and `history import`.
 *
 * @module
 */

import { sha256HexSync } from "../base/hash.ts";

/** The name of the distributions' encoding in the `distributions` table (distribution.ts). */
export const DISTRIBUTION_ENCODING = "hdr-v2-compressed-base64";

/** A threshold of the run's SLA on its measured value. */
export interface RecordedThreshold {
  expr: string;
  metric: string;
  op: string;
  value: number;
  actual: number | null;
  pass: boolean;
}

/** One judged run. */
export interface HistoryRecord {
  /** When it was recorded, ISO 8601. */
  recordedAt: string;
  /** When it started, ISO 8601, when known. */
  startedAt: string | null;
  command: string;
  /** What was measured: the URL, `stub`, or the gated log. */
  target: string;
  workloadDigest: string;
  /** The load parameters (the summary's `load`); two runs compare when these match. */
  load: Record<string, unknown>;
  engine: string | null;
  toolVersion: string;
  denoVersion: string;
  /** pass, fail, inconclusive or interrupted. */
  verdict: string;
  labels: Record<string, string>;
  /** Every numeric figure of the summary, by name (`p95`, `throughput`, `llm.ttft_p95`...). */
  figures: Record<string, number>;
  thresholds: RecordedThreshold[];
  /** The latencies as HdrHistogram's compressed V2 encoding in base64 (as in a .hlog), or null. */
  distribution: string | null;
  /** The results folder it was imported from; null for a live run. */
  source: string | null;
}

/** The key of comparable runs: same target, workload digest and load. */
export interface ComparableKey {
  target: string;
  workloadDigest: string;
  loadKey: string;
}

/** JSON with its object keys sorted, so that equal loads give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );
}

/** The SHA-256 of the load's canonical JSON. */
export function loadKeyOf(load: Record<string, unknown>): string {
  return sha256HexSync(canonicalJson(load));
}

/** The comparable key of a record. */
export function keyOf(record: HistoryRecord): ComparableKey {
  return {
    target: record.target,
    workloadDigest: record.workloadDigest,
    loadKey: loadKeyOf(record.load),
  };
}

/** Numeric fields of `value`, flattened to dotted names (objects two levels deep). */
export function figuresOf(value: unknown, prefix = "", depth = 0): Record<string, number> {
  const out: Record<string, number> = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const name = prefix + k;
    if (typeof v === "number" && Number.isFinite(v)) out[name] = v;
    else if (depth < 1 && v !== null && typeof v === "object") {
      Object.assign(out, figuresOf(v, `${name}.`, depth + 1));
    }
  }
  return out;
}

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc => (v !== null && typeof v === "object" ? v as Doc : {});
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The thresholds of a document's `sla`. */
function thresholdsOf(doc: Doc): RecordedThreshold[] {
  const list = obj(doc.sla).thresholds;
  if (!Array.isArray(list)) return [];
  return list.map((t: Doc) => ({
    expr: String(t.expr),
    metric: String(t.metric),
    op: String(t.op),
    value: Number(t.value),
    actual: typeof t.actual === "number" ? t.actual : null,
    pass: t.pass === true,
  }));
}

/** What the caller knows beside the document. */
export interface RecordContext {
  command: string;
  /** Labels given (`--label`) and read from CI's environment. */
  labels: Record<string, string>;
  recordedAt: string;
  /** The gated phase's target when the document does not name it. */
  target?: string;
  distribution?: string | null;
  source?: string | null;
}

/**
 * The record of a result document: a phase summary (its `summary`), a
 * comparison (its `optimized` phase, the gated one, and the `delta`s) or a
 * sweep (its top-level figures, `capacity` among them).
 */
export function recordOf(document: object, ctx: RecordContext): HistoryRecord {
  const doc = document as Doc;
  const manifest = obj(doc.manifest);
  const isComparison = "optimized" in doc && "delta" in doc;
  const load = obj(doc.load ?? manifest.load);
  const figures = "summary" in doc
    ? figuresOf(doc.summary)
    : isComparison
    ? { ...figuresOf(doc.optimized), ...figuresOf(doc.delta, "delta.", 1) }
    : figuresOf(Object.fromEntries(Object.entries(doc).filter(([k]) => k !== "manifest")));
  const optimizedLog = text(obj(obj(doc.phases).optimized).log);
  return {
    recordedAt: ctx.recordedAt,
    startedAt: text(manifest.started_at),
    command: ctx.command,
    target: text(doc.url) ?? ctx.target ?? optimizedLog ?? "stub",
    workloadDigest: text(load.workload_digest) ?? text(manifest.workload_digest) ?? "",
    load,
    engine: text(doc.engine),
    toolVersion: text(manifest.tool_version) ?? "",
    denoVersion: text(manifest.deno_version) ?? "",
    verdict: text(doc.verdict) ?? "unknown",
    labels: ctx.labels,
    figures,
    thresholds: thresholdsOf(doc),
    distribution: ctx.distribution ?? null,
    source: ctx.source ?? null,
  };
}
