/**
 * What `history report` draws, read from the store: the comparable runs
 * (id, time, labels), each metric's value per run, the SLA thresholds on it,
 * and its change points. Then the page is written.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";
import { shownLocation } from "../../history/open.ts";
import type { ComparableKey } from "../../history/record.ts";
import type { HistoryStore } from "../../history/store.ts";
import { changePoints } from "../../stats/change_points.ts";
import type { HistoryOptions } from "./flags.ts";
import { keyFor } from "./series.ts";
import { writeText } from "../shared/write_text.ts";
import { renderTrendPage, type TrendData, type TrendMetric } from "./page.ts";
import { keyText } from "./text.ts";

/** The metrics drawn when `--metric` is not given (those recorded). */
export const DEFAULT_PAGE_METRICS = ["p50", "p95", "p99", "throughput", "error_rate"];

/** Reads the page's data for `key`. */
export async function trendData(
  store: HistoryStore,
  key: ComparableKey,
  o: Pick<HistoryOptions, "last" | "metrics" | "maxPValue" | "permutations" | "seed">,
): Promise<TrendData> {
  const runs = await store.list({ key, ...(o.last === null ? {} : { last: o.last }) });
  const recorded = await store.metrics(key);
  const asked = o.metrics.length > 0 ? o.metrics : DEFAULT_PAGE_METRICS;
  const missing = o.metrics.filter((m) => !recorded.includes(m));
  if (missing.length > 0) {
    throw new UsageError(
      `No figure "${missing[0]}" in the comparable runs; recorded: ${recorded.join(", ")}`,
    );
  }
  const metrics: TrendMetric[] = [];
  for (const name of asked.filter((m) => recorded.includes(m))) {
    const series = await store.series(name, key, o.last ?? undefined);
    const byId = new Map(series.map((p) => [p.id, p.value]));
    const values = runs.map((r) => byId.get(r.id) ?? null);
    const present = runs.map((r, i) => ({ id: r.id, i })).filter((p) => values[p.i] !== null);
    const found = changePoints(present.map((p) => values[p.i]!), o);
    metrics.push({
      name,
      values,
      sla: (await store.thresholds(name, key)).map((t) => ({
        expr: `${name}${t.op}${t.value}`,
        value: t.value,
      })),
      changes: found.map((c) => ({
        index: present[c.index]!.i,
        id: present[c.index]!.id,
        before: c.before,
        after: c.after,
        percent: c.percent,
        pValue: c.pValue,
      })),
    });
  }
  return {
    title: `loadgate history: ${key.target}`,
    key: keyText(key),
    method: `E-divisive means, ${o.permutations} permutations, p <= ${o.maxPValue}`,
    runs: runs.map((r) => ({ id: r.id, recordedAt: r.recordedAt, labels: r.labels })),
    metrics,
  };
}

/** `history report`: writes the page; returns the line that says where. */
export async function writeTrendPage(o: HistoryOptions, store: HistoryStore): Promise<string> {
  const key = await keyFor(store, o.run);
  if (key === null) throw new UsageError(`No runs recorded in ${shownLocation(o.location)}`);
  const html = renderTrendPage(await trendData(store, key, o));
  const temp = `${o.out}.partial`;
  try {
    await writeText(temp, html);
    await Deno.rename(temp, o.out);
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) throw err;
    throw new UsageError(`Cannot write ${o.out}: ${(err as Error).message}`);
  }
  return `wrote ${o.out}`;
}
