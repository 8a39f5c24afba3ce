/**
 * The history store on PostgreSQL (`--history postgres://...`), shared by a
 * team whose CI runners keep nothing between runs. Through the `postgres`
 * driver (porsager): no dependencies of its own, runs under Deno's npm
 * support as is, and takes raw SQL with bound parameters (`unsafe(sql,
 * params)`), which the one query layer needs. Loaded only for a postgres URL.
 *
 * @module
 */

import { postgresDriver } from "../base/deps.ts";
import { numberedPlaceholders, type SqlDb, type SqlRow, type SqlValue } from "./sql.ts";

type Sql = Awaited<ReturnType<typeof postgresDriver>>;
type Client = ReturnType<Sql>;

/** Wraps a client (the pool, or one transaction's connection) as an {@linkcode SqlDb}. */
function wrap(client: Client, root: boolean): SqlDb {
  const self: SqlDb = {
    dialect: "postgres",
    query: async (sql: string, params: readonly SqlValue[] = []) => {
      const rows = await client.unsafe(numberedPlaceholders(sql), params as SqlValue[]);
      return rows.map((r: Record<string, unknown>) => ({ ...r }) as SqlRow);
    },
    transaction: async <T>(fn: (db: SqlDb) => Promise<T>): Promise<T> => {
      if (!root) return await fn(self);
      // deno-lint-ignore no-explicit-any
      return await (client as any).begin((tx: Client) => fn(wrap(tx, false))) as T;
    },
    close: async () => {
      if (root) await client.end({ timeout: 5 });
    },
  };
  return self;
}

/** Connects to the PostgreSQL database at `url` (one connection: a command writes in turn). */
export async function openPostgres(url: string): Promise<SqlDb> {
  const postgres = await postgresDriver();
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  await client.unsafe("SELECT 1"); // a wrong URL or a server not there fails here, once
  return wrap(client, true);
}
