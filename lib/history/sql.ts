/**
 * The one query layer both stores speak: SQL with `?` placeholders, rows as
 * plain objects. SQLite (`node:sqlite`, embedded) and PostgreSQL (the
 * `postgres` driver, shared) each implement it in a file of their own, and
 * everything above (schema, store, commands) is written once against it.
 *
 * @module
 */

/** A value bound to a placeholder. */
export type SqlValue = string | number | null;

/** A row as the database returns it. */
export type SqlRow = Record<string, SqlValue>;

/** A database connection behind the history store. */
export interface SqlDb {
  readonly dialect: "sqlite" | "postgres";
  /** Runs one statement with `?` placeholders; returns its rows (none for most writes). */
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs `fn` in one transaction: all of its writes or none. */
  transaction<T>(fn: (db: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (the store's SQL has no `?` in literals). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
