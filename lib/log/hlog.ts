/**
 * HdrHistogram interval logs (`.hlog`), written line for line as
 * HdrHistogram's Java `HistogramLogWriter` writes them, so that its
 * `HistogramLogProcessor`, HistogramLogAnalyzer and the JS/Python readers load
 * them:
 *
 * ```text
 * #[loadgate 0.1.0]
 * #[Histogram log format version 1.3]
 * #[StartTime: 1764624138.000 (seconds since epoch), Tue Dec 01 21:22:18 UTC 2025]
 * #[BaseTime: 1764624138.000 (seconds since epoch)]
 * "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
 * 0.000,1.000,31.999,HISTFAA...
 * ```
 *
 * Histogram values are microseconds; `Interval_Max` is the interval's max
 * divided by `maxValueUnitRatio` (1000 here, so milliseconds; Java's default
 * of 1e6 assumes nanoseconds). Timestamps are seconds relative to BaseTime.
 * Pure: returns text; the caller writes it.
 *
 * @module
 */

import { decodeCompressed, encodeCompressed } from "../stats/histogram/hdr_encoding.ts";
import type { HdrHistogram } from "../stats/histogram/hdr_histogram.ts";

/** The log format version HdrHistogram's writer states. */
export const HLOG_FORMAT_VERSION = "1.3";
/** Histogram values are µs; this ratio turns the logged max into ms. */
export const MAX_VALUE_UNIT_RATIO = 1000;

const LEGEND = '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"';
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** What opens a log. */
export interface HlogHeaderOptions {
  /** Wall-clock start of the run, ms since the epoch. */
  startTimeMs: number;
  /** Interval timestamps are relative to this (ms since the epoch); default startTimeMs. */
  baseTimeMs?: number;
  /** A comment line (without `#`), e.g. the tool and version. */
  comment?: string;
}

/** One interval of the log. */
export interface HlogInterval {
  /** Seconds since BaseTime. */
  startSec: number;
  /** Seconds since BaseTime. */
  endSec: number;
  histogram: HdrHistogram;
  /** Java's optional `Tag=` prefix. */
  tag?: string;
}

/** Java's `Date.toString()` in UTC: `Tue Dec 01 21:22:18 UTC 2026`. */
export function javaDateUtc(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ` +
    `${d.getUTCFullYear()}`;
}

/** The header lines, each ending in "\n": comment, version, StartTime, BaseTime, legend. */
export function hlogHeader(opts: HlogHeaderOptions): string {
  const base = opts.baseTimeMs ?? opts.startTimeMs;
  return (opts.comment === undefined ? "" : `#${opts.comment}\n`) +
    `#[Histogram log format version ${HLOG_FORMAT_VERSION}]\n` +
    `#[StartTime: ${(opts.startTimeMs / 1000).toFixed(3)} (seconds since epoch), ` +
    `${javaDateUtc(opts.startTimeMs)}]\n` +
    `#[BaseTime: ${(base / 1000).toFixed(3)} (seconds since epoch)]\n` +
    `${LEGEND}\n`;
}

/** Standard base64 of bytes (what Java's `printBase64Binary` prints). */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** One interval line, ending in "\n": `[Tag=t,]start,length,max,base64`. */
export function hlogLine(interval: HlogInterval): string {
  const h = interval.histogram;
  const tag = interval.tag === undefined ? "" : `Tag=${interval.tag},`;
  return `${tag}${interval.startSec.toFixed(3)},` +
    `${(interval.endSec - interval.startSec).toFixed(3)},` +
    `${(h.maxUs() / MAX_VALUE_UNIT_RATIO).toFixed(3)},` +
    `${toBase64(encodeCompressed(h))}\n`;
}

/** A log read back. */
export interface ParsedHlog {
  startTimeSec: number | null;
  baseTimeSec: number | null;
  intervals: {
    tag?: string;
    startSec: number;
    lengthSec: number;
    max: number;
    histogram: HdrHistogram;
  }[];
}

/**
 * Reads a log this module wrote (or any log of this histogram layout).
 *
 * @throws {RangeError} for a line that is neither comment, legend nor interval.
 */
export function parseHlog(text: string): ParsedHlog {
  const out: ParsedHlog = { startTimeSec: null, baseTimeSec: null, intervals: [] };
  for (const [n, line] of text.split("\n").entries()) {
    if (line === "" || line === LEGEND) continue;
    const start = /^#\[StartTime: ([\d.]+) /.exec(line);
    if (start) out.startTimeSec = Number(start[1]);
    const base = /^#\[BaseTime: ([\d.]+) /.exec(line);
    if (base) out.baseTimeSec = Number(base[1]);
    if (line.startsWith("#")) continue;
    const m = /^(?:Tag=([^,]*),)?([\d.]+),([\d.]+),([\d.]+),([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new RangeError(`Cannot read hlog line ${n + 1}: ${JSON.stringify(line)}`);
    out.intervals.push({
      ...(m[1] === undefined ? {} : { tag: m[1] }),
      startSec: Number(m[2]),
      lengthSec: Number(m[3]),
      max: Number(m[4]),
      histogram: decodeCompressed(fromBase64(m[5]!)),
    });
  }
  return out;
}
