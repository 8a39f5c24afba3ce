/**
 * The client's own part of a cell's latency, two ways:
 *
 * - the event loop's lag against the decomposition's remainder (`headers_ms`
 *   minus the server's queue and service time: connection setup, sending, and
 *   the client): a read that completes while the loop is busy is timestamped
 *   late by about that lag, so the lag's median over the mean remainder bounds
 *   how much of the remainder the client itself added;
 * - the slowest 5 %'s time outside the server (remainder + body) beside the
 *   client's CPU a request times the requests in flight: the time one wave of
 *   answers takes the client's single thread to read. A lag sampled every few
 *   ms misses most of a wave; the CPU does not. This is what sets a costlier
 *   client (fetch) apart from a leaner one (h1) on the same server.
 *
 * Pure.
 *
 * @module
 */

import type { SelfMonitorSummary } from "../load/self_monitor.ts";
import type { Decomposition } from "./decomposition.ts";

/** One cell's client figures beside its remainder and its tail. */
export interface ClientShare {
  /** Mean remainder over the decomposed requests, ms. */
  remainder_mean_ms: number;
  /** The event loop's lateness during the cell (a timer sampled every few ms), ms. */
  lag_p50_ms: number;
  lag_p99_ms: number;
  /** The generator's CPU over the cell, in cores (1 = one core busy throughout). */
  cpu_share: number;
  /** lag_p50 / remainder mean, at most 1: the client's share of the remainder (an upper estimate); null without a remainder. */
  share_of_remainder: number | null;
  /** The requests at or above the P95 of latency (the decomposition's tail); 0 without one. */
  tail_requests: number;
  /** Their mean latency, ms (NaN without a tail). */
  tail_latency_mean_ms: number;
  /** Their mean time outside the server, remainder + body, ms (NaN without a tail). */
  tail_outside_ms: number;
  /** The client's CPU over the cell a request (cpu_share x wall time / requests), ms. */
  cpu_per_request_ms: number;
  /** Requests in flight at once: the concurrency, at most the cell's requests. */
  in_flight: number;
  /** cpu_per_request x in_flight: the client's one thread's time for one wave of answers, ms. */
  wave_cpu_ms: number;
}

/**
 * The client's share of a cell's latency; null when the cell recorded no client figures.
 * `concurrency` is the number of requests the cell kept in flight.
 */
export function clientShare(
  d: Decomposition,
  client: SelfMonitorSummary | null | undefined,
  concurrency: number,
): ClientShare | null {
  if (!client || client.lag_samples === 0) return null;
  const remainder = d.mean.remainder_ms;
  const share = Number.isFinite(remainder) && remainder > 0
    ? Math.min(1, client.lag_p50_ms / remainder)
    : null;
  const tail = d.tail;
  const tailLatency = tail
    ? tail.mean.queue_ms + tail.mean.service_ms + tail.mean.remainder_ms + tail.mean.body_ms
    : NaN;
  const perRequest = d.requests > 0 ? client.cpu_share * client.wall_ms / d.requests : NaN;
  const inFlight = Math.min(concurrency, d.requests);
  return {
    remainder_mean_ms: remainder,
    lag_p50_ms: client.lag_p50_ms,
    lag_p99_ms: client.lag_p99_ms,
    cpu_share: client.cpu_share,
    share_of_remainder: share,
    tail_requests: tail?.requests ?? 0,
    tail_latency_mean_ms: tailLatency,
    tail_outside_ms: tail ? tail.mean.remainder_ms + tail.mean.body_ms : NaN,
    cpu_per_request_ms: perRequest,
    in_flight: inFlight,
    wave_cpu_ms: perRequest * inFlight,
  };
}
