/**
 * The 2 x 2 factorial run: the stub's handler (serialized, concurrent) crossed
 * with the client's connection policy (fresh, pooled), every cell under the
 * same workload and load. From the four cells' latencies it gives each
 * factor's effect on P50/P95/P99 and the mean, at each level of the other
 * factor and averaged (the main effect), and their interaction, each with a
 * bootstrap interval. Pure: samples in, figures out.
 *
 * Effects are "after minus before": concurrent minus serialized, pooled minus
 * fresh, so a negative effect is a latency reduction. The interaction follows
 * Yates: half the difference between the connection effect under the
 * concurrent handler and under the serialized one (equally, half the
 * difference of the handler effect between pooled and fresh); 0 means the two
 * effects simply add up.
 *
 * @module
 */

import type { ConnectionPolicy } from "../load/connection.ts";
import { mulberry32 } from "../stats/random.ts";
import type { Sample } from "../stats/sample.ts";
import { percentile, sortedCopy, summarize } from "../stats/stats.ts";

/** The stub's handler modes. */
export type Handler = "serialized" | "concurrent";

/** One cell of the 2 x 2 run. */
export interface CellPlan {
  /** Phase name: its log is `<name>.csv`. */
  name: string;
  mode: Handler;
  policy: ConnectionPolicy;
}

/** The four cells. baseline and optimized are the main job's two phases. */
export const FACTORIAL_CELLS: readonly CellPlan[] = [
  { name: "baseline", mode: "serialized", policy: "fresh" },
  { name: "serialized_pooled", mode: "serialized", policy: "pooled" },
  { name: "concurrent_fresh", mode: "concurrent", policy: "fresh" },
  { name: "optimized", mode: "concurrent", policy: "pooled" },
];

/** The main job's two phases, baseline and optimized: the diagonal of the four cells. */
export const MAIN_CELLS: readonly CellPlan[] = FACTORIAL_CELLS.filter((c) =>
  c.name === "baseline" || c.name === "optimized"
);

/** The cells the main job runs beside baseline and optimized. */
export const EXTRA_CELLS: readonly CellPlan[] = FACTORIAL_CELLS.filter((c) =>
  !MAIN_CELLS.includes(c)
);

/**
 * The order to run cells in: those with the same handler back to back (fresh,
 * then pooled), so the two cells a connection effect compares run as close in
 * time as they can, and a drift in the machine's load weighs on them least.
 */
export function runOrder<T extends { mode: string; policy: string }>(plans: readonly T[]): T[] {
  const rank = (p: T) => (p.mode === "serialized" ? 0 : 2) + (p.policy === "fresh" ? 0 : 1);
  return [...plans].sort((a, b) => rank(a) - rank(b));
}

/** Latency statistics the effects are computed on. */
export const METRICS = ["p50", "p95", "p99", "mean"] as const;

/** One of {@linkcode METRICS}. */
export type Metric = typeof METRICS[number];

/** A statistic in each cell, keyed `<handler>_<policy>`. */
export interface CellValues {
  serialized_fresh: number;
  serialized_pooled: number;
  concurrent_fresh: number;
  concurrent_pooled: number;
}

/** The effects on one statistic, ms (after minus before). */
export interface Effects {
  /** Concurrent minus serialized, averaged over both connection policies. */
  handler_main: number;
  handler_with_fresh: number;
  handler_with_pooled: number;
  /** Pooled minus fresh, averaged over both handlers. */
  connections_main: number;
  connections_with_serialized: number;
  connections_with_concurrent: number;
  /** Half the difference between the connection effect under each handler (Yates). */
  interaction: number;
}

/** The names of {@linkcode Effects}, in report order. */
export const EFFECT_NAMES: readonly (keyof Effects)[] = [
  "handler_main",
  "handler_with_fresh",
  "handler_with_pooled",
  "connections_main",
  "connections_with_serialized",
  "connections_with_concurrent",
  "interaction",
];

/**
 * The effects of a 2 x 2 design on one statistic.
 *
 * @example
 * ```ts
 * effectsOf({ serialized_fresh: 1000, serialized_pooled: 1000, concurrent_fresh: 40, concurrent_pooled: 30 });
 * // handler_main -965, connections_main -5, interaction -5
 * ```
 */
export function effectsOf(v: CellValues): Effects {
  const handlerWithFresh = v.concurrent_fresh - v.serialized_fresh;
  const handlerWithPooled = v.concurrent_pooled - v.serialized_pooled;
  const connWithSerialized = v.serialized_pooled - v.serialized_fresh;
  const connWithConcurrent = v.concurrent_pooled - v.concurrent_fresh;
  return {
    handler_main: (handlerWithFresh + handlerWithPooled) / 2,
    handler_with_fresh: handlerWithFresh,
    handler_with_pooled: handlerWithPooled,
    connections_main: (connWithSerialized + connWithConcurrent) / 2,
    connections_with_serialized: connWithSerialized,
    connections_with_concurrent: connWithConcurrent,
    interaction: (connWithConcurrent - connWithSerialized) / 2,
  };
}

/** A statistic of ascending latencies. */
export function statistic(sorted: Float64Array, metric: Metric): number {
  if (metric === "mean") {
    let sum = 0;
    for (const v of sorted) sum += v;
    return sorted.length > 0 ? sum / sorted.length : NaN;
  }
  return percentile(sorted, Number(metric.slice(1)));
}

/** One cell's figures. */
export interface FactorialCell {
  name: string;
  handler: Handler;
  connections: ConnectionPolicy;
  requests: number;
  ok: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  throughput: number;
}

/** The whole 2 x 2 analysis. */
export interface Factorial {
  cells: FactorialCell[];
  /** Effects on each statistic, ms. */
  effects: Record<Metric, Effects>;
  /** Bootstrap percentile interval of each effect, ms. */
  intervals: Record<Metric, Record<keyof Effects, [number, number]>>;
  bootstrap: { resamples: number; confidence: number; seed: number; note: string };
  /**
   * A serialized server sets its own pace: with C requests always queued, mean
   * latency = C / throughput. So a connection effect under the serialized
   * handler can only come through that pace, and a pace that changed between
   * the two cells (the policy, or the machine's load) predicts it.
   */
  serialized_pace: {
    fresh_rps: number;
    pooled_rps: number;
    /** Mean latency change (pooled - fresh) the pace difference alone predicts. */
    predicted_mean_change_ms: number;
    measured_mean_change_ms: number;
  };
  convention: string;
}

/** Options of {@linkcode analyzeFactorial}. */
export interface FactorialOptions {
  /** Bootstrap resamples (default 1000, fewer for very large runs). */
  resamples?: number;
  seed?: number;
  confidence?: number;
}

const KEY = (mode: Handler, policy: ConnectionPolicy) => `${mode}_${policy}` as keyof CellValues;

/**
 * Analyzes the four cells. Throws `TypeError` unless each handler x policy
 * combination appears exactly once.
 */
export function analyzeFactorial(
  cells: readonly { plan: CellPlan; samples: readonly Sample[] }[],
  options: FactorialOptions = {},
): Factorial {
  const byKey = new Map<keyof CellValues, readonly Sample[]>();
  for (const c of cells) byKey.set(KEY(c.plan.mode, c.plan.policy), c.samples);
  const keys: (keyof CellValues)[] = [
    "serialized_fresh",
    "serialized_pooled",
    "concurrent_fresh",
    "concurrent_pooled",
  ];
  if (cells.length !== 4 || keys.some((k) => !byKey.has(k))) {
    throw new TypeError(
      `Cannot analyze a 2 x 2 run from cells ${cells.map((c) => KEY(c.plan.mode, c.plan.policy))}`,
    );
  }
  const latencies = new Map(keys.map((k) => [k, byKey.get(k)!.map((s) => s.latencyMs)]));
  const sorted = new Map(keys.map((k) => [k, sortedCopy(latencies.get(k)!)]));
  const effects = {} as Record<Metric, Effects>;
  for (const m of METRICS) effects[m] = effectsOf(valuesOf(keys, sorted, m));

  const total = keys.reduce((a, k) => a + latencies.get(k)!.length, 0);
  const resamples = options.resamples ??
    Math.max(100, Math.min(1000, Math.floor(4_000_000 / Math.max(1, total))));
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  const intervals = bootstrapIntervals(keys, latencies, { resamples, seed, confidence });
  const figures = keys.map((k) => {
    const cell = cells.find((c) => KEY(c.plan.mode, c.plan.policy) === k)!;
    return cellFigures(cell.plan, cell.samples);
  });
  const [sf, sp] = [figures[0]!, figures[1]!];
  return {
    cells: figures,
    effects,
    intervals,
    serialized_pace: {
      fresh_rps: sf.throughput,
      pooled_rps: sp.throughput,
      predicted_mean_change_ms: sf.mean * (sf.throughput / sp.throughput - 1),
      measured_mean_change_ms: sp.mean - sf.mean,
    },
    bootstrap: {
      resamples,
      confidence,
      seed,
      note: "each cell's latencies resampled with replacement, independently; requests of a " +
        "closed loop are not independent (a slow request delays the next), so the intervals " +
        "are narrower than the run-to-run spread",
    },
    convention: "effects are after minus before (concurrent - serialized, pooled - fresh), in " +
      "ms; negative means faster. interaction = ((concurrent_pooled - concurrent_fresh) - " +
      "(serialized_pooled - serialized_fresh)) / 2 (Yates); 0 means the effects add up",
  };
}

type CellKey = keyof CellValues;

function valuesOf(
  keys: readonly CellKey[],
  source: Map<CellKey, Float64Array>,
  metric: Metric,
): CellValues {
  const v = {} as CellValues;
  for (const k of keys) v[k] = statistic(source.get(k)!, metric);
  return v;
}

/** Percentile-bootstrap intervals of every effect: each cell resampled independently. */
function bootstrapIntervals(
  keys: readonly CellKey[],
  latencies: Map<CellKey, number[]>,
  o: { resamples: number; seed: number; confidence: number },
): Factorial["intervals"] {
  const rand = mulberry32(o.seed);
  const draws = {} as Record<Metric, Record<keyof Effects, number[]>>;
  for (const m of METRICS) {
    draws[m] = Object.fromEntries(EFFECT_NAMES.map((e) => [e, [] as number[]])) as Record<
      keyof Effects,
      number[]
    >;
  }
  for (let r = 0; r < o.resamples; r++) {
    const resampled = new Map<CellKey, Float64Array>();
    for (const k of keys) {
      const xs = latencies.get(k)!;
      const out = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) out[i] = xs[Math.floor(rand() * xs.length)]!;
      resampled.set(k, out.sort());
    }
    for (const m of METRICS) {
      const e = effectsOf(valuesOf(keys, resampled, m));
      for (const name of EFFECT_NAMES) draws[m][name].push(e[name]);
    }
  }
  const intervals = {} as Factorial["intervals"];
  const lo = (1 - o.confidence) / 2 * 100;
  for (const m of METRICS) {
    intervals[m] = {} as Record<keyof Effects, [number, number]>;
    for (const name of EFFECT_NAMES) {
      const s = sortedCopy(draws[m][name]);
      intervals[m][name] = [percentile(s, lo), percentile(s, 100 - lo)];
    }
  }
  return intervals;
}

/** One cell's headline figures. */
function cellFigures(plan: CellPlan, samples: readonly Sample[]): FactorialCell {
  const s = summarize(samples);
  return {
    name: plan.name,
    handler: plan.mode,
    connections: plan.policy,
    requests: s.requests,
    ok: s.ok,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    mean: s.mean,
    throughput: s.throughput,
  };
}

/** True when an interval lies wholly on one side of 0 (the effect is told apart from noise). */
export function excludesZero([lo, hi]: [number, number]): boolean {
  return lo > 0 || hi < 0;
}
