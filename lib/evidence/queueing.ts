/**
 * Queueing evidence from a log's `sent_ms` and `latency_ms`: how latency
 * moves with a request's place in the send order and with the number of
 * requests in flight when it was sent, and a check of Little's law
 * (mean in flight = throughput x mean latency). Pure: samples in, figures out.
 *
 * A FIFO server that serves one request at a time makes a request wait for
 * every request ahead of it, so its latency grows by about one service time
 * per request in flight; a server without a queue shows no such slope.
 *
 * @module
 */

import type { Sample } from "../stats/sample.ts";
import { percentile, sortedCopy } from "../stats/stats.ts";

/** A least-squares line y = intercept + slope x, with Pearson's r. */
export interface LineFit {
  slope: number;
  intercept: number;
  r: number;
  n: number;
}

/** Least-squares fit of `ys` on `xs`; null with fewer than 2 points or no spread in x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r: syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy), n };
}

/**
 * For each sample, the number of requests in flight at the moment it was sent,
 * itself included: those sent at or before it and not yet complete.
 */
export function inFlightAtSend(samples: readonly Sample[]): number[] {
  const starts = sortedCopy(samples.map((s) => s.sentMs));
  const ends = sortedCopy(samples.map((s) => s.sentMs + s.latencyMs));
  return samples.map((s) => countAtMost(starts, s.sentMs) - countAtMost(ends, s.sentMs));
}

/** How many values of ascending `sorted` are <= x. */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Requests grouped by send order or by requests in flight. */
export interface Group {
  /** First and last value of the grouping key (send position from 0, or in-flight count). */
  from: number;
  to: number;
  requests: number;
  mean_latency_ms: number;
  p50_latency_ms: number;
  /** Mean `server_queue_ms`, null when the server sent none. */
  mean_queue_ms: number | null;
}

/** Little's law, checked on a phase's log. */
export interface LittleCheck {
  /** Largest relative difference still called "holds". */
  tolerance: number;
  /** Whole phase: requests / (first send to last completion). */
  throughput_rps: number;
  mean_latency_ms: number;
  /** throughput x mean latency over the whole phase: the mean number in flight it implies. */
  throughput_x_mean_latency: number;
  /** Workers of the closed loop (the in-flight count the load generator aims at). */
  concurrency: number;
  /** Per request, time a worker spent outside a measured request: C / throughput - mean latency. */
  client_gap_ms: number;
  /**
   * The steady window: from the moment every request of the ramp-up (the first
   * C sent) has completed, to the send of the last request (after it, workers
   * run out of requests). The requests sent in it, their rate and mean latency,
   * against the time-average of the in-flight count measured over the window.
   */
  window: {
    start_ms: number;
    end_ms: number;
    requests: number;
    arrival_rate_rps: number;
    mean_latency_ms: number;
    throughput_x_mean_latency: number;
    mean_in_flight: number;
    relative_error: number;
    /** Mean in flight owed to requests sent before the window (in it, not in its arrivals). */
    carried_in: number;
    /** Mean in flight owed to the window's arrivals after it ends (in its arrivals, not in it). */
    spilled_out: number;
  } | null;
  /** True when the window's relative error is within the tolerance; null without a window. */
  holds: boolean | null;
  /** In words: whether it holds, and why not when it does not. */
  note: string;
}

/** One phase's queueing evidence. */
export interface QueueingEvidence {
  /** Latency by send order, in up to 10 groups of consecutive sends. */
  by_order: Group[];
  /** Latency by requests in flight at send, in up to 8 groups. */
  by_in_flight: Group[];
  /** latency_ms against the in-flight count at send: ms added per request in flight. */
  latency_vs_in_flight: LineFit | null;
  /** server_queue_ms against the in-flight count at send. */
  queue_vs_in_flight: LineFit | null;
  /** latency_ms against send position. */
  latency_vs_order: LineFit | null;
  little: LittleCheck;
}

/** Default tolerance of the Little's law check (10 %). */
export const LITTLE_TOLERANCE = 0.1;

function group(rows: { key: number; s: Sample }[], from: number, to: number): Group {
  const lat = rows.map((r) => r.s.latencyMs);
  const queues = rows.map((r) => r.s.serverQueueMs).filter((q): q is number => q !== null);
  return {
    from,
    to,
    requests: rows.length,
    mean_latency_ms: lat.reduce((a, b) => a + b, 0) / rows.length,
    p50_latency_ms: percentile(sortedCopy(lat), 50),
    mean_queue_ms: queues.length > 0 ? queues.reduce((a, b) => a + b, 0) / queues.length : null,
  };
}

/** Groups rows by key into at most `count` groups of equal key width; empty groups are left out. */
function groupByKey(rows: { key: number; s: Sample }[], count: number): Group[] {
  if (rows.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    min = Math.min(min, r.key);
    max = Math.max(max, r.key);
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / count));
  const out: Group[] = [];
  for (let lo = min; lo <= max; lo += width) {
    const hi = lo + width - 1;
    const members = rows.filter((r) => r.key >= lo && r.key <= hi);
    if (members.length > 0) out.push(group(members, lo, Math.min(hi, max)));
  }
  return out;
}

/**
 * Little's law on a phase: over the steady window, the time-average number of
 * requests in flight against (arrival rate x mean latency) of the requests sent
 * in it. Over the whole phase the two are equal by construction (both are the
 * sum of latencies over the duration), so only the window tests anything; the
 * whole-phase product is compared with C instead. The two differ by exactly
 * `spilled_out - carried_in`, which the result reports, so a miss says which
 * edge of the window caused it.
 */
export function littleCheck(
  samples: readonly Sample[],
  concurrency: number,
  tolerance: number = LITTLE_TOLERANCE,
): LittleCheck {
  const n = samples.length;
  const bySend = [...samples].sort((a, b) => a.sentMs - b.sentMs);
  let first = Infinity;
  let last = -Infinity;
  let latencySum = 0;
  for (const s of samples) {
    first = Math.min(first, s.sentMs);
    last = Math.max(last, s.sentMs + s.latencyMs);
    latencySum += s.latencyMs;
  }
  const durationMs = n > 0 ? last - first : 0;
  const throughput = durationMs > 0 ? n / (durationMs / 1000) : 0;
  const meanLatency = n > 0 ? latencySum / n : NaN;
  const lw = throughput * meanLatency / 1000;
  const f = (v: number, d = 1) => v.toFixed(d);
  const gap = throughput > 0 ? (concurrency / throughput) * 1000 - meanLatency : NaN;
  const base = {
    tolerance,
    throughput_rps: throughput,
    mean_latency_ms: meanLatency,
    throughput_x_mean_latency: lw,
    concurrency,
    client_gap_ms: gap,
  };
  const whole = ` Over the whole phase the load generator kept ${f(lw, 2)} requests in flight ` +
    `of its ${concurrency} workers (throughput x mean latency; ${f(gap, 2)} ms per request ` +
    "spent outside a measured request: ramp-up, drain and client work).";
  const noWindow = (why: string): LittleCheck => ({
    ...base,
    window: null,
    holds: null,
    note: `not checked: ${why}.${whole}`,
  });
  if (n <= concurrency || concurrency < 1) {
    return noWindow(
      `${n} requests for ${concurrency} workers leave no steady window (every request is ` +
        "part of the ramp-up or the drain)",
    );
  }
  let start = -Infinity;
  for (const s of bySend.slice(0, concurrency)) start = Math.max(start, s.sentMs + s.latencyMs);
  const end = bySend[n - 1]!.sentMs;
  const span = end - start;
  const sent = bySend.filter((s) => s.sentMs >= start && s.sentMs <= end);
  if (span <= 0 || sent.length === 0) {
    return noWindow(
      "the ramp-up lasted until the last request was sent, so there is no steady window; " +
        "run more requests",
    );
  }
  const window = steadyWindow(samples, sent, start, end);
  const holds = window.relative_error <= tolerance;
  return { ...base, window, holds, note: littleNote(window, holds) + whole };
}

type SteadyWindow = NonNullable<LittleCheck["window"]>;

/** Little's law's two sides over the window [start, end] of send times. */
function steadyWindow(
  samples: readonly Sample[],
  sent: readonly Sample[],
  start: number,
  end: number,
): SteadyWindow {
  const span = end - start;
  let busy = 0;
  let carried = 0;
  let spilled = 0;
  for (const s of samples) {
    const overlap = Math.max(0, Math.min(end, s.sentMs + s.latencyMs) - Math.max(start, s.sentMs));
    busy += overlap;
    if (s.sentMs < start) carried += overlap;
    else if (s.sentMs <= end) spilled += s.latencyMs - overlap;
  }
  const rate = sent.length / (span / 1000);
  const wMean = sent.reduce((a, s) => a + s.latencyMs, 0) / sent.length;
  const predicted = rate * wMean / 1000;
  const inFlight = busy / span;
  return {
    start_ms: start,
    end_ms: end,
    requests: sent.length,
    arrival_rate_rps: rate,
    mean_latency_ms: wMean,
    throughput_x_mean_latency: predicted,
    mean_in_flight: inFlight,
    relative_error: inFlight > 0 ? Math.abs(predicted - inFlight) / inFlight : Infinity,
    carried_in: carried / span,
    spilled_out: spilled / span,
  };
}

/** Whether Little's law held over the window, in words, and which edge made it miss. */
function littleNote(w: SteadyWindow, holds: boolean): string {
  const f = (v: number, d = 1) => v.toFixed(d);
  const span = w.end_ms - w.start_ms;
  const wMean = w.mean_latency_ms;
  const figures =
    `arrival rate x mean latency = ${
      f(w.throughput_x_mean_latency, 2)
    }, measured mean in flight = ` +
    `${f(w.mean_in_flight, 2)} (${f(w.relative_error * 100)} % apart) over the steady window ` +
    `(${f(w.start_ms)}..${f(w.end_ms)} ms, ${w.requests} requests)`;
  if (holds) return `holds: ${figures}.`;
  const edge = w.carried_in >= w.spilled_out
    ? `requests sent before the window but still in flight in it (${
      f(w.carried_in, 2)
    } of the mean in flight) were slower than those sent in it`
    : `requests sent in the window ran past its end (${f(w.spilled_out, 2)} of the product)`;
  const short = span < 10 * wMean
    ? `; the window lasts ${f(span / wMean)} mean latencies, too few to even out its edges: ` +
      "run more requests"
    : "; latency was not steady (see latency by send order)";
  return `does not hold: ${figures}, because ${edge}${short}.`;
}

/** Queueing evidence of one phase run by `concurrency` workers. */
export function queueingEvidence(
  samples: readonly Sample[],
  concurrency: number,
): QueueingEvidence {
  const inFlight = inFlightAtSend(samples);
  const indexed = samples.map((s, i) => ({ s, inFlight: inFlight[i]! }));
  indexed.sort((a, b) => a.s.sentMs - b.s.sentMs || a.s.requestId - b.s.requestId);
  const byOrder = indexed.map((r, position) => ({ key: position, s: r.s }));
  const byInFlight = indexed.map((r) => ({ key: r.inFlight, s: r.s }));
  const withQueue = indexed.filter((r) => r.s.serverQueueMs !== null);
  return {
    by_order: groupByKey(byOrder, 10),
    by_in_flight: groupByKey(byInFlight, 8),
    latency_vs_in_flight: fitLine(
      indexed.map((r) => r.inFlight),
      indexed.map((r) => r.s.latencyMs),
    ),
    queue_vs_in_flight: fitLine(
      withQueue.map((r) => r.inFlight),
      withQueue.map((r) => r.s.serverQueueMs!),
    ),
    latency_vs_order: fitLine(byOrder.map((r) => r.key), byOrder.map((r) => r.s.latencyMs)),
    little: littleCheck(samples, concurrency),
  };
}
