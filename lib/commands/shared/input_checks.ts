/**
 * Checks on what the user gives loadgate, beyond the syntax of a flag: load
 * settings in a sane range, request bodies that are the JSON they claim to
 * be, logs that can be compared. Each failure is a one-line
 * {@linkcode UsageError} (exit 2) quoting the bad value.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import type { Sample } from "../../stats/sample.ts";

/** Upper bounds of the load settings. Larger values are mistakes, not load tests. */
export const LIMITS = {
  /** The workload holds every body in memory, and each sample too. */
  requests: 1_000_000,
  /** Each worker may hold a socket; more would exhaust file descriptors. */
  concurrency: 10_000,
  /** One hour; longer would also overflow the timers used for timeouts. */
  timeoutMs: 3_600_000,
  /** Seeds are 32-bit. */
  seed: 0xffff_ffff,
  /** Warm-up requests are requests too. */
  warmup: 1_000_000,
} as const;

/** The longest a timer can wait (2^31 - 1 ms, about 24.8 days); longer overflows to 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;
/** The stub's largest service time, ms: a minute is far beyond any inference stand-in. */
export const MAX_SERVICE_MS = 60_000;

/** Load settings to check; absent ones are not checked. */
export interface LoadSettings {
  requests?: number;
  concurrency?: number;
  timeoutMs?: number;
  seed?: number | null;
  maxErrorRate?: number;
  warmup?: number;
  /** Open loop arrivals per second, or null. */
  rate?: number | null;
  /** The job's stub service time range, ms. */
  serviceMs?: readonly [number, number];
}

const FLAG_OF: Record<keyof typeof LIMITS, string> = {
  requests: "--requests",
  concurrency: "--concurrency",
  timeoutMs: "--timeout-ms",
  seed: "--seed",
  warmup: "--warmup",
};

/** Throws {@linkcode UsageError} when a setting is above its limit or a rate above 1. */
export function checkLoadLimits(s: LoadSettings): void {
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const v = s[key];
    if (typeof v === "number" && v > LIMITS[key]) {
      throw new UsageError(`Cannot parse ${FLAG_OF[key]}: "${v}" is above ${LIMITS[key]}`);
    }
  }
  if (s.maxErrorRate !== undefined && s.maxErrorRate > 1) {
    throw new UsageError(`Cannot parse --max-error-rate: "${s.maxErrorRate}" is above 1`);
  }
  if (typeof s.rate === "number" && !(1000 / s.rate <= MAX_TIMER_MS)) {
    throw new UsageError(
      `Cannot parse --rate: "${s.rate}" is below ${
        (1000 / MAX_TIMER_MS).toPrecision(3)
      } per second (one interval must fit a timer, 24.8 days)`,
    );
  }
  if (s.serviceMs !== undefined && s.serviceMs[1] > MAX_SERVICE_MS) {
    throw new UsageError(
      `Cannot parse --service-ms: "${s.serviceMs.join(":")}" is above ${MAX_SERVICE_MS} ms`,
    );
  }
}

/** The first `n` characters of `text` on one line, for quoting in a message. */
export function quoteStart(text: string, n = 40): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n)}...` : flat;
}

/**
 * Checks that a request body is JSON when its content type says so (no
 * content type, or another one, and the body is sent as it is).
 * `source` names where it came from (`--body`, `--body file "x.json"`).
 */
export function checkJsonBody(text: string, source: string, contentType: string | undefined): void {
  if (contentType === undefined || !/\bjson\b/i.test(contentType)) return;
  try {
    JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(
      `Cannot parse ${source}: "${quoteStart(text)}" is not JSON (${why}); ` +
        "set another content-type with -H to send it as is",
    );
  }
}

/** Checks that a log read for `compare` has rows and no request twice. */
export function checkComparableLog(samples: readonly Sample[], path: string): void {
  if (samples.length === 0) {
    throw new UsageError(`Cannot read log "${path}": it has a header but no rows`);
  }
  const seen = new Map<number, number>();
  samples.forEach((s, i) => {
    const first = seen.get(s.requestId);
    if (first !== undefined) {
      throw new UsageError(
        `Cannot read log "${path}": request_id ${s.requestId} appears twice (lines ${
          first + 2
        } and ${i + 2})`,
      );
    }
    seen.set(s.requestId, i);
  });
}
