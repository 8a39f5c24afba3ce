/**
 * `loadgate history`: the store's runs listed, shown, a metric's trend over
 * comparable runs, its change points, results folders imported, old runs
 * pruned, and the trend page.
 *
 * @module
 */

import { ExitCode, UsageError } from "../../base/errors.ts";
import { isPostgresUrl, openHistory, shownLocation } from "../../history/open.ts";
import type { HistoryStore } from "../../history/store.ts";
import { changePoints } from "../../stats/change_points.ts";
import type { CliContext } from "../shared/context.ts";
import { parseLabels } from "../shared/flags/history.ts";
import type { HistoryOptions } from "./flags.ts";
import { importRecords } from "./import.ts";
import { changeLines, listLines, trendLines } from "./text.ts";
import { keyFor, seriesFor } from "./series.ts";

/** Runs `history`; returns the exit code. */
export async function historyCommand(o: HistoryOptions, ctx: CliContext): Promise<number> {
  checkArgs(o);
  if (o.sub !== "import") await requireStore(o.location);
  const store = await openHistory(o.location);
  try {
    return await dispatch(o, store, ctx);
  } finally {
    await store.db.close();
  }
}

/** A SQLite store that is not there is an error, not a new empty file (import creates one). */
async function requireStore(location: string): Promise<void> {
  if (isPostgresUrl(location)) return;
  try {
    await Deno.stat(location);
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) throw err;
    throw new UsageError(`No history store at ${location} (runs record into it with --history)`);
  }
}

/** The subcommand's arguments, checked before the store is opened. */
function checkArgs(o: HistoryOptions): void {
  const want: Record<HistoryOptions["sub"], [number, number, string]> = {
    list: [0, 0, ""],
    show: [1, 1, "ID"],
    trend: [1, 1, "METRIC"],
    changes: [0, 1, "[METRIC]"],
    import: [1, Infinity, "DIR..."],
    prune: [0, 0, ""],
    report: [0, 0, ""],
  };
  const [min, max, what] = want[o.sub];
  if (o.args.length < min || o.args.length > max) {
    throw new UsageError(
      `history ${o.sub} takes ${what || "no argument"}, got ${o.args.length} argument(s)`,
    );
  }
  if (o.sub === "show" && !/^\d+$/.test(o.args[0]!)) {
    throw new UsageError(`Cannot parse history show: "${o.args[0]}" is not a run id`);
  }
  if (o.sub === "prune" && (o.keep === null) === (o.before === null)) {
    throw new UsageError("history prune takes one of --keep N or --before DATE");
  }
}

async function dispatch(o: HistoryOptions, store: HistoryStore, ctx: CliContext): Promise<number> {
  switch (o.sub) {
    case "list": {
      const runs = await store.list(o.last === null ? {} : { last: o.last });
      for (const line of listLines(runs)) ctx.out(line);
      return ExitCode.Pass;
    }
    case "show": {
      const run = await store.show(Number(o.args[0]));
      if (run === null) throw new UsageError(`No run #${o.args[0]} in the history store`);
      ctx.out(JSON.stringify(run, null, 2));
      return ExitCode.Pass;
    }
    case "import": {
      const { records, files } = await importRecords(o.args, parseLabels(o.labels));
      for (const [i, record] of records.entries()) {
        ctx.out(`recorded run #${await store.record(record)} from ${files[i]}`);
      }
      ctx.out(`imported ${records.length} run(s) into ${shownLocation(o.location)}`);
      return ExitCode.Pass;
    }
    case "prune": {
      const rule = o.keep !== null ? { keep: o.keep } : { before: o.before! };
      ctx.out(`pruned ${await store.prune(rule)} run(s) from ${shownLocation(o.location)}`);
      return ExitCode.Pass;
    }
    case "report": {
      const { writeTrendPage } = await import("./page_data.ts");
      ctx.out(await writeTrendPage(o, store));
      return ExitCode.Pass;
    }
    default:
      return await seriesCommand(o, store, ctx);
  }
}

/** `trend METRIC` and `changes [METRIC]`. */
async function seriesCommand(o: HistoryOptions, store: HistoryStore, ctx: CliContext) {
  const key = await keyFor(store, o.run);
  if (key === null) {
    ctx.out(`no runs recorded in ${shownLocation(o.location)}`);
    return ExitCode.Pass;
  }
  const metric = o.args[0] ?? "p95";
  const points = await seriesFor(store, key, metric, o.last);
  const lines = o.sub === "trend" ? trendLines(metric, key, points) : changeLines(
    metric,
    key,
    points,
    changePoints(points.map((p) => p.value), {
      maxPValue: o.maxPValue,
      permutations: o.permutations,
      seed: o.seed,
    }),
    o,
  );
  for (const line of lines) ctx.out(line);
  return ExitCode.Pass;
}
