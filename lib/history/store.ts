/**
 * The history store over the one query layer ({@linkcode SqlDb}): record a
 * run, list runs, show one, read a metric's series over comparable runs,
 * prune. The same SQL runs on SQLite and PostgreSQL; every list is ordered
 * by id, so both give the same answers.
 *
 * @module
 */

import {
  canonicalJson,
  type ComparableKey,
  DISTRIBUTION_ENCODING,
  type HistoryRecord,
  loadKeyOf,
} from "./record.ts";
import type { SqlDb, SqlRow } from "./sql.ts";

/** A run as `history list` shows it. */
export interface RunRow {
  id: number;
  recordedAt: string;
  command: string;
  target: string;
  workloadDigest: string;
  loadKey: string;
  verdict: string;
  labels: Record<string, string>;
}

/** One point of a metric's series. */
export interface SeriesPoint {
  id: number;
  recordedAt: string;
  value: number;
  labels: Record<string, string>;
}

/** Which runs a list or a prune covers. */
export interface RunFilter {
  /** Only runs comparable with this key. */
  key?: ComparableKey;
  /** The newest N (after the other filters). */
  last?: number;
}

const RUN_COLUMNS = "id, recorded_at, command, target, workload_digest, load_key, verdict";

function runRow(r: SqlRow, labels: Record<string, string>): RunRow {
  return {
    id: Number(r.id),
    recordedAt: String(r.recorded_at),
    command: String(r.command),
    target: String(r.target),
    workloadDigest: String(r.workload_digest),
    loadKey: String(r.load_key),
    verdict: String(r.verdict),
    labels,
  };
}

/** The WHERE clause and parameters of a comparable key. */
function keyClause(key: ComparableKey | undefined): { where: string; params: string[] } {
  if (!key) return { where: "", params: [] };
  return {
    where: " WHERE target = ? AND workload_digest = ? AND load_key = ?",
    params: [key.target, key.workloadDigest, key.loadKey],
  };
}

/** The history store on one database. */
export class HistoryStore {
  constructor(readonly db: SqlDb) {}

  /** Records `rec`; returns its id. */
  record(rec: HistoryRecord): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO runs (recorded_at, started_at, command, target, workload_digest, load_key,
          load_json, engine, tool_version, deno_version, verdict, source)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          rec.recordedAt,
          rec.startedAt,
          rec.command,
          rec.target,
          rec.workloadDigest,
          loadKeyOf(rec.load),
          canonicalJson(rec.load),
          rec.engine,
          rec.toolVersion,
          rec.denoVersion,
          rec.verdict,
          rec.source,
        ],
      );
      const id = Number(row!.id);
      for (const [key, value] of Object.entries(rec.labels)) {
        await tx.query("INSERT INTO labels (run_id, key, value) VALUES (?, ?, ?)", [
          id,
          key,
          value,
        ]);
      }
      for (const [name, value] of Object.entries(rec.figures)) {
        await tx.query("INSERT INTO figures (run_id, name, value) VALUES (?, ?, ?)", [
          id,
          name,
          value,
        ]);
      }
      for (const [i, t] of rec.thresholds.entries()) {
        await tx.query(
          `INSERT INTO thresholds (run_id, position, expr, metric, op, value, actual, pass)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, i, t.expr, t.metric, t.op, t.value, t.actual, t.pass ? 1 : 0],
        );
      }
      if (rec.distribution !== null) {
        await tx.query(
          "INSERT INTO distributions (run_id, name, encoding, data) VALUES (?, ?, ?, ?)",
          [id, "latency_ms", DISTRIBUTION_ENCODING, rec.distribution],
        );
      }
      return id;
    });
  }

  /** Labels of the runs with ids in [`from`, `to`], by run id. */
  async #labels(from: number, to: number): Promise<Map<number, Record<string, string>>> {
    const rows = await this.db.query(
      "SELECT run_id, key, value FROM labels WHERE run_id >= ? AND run_id <= ? ORDER BY run_id, key",
      [from, to],
    );
    const out = new Map<number, Record<string, string>>();
    for (const r of rows) {
      const id = Number(r.run_id);
      if (!out.has(id)) out.set(id, {});
      out.get(id)![String(r.key)] = String(r.value);
    }
    return out;
  }

  /** Runs, oldest first: all, or those of `filter`. */
  async list(filter: RunFilter = {}): Promise<RunRow[]> {
    const { where, params } = keyClause(filter.key);
    const limit = filter.last === undefined ? "" : ` LIMIT ${Math.trunc(filter.last)}`;
    const rows = await this.db.query(
      `SELECT ${RUN_COLUMNS} FROM runs${where} ORDER BY id DESC${limit}`,
      params,
    );
    rows.reverse();
    if (rows.length === 0) return [];
    const labels = await this.#labels(Number(rows[0]!.id), Number(rows[rows.length - 1]!.id));
    return rows.map((r) => runRow(r, labels.get(Number(r.id)) ?? {}));
  }

  /** The comparable key of run `id` (the newest run when absent); null when there is none. */
  async keyOfRun(id?: number): Promise<ComparableKey | null> {
    const [r] = id === undefined
      ? await this.db.query(
        "SELECT target, workload_digest, load_key FROM runs ORDER BY id DESC LIMIT 1",
      )
      : await this.db.query("SELECT target, workload_digest, load_key FROM runs WHERE id = ?", [
        id,
      ]);
    if (!r) return null;
    return {
      target: String(r.target),
      workloadDigest: String(r.workload_digest),
      loadKey: String(r.load_key),
    };
  }

  /** Everything recorded of run `id`; null when there is no such run. */
  async show(id: number): Promise<Record<string, unknown> | null> {
    const [run] = await this.db.query("SELECT * FROM runs WHERE id = ?", [id]);
    if (!run) return null;
    const q = (sql: string) => this.db.query(sql, [id]);
    const labels = (await this.#labels(id, id)).get(id) ?? {};
    const figures = Object.fromEntries(
      (await q("SELECT name, value FROM figures WHERE run_id = ? ORDER BY name")).map((
        r,
      ) => [String(r.name), Number(r.value)]),
    );
    const thresholds = (await q(
      "SELECT expr, metric, op, value, actual, pass FROM thresholds WHERE run_id = ? ORDER BY position",
    )).map((t) => ({
      expr: t.expr,
      metric: t.metric,
      op: t.op,
      value: Number(t.value),
      actual: t.actual === null ? null : Number(t.actual),
      pass: Number(t.pass) === 1,
    }));
    const [dist] = await q("SELECT name, encoding, data FROM distributions WHERE run_id = ?");
    const { load_json, ...rest } = run;
    return {
      ...rest,
      id: Number(run.id),
      load: JSON.parse(String(load_json)),
      labels,
      figures,
      thresholds,
      distribution: dist ? { name: dist.name, encoding: dist.encoding, data: dist.data } : null,
    };
  }

  /** `metric` over the last `last` runs comparable with `key`, oldest first. */
  async series(metric: string, key: ComparableKey, last?: number): Promise<SeriesPoint[]> {
    const limit = last === undefined ? "" : ` LIMIT ${Math.trunc(last)}`;
    const rows = await this.db.query(
      `SELECT r.id, r.recorded_at, f.value FROM runs r JOIN figures f ON f.run_id = r.id
        WHERE r.target = ? AND r.workload_digest = ? AND r.load_key = ? AND f.name = ?
        ORDER BY r.id DESC${limit}`,
      [key.target, key.workloadDigest, key.loadKey, metric],
    );
    rows.reverse();
    if (rows.length === 0) return [];
    const labels = await this.#labels(Number(rows[0]!.id), Number(rows[rows.length - 1]!.id));
    return rows.map((r) => ({
      id: Number(r.id),
      recordedAt: String(r.recorded_at),
      value: Number(r.value),
      labels: labels.get(Number(r.id)) ?? {},
    }));
  }

  /** The SLA thresholds on `metric` of the newest run with `key` (for the trend page's lines). */
  async thresholds(metric: string, key: ComparableKey): Promise<{ op: string; value: number }[]> {
    const rows = await this.db.query(
      `SELECT t.op, t.value FROM thresholds t WHERE t.metric = ? AND t.run_id = (
        SELECT MAX(id) FROM runs WHERE target = ? AND workload_digest = ? AND load_key = ?)
        ORDER BY t.position`,
      [metric, key.target, key.workloadDigest, key.loadKey],
    );
    return rows.map((r) => ({ op: String(r.op), value: Number(r.value) }));
  }

  /** Names of the figures recorded for runs with `key`, sorted. */
  async metrics(key: ComparableKey): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT f.name FROM figures f JOIN runs r ON r.id = f.run_id
        WHERE r.target = ? AND r.workload_digest = ? AND r.load_key = ? ORDER BY f.name`,
      [key.target, key.workloadDigest, key.loadKey],
    );
    return rows.map((r) => String(r.name));
  }

  /** Deletes the runs older than the newest `keep`, or recorded before `before`; returns how many. */
  prune(rule: { keep?: number; before?: string }): Promise<number> {
    return this.db.transaction(async (tx) => {
      const doomed = rule.keep !== undefined
        ? await tx.query(
          `SELECT id FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ${
            Math.trunc(rule.keep)
          }) ORDER BY id`,
        )
        : await tx.query("SELECT id FROM runs WHERE recorded_at < ? ORDER BY id", [
          rule.before ?? "",
        ]);
      for (const { id } of doomed) {
        for (const table of ["labels", "figures", "thresholds", "distributions"]) {
          await tx.query(`DELETE FROM ${table} WHERE run_id = ?`, [id as number]);
        }
        await tx.query("DELETE FROM runs WHERE id = ?", [id as number]);
      }
      return doomed.length;
    });
  }
}
