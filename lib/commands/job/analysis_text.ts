/**
 * The terminal report of an {@linkcode Analysis}: the 2 x 2 table with its
 * effects, the decomposition, connection counts, queueing evidence and the
 * ranked findings. Pure: it returns text; the caller decides where it goes.
 *
 * @module
 */

import { serverSplitLine } from "../../load/model_stats.ts";
import type { Analysis } from "../../evidence/analysis.ts";
import { PARTS } from "../../evidence/decomposition.ts";
import { EFFECT_NAMES, type Effects, METRICS } from "../../evidence/factorial.ts";

const f = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? "-"
    : v.toFixed(digits).replace(/^-(0\.?0*)$/, "$1");
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "-");

/** Lays out rows: the first column left-aligned, the others right-aligned. */
export function layout(rows: readonly string[][]): string[] {
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from(
    { length: cols },
    (_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)),
  );
  return rows.map((r) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")
      .trimEnd()
  );
}

const EFFECT_LABELS: Record<keyof Effects, string> = {
  handler_main: "handler serialized -> concurrent (main)",
  handler_with_fresh: "  with fresh connections",
  handler_with_pooled: "  with pooled connections",
  connections_main: "connections fresh -> pooled (main)",
  connections_with_serialized: "  with the serialized handler",
  connections_with_concurrent: "  with the concurrent handler",
  interaction: "interaction (Yates)",
};

/** The analysis as terminal text. */
export function formatAnalysis(a: Analysis): string {
  const scheme = a.grpc
    ? "gRPC (HTTP/2)"
    : a.tls
    ? "HTTPS (a self-signed certificate made for this run)"
    : "HTTP";
  return [
    `evidence over ${scheme}; the load generator and the stub share this machine's CPUs`,
    ...factorialLines(a),
    ...decompositionLines(a),
    ...serverSplitLines(a),
    ...clientLines(a),
    ...connectionLines(a),
    ...queueingLines(a),
    ...findingLines(a),
  ].join("\n");
}

/**
 * The analysis in a few lines, for the job's first screen: the header and each finding's
 * headline; the tables and evidence are in {@linkcode formatAnalysis} (`--details`).
 */
export function formatAnalysisBrief(a: Analysis): string {
  const scheme = a.grpc ? "gRPC" : a.tls ? "HTTPS" : "HTTP";
  const lines = [
    `evidence over ${scheme}, ${a.factorial ? "a 2 x 2 run" : "two cells"}: findings ranked by ` +
    "measured effect at P95 (--details, summary.md or analysis.json for the tables)",
  ];
  for (const x of a.findings) lines.push(`${String(x.rank).padStart(2)}. ${x.text}`);
  const [first, ...rest] = clientPartLines(a, "optimized");
  if (first) lines.push(`the client: ${first.trim()}`, ...rest);
  for (const line of serverSplitLines(a).slice(1)) lines.push(line);
  return lines.join("\n");
}

/** kserve-v2: each cell's server-side split (the statistics extension), one line a cell. */
function serverSplitLines(a: Analysis): string[] {
  if (!a.server_split) return [];
  const means = new Map(a.factorial?.cells.map((c) => [c.name, c.mean]) ?? []);
  return [
    "",
    ...Object.entries(a.server_split).map(([cell, s]) => {
      const mean = means.get(cell);
      return `${cell}: ${serverSplitLine(s, mean === undefined ? null : mean)}`;
    }),
  ];
}

function factorialLines(a: Analysis): string[] {
  const fx = a.factorial;
  if (!fx) return [];
  const first = fx.cells[0];
  const out = [
    "",
    `2 x 2 run: latency (ms) by handler x connections, ${
      first?.requests ?? 0
    } requests and ${a.concurrency} workers in every cell (latency_ms)`,
  ];
  const rows: string[][] = [["cell", "p50", "p95", "p99", "mean", "req/s"]];
  for (const c of fx.cells) {
    rows.push([
      `${c.handler} + ${c.connections} (${c.name})`,
      f(c.p50),
      f(c.p95),
      f(c.p99),
      f(c.mean),
      f(c.throughput),
    ]);
  }
  rows.push(["effect, after - before", ...METRICS, "p95 95% interval"]);
  for (const name of EFFECT_NAMES) {
    const [lo, hi] = fx.intervals.p95[name];
    rows.push([
      EFFECT_LABELS[name],
      ...METRICS.map((m) => f(fx.effects[m][name])),
      `${f(lo)} .. ${f(hi)}`,
    ]);
  }
  out.push(...layout(rows));
  return out;
}

function decompositionLines(a: Analysis): string[] {
  const dec: string[][] = [[
    "cell",
    "request",
    "latency",
    ...PARTS.map((p) => p.replace("_ms", "")),
    "|",
    ...PARTS.map((p) => p.replace("_ms", "")),
  ]];
  for (const [name, d] of Object.entries(a.decomposition)) {
    const r = d.p95_request;
    dec.push([
      name,
      r ? `#${r.request_id}` : "-",
      f(r?.latency_ms),
      ...PARTS.map((p) => f(r?.parts[p])),
      "|",
      ...PARTS.map((p) => pct(d.total.shares[p])),
    ]);
  }
  return [
    "",
    "where the time goes: parts of the P95 request (ms) | share of all requests' time",
    ...layout(dec),
    "  queue = server_queue_ms, service = server_infer_ms, remainder = headers_ms - both " +
    "(connection setup, sending, client), body = latency_ms - headers_ms",
  ];
}

function clientLines(a: Analysis): string[] {
  const cells = Object.entries(a.client);
  if (cells.length === 0) return [];
  const rows = [["cell", "remainder mean", "loop lag p50", "lag p99", "client CPU", "share"]];
  for (const [name, c] of cells) {
    rows.push([
      name,
      `${f(c.remainder_mean_ms)} ms`,
      `${f(c.lag_p50_ms)} ms`,
      `${f(c.lag_p99_ms)} ms`,
      `${f(c.cpu_share, 2)} core`,
      pct(c.share_of_remainder ?? NaN),
    ]);
  }
  return [
    "",
    "the client's own share of the remainder (its event loop's lag against the mean remainder)",
    ...layout(rows),
    "  share = loop lag p50 / mean remainder, at most 100 %: an upper estimate of the time the",
    "  generator itself added between a read completing and its timestamp",
    "the client's part of the tail: time outside the server, and its CPU for one wave of answers",
    ...clientPartLines(a),
  ];
}

/**
 * The client's part of each cell's tail (or of cell `only`'s), two lines a cell: how much of the
 * slowest 5 %'s latency was outside the server (remainder + body), and the client's CPU a request
 * times the requests in flight, the time one wave of answers takes its single thread.
 */
function clientPartLines(a: Analysis, only?: string): string[] {
  const lines: string[] = [];
  for (const [name, c] of Object.entries(a.client)) {
    if (only !== undefined && name !== only) continue;
    if (c.tail_requests === 0 || !(c.tail_latency_mean_ms > 0)) continue;
    lines.push(
      `  ${name}: its slowest 5 % (${c.tail_requests} requests, mean ${
        f(c.tail_latency_mean_ms)
      } ms) spent ${f(c.tail_outside_ms)} ms (${
        pct(c.tail_outside_ms / c.tail_latency_mean_ms)
      }) outside the server (remainder + body)`,
      `    the client's CPU: ${
        f(c.cpu_per_request_ms, 3)
      } ms a request x ${c.in_flight} in flight = ` +
        `${f(c.wave_cpu_ms)} ms of its one thread for each wave of answers ` +
        `(event-loop lag P99 ${f(c.lag_p99_ms)} ms)`,
    );
  }
  return lines;
}

function connectionLines(a: Analysis): string[] {
  const conn: string[][] = [[
    "cell",
    "policy",
    "requests",
    "connections",
    "server",
    "expected",
    "",
  ]];
  for (const [name, c] of Object.entries(a.connections)) {
    conn.push([
      name,
      c.policy,
      String(c.identified),
      String(c.connections),
      c.server ? String(c.server.connections) : "-",
      c.expected,
      c.ok ? "ok" : "FAIL",
    ]);
  }
  return ["", "connections the server saw (conn_id; GET /stats)", ...layout(conn)];
}

function queueingLines(a: Analysis): string[] {
  const qr: string[][] = [[
    "cell",
    "ms per in flight",
    "r",
    "queue ms per in flight",
    "rate x latency",
    "mean in flight",
    "Little",
  ]];
  for (const [name, q] of Object.entries(a.queueing)) {
    const w = q.little.window;
    qr.push([
      name,
      f(q.latency_vs_in_flight?.slope, 2),
      f(q.latency_vs_in_flight?.r, 2),
      f(q.queue_vs_in_flight?.slope, 2),
      f(w?.throughput_x_mean_latency, 2),
      f(w?.mean_in_flight, 2),
      q.little.holds === null ? "n/a" : q.little.holds ? "holds" : "DOES NOT HOLD",
    ]);
  }
  const out = [
    "",
    "queueing: latency against requests in flight at send, and Little's law (sent_ms, latency_ms)",
    ...layout(qr),
  ];
  for (const [name, q] of Object.entries(a.queueing)) {
    if (q.little.holds !== true) out.push(`  ${name}: Little's law ${q.little.note}`);
  }
  out.push("mean latency (ms) by tenth of the send order: the ramp-up shows how a queue builds");
  out.push(
    ...layout(
      Object.entries(a.queueing).map((
        [name, q],
      ) => [name, ...q.by_order.map((g) => f(g.mean_latency_ms, 0))]),
    ),
  );
  return out;
}

function findingLines(a: Analysis): string[] {
  if (a.findings.length === 0) return [];
  const out = ["", "findings, ranked by measured effect at P95"];
  for (const x of a.findings) {
    out.push(`${String(x.rank).padStart(2)}. ${x.text} [${x.source}]`);
    for (const e of x.evidence) out.push(`      - ${e}`);
  }
  return out;
}
