/**
 * The client's own share of the remainder: the decomposition's remainder
 * (`headers_ms` minus the server's queue and service time: connection setup,
 * sending, and the client) set against how late the load generator's event
 * loop ran during the cell. A read that completes while the loop is busy is
 * timestamped late by about that lag, so the lag's median over the mean
 * remainder bounds how much of the remainder the client itself added. Pure.
 *
 * @module
 */

import type { SelfMonitorSummary } from "../load/self_monitor.ts";
import type { Decomposition } from "./decomposition.ts";

/** One cell's client figures beside its remainder. */
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
}

/** The client's share of a cell's remainder; null when the cell recorded no client figures. */
export function clientShare(
  d: Decomposition,
  client: SelfMonitorSummary | null | undefined,
): ClientShare | null {
  if (!client || client.lag_samples === 0) return null;
  const remainder = d.mean.remainder_ms;
  const share = Number.isFinite(remainder) && remainder > 0
    ? Math.min(1, client.lag_p50_ms / remainder)
    : null;
  return {
    remainder_mean_ms: remainder,
    lag_p50_ms: client.lag_p50_ms,
    lag_p99_ms: client.lag_p99_ms,
    cpu_share: client.cpu_share,
    share_of_remainder: share,
  };
}
