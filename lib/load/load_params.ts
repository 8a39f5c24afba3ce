/**
 * The load a phase ran under, as its summary records it.
 *
 * @module
 */

/** The load a phase ran under; two phases compare fairly only when these match. */
export interface LoadParams {
  requests: number;
  concurrency: number;
  timeout_ms: number;
  method: string;
  /** URL path (host and port differ between stub processes). */
  path: string;
  /** SHA-256 of the request headers, sorted, as JSON. */
  headers_sha256: string;
  /** Digest naming the request bodies in order. */
  workload_digest: string;
  // Written by `run` only when not the default (closed loop bounded by count,
  // no warm-up, no streaming), so such logs stay comparable with the main job's.
  /** `open`: requests sent on a schedule (`rate` arrivals per second). */
  load_model?: "open";
  rate?: number;
  arrival?: string;
  /** Seed of a Poisson schedule. */
  arrival_seed?: number;
  max_in_flight?: number;
  /** The run was bounded by time (and by `requests`, whichever came first). */
  duration_s?: number;
  /** Warm-up requests sent before the measured ones. */
  warmup?: number;
  /** Streamed responses were parsed. */
  stream?: boolean;
}
