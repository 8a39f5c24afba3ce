/**
 * The history store in a SQLite file, through Deno's built-in `node:sqlite`
 * (`DatabaseSync`): no dependency, and a file any SQLite client reads. Loaded
 * only when a command is given `--history` with a path.
 *
 * @module
 */

import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type { SqlDb, SqlRow, SqlValue } from "./sql.ts";

/** Opens (creating when absent) the SQLite file at `path`. */
export function openSqlite(path: string): SqlDb {
  const db = new DatabaseSync(path);
  // Several CI steps may record into one file; wait for a writer instead of failing at once.
  db.exec("PRAGMA busy_timeout = 5000");
  let inTransaction = false;
  const self: SqlDb = {
    dialect: "sqlite",
    query: (sql: string, params: readonly SqlValue[] = []) => {
      const rows = db.prepare(sql).all(...(params as SQLInputValue[]));
      return Promise.resolve(rows.map((r) => ({ ...r }) as SqlRow));
    },
    transaction: async <T>(fn: (db: SqlDb) => Promise<T>): Promise<T> => {
      if (inTransaction) return await fn(self);
      db.exec("BEGIN IMMEDIATE");
      inTransaction = true;
      try {
        const result = await fn(self);
        db.exec("COMMIT");
        return result;
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      } finally {
        inTransaction = false;
      }
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
  return self;
}
