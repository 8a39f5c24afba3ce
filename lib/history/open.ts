/**
 * Opens the history store a `--history` value names: a `postgres://` (or
 * `postgresql://`) URL, or a SQLite file path. The driver loads here, on use:
 * a command without `--history` loads neither `node:sqlite` nor the npm
 * driver (docs/architecture.md, what a command loads).
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import { migrate } from "./schema.ts";
import { HistoryStore } from "./store.ts";

/** The store's path when `--history` is given bare. */
export const DEFAULT_HISTORY_PATH = "results/history.db";

/** True for a PostgreSQL URL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The location as it may be printed: a URL without its password. */
export function shownLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    return url.href;
  } catch {
    return "postgres://(unreadable URL)";
  }
}

/** Opens and migrates the store at `location`. A store that cannot be opened is a usage error. */
export async function openHistory(location: string): Promise<HistoryStore> {
  let db;
  try {
    if (isPostgresUrl(location)) {
      const { openPostgres } = await import("./postgres.ts");
      db = await openPostgres(location);
    } else {
      const { openSqlite } = await import("./sqlite.ts");
      const folder = location.replace(/[\\/][^\\/]*$/, "");
      if (folder !== location && folder !== "") await Deno.mkdir(folder, { recursive: true });
      db = openSqlite(location);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) throw err;
    throw new UsageError(
      `Cannot open the history store ${shownLocation(location)}: ${(err as Error).message}`,
    );
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `Cannot use the history store ${shownLocation(location)}: ${(err as Error).message}`,
    );
  }
  return new HistoryStore(db);
}
