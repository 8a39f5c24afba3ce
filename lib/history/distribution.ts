/**
 * A run's latency distribution as the history keeps it: an HdrHistogram
 * (3 significant digits) in HdrHistogram's compressed V2 encoding, as base64
 * text, the form an interval log (`--hlog`) holds each interval in, so any
 * HdrHistogram library reads it back.
 *
 * @module
 */

import { decodeCompressed, encodeCompressed } from "../stats/histogram/hdr_encoding.ts";
import { HdrHistogram } from "../stats/histogram/hdr_histogram.ts";
import { toBase64 } from "../log/hlog.ts";

/** The encoded histogram of `latenciesMs`; null when there are none. */
export function encodeDistribution(latenciesMs: ArrayLike<number>): string | null {
  if (latenciesMs.length === 0) return null;
  const h = new HdrHistogram();
  for (let i = 0; i < latenciesMs.length; i++) h.record(latenciesMs[i]!);
  return toBase64(encodeCompressed(h));
}

/** The histogram of an encoded distribution. */
export function decodeDistribution(text: string): HdrHistogram {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return decodeCompressed(bytes);
}
