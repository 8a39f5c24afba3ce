/**
 * Findings in words, from numbers: the contributors to latency, ranked by
 * their measured effect at P95, each with its figure, its interval where the
 * figure is an effect, and the columns it was computed from. Pure.
 *
 * @module
 */

import type { ConnectionEvidence } from "./connection_evidence.ts";
import type { Decomposition } from "./decomposition.ts";
import { excludesZero, type Factorial, type Handler } from "./factorial.ts";
import type { QueueingEvidence } from "./queueing.ts";
import type { ConnectionPolicy } from "../load/connection.ts";

/** One contributor, with the figure it is ranked by. */
export interface Finding {
  rank: number;
  contributor: string;
  /** ms the contributor adds at P95 (negative: it takes time off). */
  figure_ms: number;
  /** What the figure measures. */
  measure: string;
  /** Bootstrap interval of the figure, ms, where it is an effect of the 2 x 2 run. */
  interval_ms: [number, number] | null;
  /** Whether the interval excludes 0; null without an interval. */
  beyond_noise: boolean | null;
  /** The log columns (or test) the figure came from. */
  source: string;
  /** Corroborating figures, each naming its column. */
  evidence: string[];
  /** The finding as one sentence. */
  text: string;
}

/** What the findings are drawn from. */
export interface FindingsInput {
  factorial: Factorial;
  decomposition: Readonly<Record<string, Decomposition>>;
  queueing: Readonly<Record<string, QueueingEvidence>>;
  connections: Readonly<Record<string, ConnectionEvidence>>;
  /** True when the run used HTTPS (each fresh connection pays a TLS handshake). */
  tls: boolean;
}

const f1 = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? "-"
    : v.toFixed(1).replace(/^-(0\.0)$/, "$1");
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "-");
const neg = ([lo, hi]: [number, number]): [number, number] => [-hi, -lo];

function adds(label: string, ms: number, where: string): string {
  return ms >= 0
    ? `${label} adds ${f1(ms)} ms to ${where}`
    : `${label} takes ${f1(-ms)} ms off ${where}`;
}

function intervalText(interval: [number, number]): string {
  return `95 % bootstrap interval ${f1(interval[0])} to ${f1(interval[1])} ms${
    excludesZero(interval) ? "" : ", which includes 0: not told apart from noise in this run"
  }`;
}

/** The cells by role, the effects and the shared texts every finding draws on. */
interface FindingContext {
  input: FindingsInput;
  fx: Factorial;
  dec: FindingsInput["decomposition"];
  q: FindingsInput["queueing"];
  conn: FindingsInput["connections"];
  sf: string;
  sp: string;
  cf: string;
  cp: string;
  e: Factorial["effects"]["p95"];
  ci: Factorial["intervals"]["p95"];
  cellsSource: string;
  paceText: string;
}

/** Ranks the contributors by the absolute size of their figure. */
export function findings(input: FindingsInput): Finding[] {
  const x = findingContext(input);
  const list: Omit<Finding, "rank">[] = [
    handlerFinding(x),
    connectionFinding(x),
    interactionFinding(x),
    ...floorFindings(x),
  ];
  return list
    .sort((a, b) => Math.abs(b.figure_ms) - Math.abs(a.figure_ms))
    .map((f, i) => ({ rank: i + 1, ...f }));
}

function findingContext(input: FindingsInput): FindingContext {
  const { factorial: fx, decomposition: dec, queueing: q, connections: conn } = input;
  const name = (h: Handler, c: ConnectionPolicy): string =>
    fx.cells.find((x) => x.handler === h && x.connections === c)?.name ?? `${h}_${c}`;
  const sf = name("serialized", "fresh");
  const sp = name("serialized", "pooled");
  const cf = name("concurrent", "fresh");
  const cp = name("concurrent", "pooled");
  const e = fx.effects.p95;
  const ci = fx.intervals.p95;
  const cellsSource = `latency_ms of the four cells' logs (${sf}, ${sp}, ${cf}, ${cp})`;
  const pace = fx.serialized_pace;
  const paceText =
    `under the serialized handler the server set its own pace: ${
      f1(pace.fresh_rps)
    } req/s in ${sf}, ${f1(pace.pooled_rps)} req/s in ${sp} for the same work (sent_ms, ` +
    "latency_ms); with every worker's request queued, mean latency = in flight / throughput, " +
    `so that pace alone predicts a mean change of ${f1(pace.predicted_mean_change_ms)} ms ` +
    `against ${f1(pace.measured_mean_change_ms)} ms measured; one run cannot tell whether ` +
    "the connection policy or the machine's load changed the pace (run the job again)";
  return {
    input,
    fx,
    dec,
    q,
    conn,
    sf,
    sp,
    cf,
    cp,
    e,
    ci,
    cellsSource,
    paceText,
  };
}

/** The handler: the queue of a serialized server. */
function handlerFinding(x: FindingContext): Omit<Finding, "rank"> {
  const { dec, q, sf, cp, e, ci, cellsSource } = x;
  const cost = -e.handler_main;
  const interval = neg(ci.handler_main);
  const evidence: string[] = [];
  const p95 = dec[sf]?.p95_request;
  if (p95) {
    evidence.push(
      `${sf}'s P95 request (request ${p95.request_id}, ${f1(p95.latency_ms)} ms) waited ` +
        `${f1(p95.parts.queue_ms)} ms in the server's queue (${
          pct(p95.shares.queue_ms)
        }; server_queue_ms)`,
    );
  }
  const share = dec[sf]?.total.shares.queue_ms;
  if (share !== undefined) {
    evidence.push(`queue wait is ${pct(share)} of all of ${sf}'s request time (server_queue_ms)`);
  }
  const fitS = q[sf]?.latency_vs_in_flight;
  const fitC = q[cp]?.latency_vs_in_flight;
  if (fitS) {
    evidence.push(
      `${sf}'s latency rises ${f1(fitS.slope)} ms per request in flight at send (r = ${
        fitS.r.toFixed(2)
      }), ${cp}'s ${fitC ? f1(fitC.slope) : "-"} ms (sent_ms, latency_ms)`,
    );
  }
  evidence.push(
    `with fresh connections the handler changes P95 by ${
      f1(e.handler_with_fresh)
    } ms, with pooled ${f1(e.handler_with_pooled)} ms`,
  );
  return ({
    contributor: "serialized handler (requests wait in the server's queue)",
    figure_ms: cost,
    measure: "main effect on P95 of going from the concurrent to the serialized handler",
    interval_ms: interval,
    beyond_noise: excludesZero(interval),
    source: cellsSource,
    evidence,
    text: `${adds("The serialized handler", cost, "P95")} (main effect over both connection ` +
      `policies; ${intervalText(interval)}).`,
  });
}

/** The connection policy: a new connection (and TLS handshake) per request. */
function connectionFinding(x: FindingContext): Omit<Finding, "rank"> {
  const { input, fx, dec, conn, cf, cp, e, ci, cellsSource, paceText } = x;
  const cost = -e.connections_main;
  const interval = neg(ci.connections_main);
  const withConcurrent = -e.connections_with_concurrent;
  const intervalConcurrent = neg(ci.connections_with_concurrent);
  const evidence = [
    `${adds("with the concurrent handler, a new connection per request", withConcurrent, "P95")} ` +
    `(${intervalText(intervalConcurrent)}); with the serialized handler ${
      f1(-e.connections_with_serialized)
    } ms`,
  ];
  const meanCost = -fx.effects.mean.connections_with_concurrent;
  evidence.push(
    `on the mean, ${
      adds("with the concurrent handler, a new connection per request", meanCost, "latency")
    } (${intervalText(neg(fx.intervals.mean.connections_with_concurrent))})`,
  );
  const rf = dec[cf]?.mean.remainder_ms;
  const rp = dec[cp]?.mean.remainder_ms;
  if (rf !== undefined && rp !== undefined) {
    evidence.push(
      `time outside the server before headers is ${f1(rf)} ms per request with fresh ` +
        `connections vs ${f1(rp)} ms pooled, concurrent handler (mean of headers_ms - ` +
        "server_queue_ms - server_infer_ms)",
    );
  }
  evidence.push(paceText);
  const nf = conn[cf];
  const np = conn[cp];
  if (nf && np) {
    evidence.push(
      `the server saw ${nf.connections} connections for ${nf.identified} requests fresh, ` +
        `${np.connections} pooled (conn_id)`,
    );
  }
  const label = input.tls
    ? "A new connection per request (TCP and TLS handshakes)"
    : "A new connection per request";
  return ({
    contributor: input.tls
      ? "fresh connections (a TCP and TLS handshake per request)"
      : "fresh connections (a TCP handshake per request)",
    figure_ms: cost,
    measure: "main effect on P95 of going from pooled to fresh connections",
    interval_ms: interval,
    beyond_noise: excludesZero(interval),
    source: cellsSource,
    evidence,
    text: `${adds(label, cost, "P95")} (main effect over both handlers; ${
      intervalText(interval)
    }).`,
  });
}

/** The interaction of handler and connection policy. */
function interactionFinding(x: FindingContext): Omit<Finding, "rank"> {
  const { e, ci, cellsSource, paceText } = x;
  const interval = ci.interaction;
  return ({
    contributor: "interaction of handler and connection policy",
    figure_ms: e.interaction,
    measure: "half the difference between the connection effect on P95 under each handler",
    interval_ms: interval,
    beyond_noise: excludesZero(interval),
    source: cellsSource,
    evidence: [
      `pooling changes P95 by ${f1(e.connections_with_concurrent)} ms with the concurrent ` +
      `handler and by ${f1(e.connections_with_serialized)} ms with the serialized one`,
      paceText,
    ],
    text: `The interaction is ${f1(e.interaction)} ms at P95 (${intervalText(interval)}): ` +
      (excludesZero(interval)
        ? "what connection reuse buys depends on the handler."
        : "the two effects add up within noise."),
  });
}

/** Service time and body transfer: the same in every cell, neither change removes them. */
function floorFindings(x: FindingContext): Omit<Finding, "rank">[] {
  const { dec, sf, cp } = x;
  const list: Omit<Finding, "rank">[] = [];
  const base = dec[sf];
  if (base && base.decomposed > 0) {
    const optimized = dec[cp];
    list.push({
      contributor: "service time (the model's work)",
      figure_ms: base.part_p95.service_ms,
      measure: "P95 of the server's service time",
      interval_ms: null,
      beyond_noise: null,
      source: "server_infer_ms",
      evidence: [
        `mean ${f1(base.mean.service_ms)} ms in ${sf}, ${
          f1(optimized?.mean.service_ms)
        } ms in ${cp}: a pure function of the input, so the same in every cell`,
        `it is ${pct(optimized?.total.shares.service_ms ?? NaN)} of all of ${cp}'s request time`,
      ],
      text: `Service time is ${f1(base.part_p95.service_ms)} ms at its P95 (server_infer_ms), ` +
        "the same in every cell: neither change removes it, it is the floor.",
    });
    list.push({
      contributor: "response body transfer",
      figure_ms: base.part_p95.body_ms,
      measure: "P95 of the time from response headers to the end of the body",
      interval_ms: null,
      beyond_noise: null,
      source: "latency_ms - headers_ms",
      evidence: [
        `mean ${f1(base.mean.body_ms)} ms in ${sf}, ${f1(optimized?.mean.body_ms)} ms in ${cp}`,
      ],
      text: `Reading the response body takes ${f1(base.part_p95.body_ms)} ms at its P95 ` +
        "(latency_ms - headers_ms).",
    });
  }
  return list;
}
