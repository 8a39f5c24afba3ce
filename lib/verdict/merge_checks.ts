/**
 * The checks of a merge: pure functions from what each shard recorded, and
 * from the request ids seen in their logs, to named checks in the verdict.
 * They prove the shards together ran exactly the workload one process would
 * have: every shard once, one workload, one load, one tool version, one
 * target, every id once, none interrupted. The start skew between shards is
 * a warning, not a failure.
 *
 * @module
 */

/** What `merge` knows of one shard, from its summary. */
export interface ShardFacts {
  /** Where it came from (a folder), for messages. */
  source: string;
  index: number;
  count: number;
  total_requests: number;
  workload_digest: string;
  /** The summary's `load` object (the whole run's load parameters). */
  load: unknown;
  tool_version: string;
  url: string;
  interrupted: boolean;
  /** The coordinated start, or null. */
  start: { target: string; actual: string; offset_ms: number } | null;
}

/** One check of a merge. */
export interface MergeCheck {
  ok: boolean;
  detail: string;
  /** False when the check could not be made (then `ok` does not claim it held). */
  made: boolean;
  /** A warning that does not fail the verdict (the start skew). */
  warning?: boolean;
}

const MAX_LISTED = 5;

/**
 * The request ids seen across shards against the expected 0 .. total - 1: a
 * bitmap (one bit an id), so ten million ids take 1.25 MB.
 */
export class IdTally {
  readonly total: number;
  #seen: Uint8Array;
  #distinct = 0;
  duplicates = 0;
  outOfRange = 0;
  /** The first few duplicated and out-of-range ids, for the message. */
  readonly examples: { duplicate: number[]; outOfRange: number[] } = {
    duplicate: [],
    outOfRange: [],
  };

  constructor(total: number) {
    this.total = Math.max(0, Math.floor(total));
    this.#seen = new Uint8Array(Math.ceil(this.total / 8));
  }

  /** Records one id. */
  add(id: number): void {
    if (!(id >= 0 && id < this.total && Number.isInteger(id))) {
      this.outOfRange++;
      if (this.examples.outOfRange.length < MAX_LISTED) this.examples.outOfRange.push(id);
      return;
    }
    const byte = id >> 3;
    const bit = 1 << (id & 7);
    if (this.#seen[byte]! & bit) {
      this.duplicates++;
      if (this.examples.duplicate.length < MAX_LISTED) this.examples.duplicate.push(id);
      return;
    }
    this.#seen[byte]! |= bit;
    this.#distinct++;
  }

  /** Distinct expected ids seen. */
  get distinct(): number {
    return this.#distinct;
  }

  /** The first few expected ids never seen. */
  missingExamples(): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.total && out.length < MAX_LISTED; id++) {
      if (!(this.#seen[id >> 3]! & (1 << (id & 7)))) out.push(id);
    }
    return out;
  }
}

/** Options of {@linkcode mergeChecks}. */
export interface MergeCheckOptions {
  /** A start skew above this is a warning, ms. */
  maxSkewMs: number;
  /** The run was bounded by time: fewer ids than planned is expected, so completeness is not checked. */
  boundedByTime: boolean;
}

const check = (ok: boolean, detail: string): MergeCheck => ({ ok, detail, made: true });

/** Every check of a merge, by name, in the order a reader meets them. */
export function mergeChecks(
  shards: readonly ShardFacts[],
  ids: IdTally,
  options: MergeCheckOptions,
): Record<string, MergeCheck> {
  return {
    ...shardSetChecks(shards),
    no_duplicate_ids: ids.duplicates === 0 ? check(true, `${ids.distinct} ids, none twice`) : check(
      false,
      `${ids.duplicates} request ids appear more than once (${ids.examples.duplicate.join(", ")}${
        ids.duplicates > MAX_LISTED ? ", ..." : ""
      })`,
    ),
    ids_complete: idsComplete(ids, options.boundedByTime),
    none_interrupted: noneInterrupted(shards),
    start_skew: startSkew(shards, options.maxSkewMs),
  };
}

/**
 * The checks made on the shards' summaries alone, before any log is read:
 * every shard once, all of one run. `merge` merges nothing when one fails.
 */
export function shardSetChecks(shards: readonly ShardFacts[]): Record<string, MergeCheck> {
  return {
    shards_present: shardsPresent(shards),
    same_workload: same(shards, "workload digest", (s) => s.workload_digest),
    same_load: same(shards, "load parameters", (s) => canonicalJson(s.load)),
    same_tool_version: same(shards, "tool version", (s) => s.tool_version),
    same_target: same(shards, "target", (s) => s.url),
    same_total: same(shards, "total requests", (s) => String(s.total_requests)),
  };
}

function shardsPresent(shards: readonly ShardFacts[]): MergeCheck {
  if (shards.length === 0) return check(false, "no shard given");
  const counts = new Set(shards.map((s) => s.count));
  if (counts.size > 1) {
    return check(false, `the shards disagree on the shard count (${[...counts].join(", ")})`);
  }
  const n = shards[0]!.count;
  const seen = new Map<number, string[]>();
  for (const s of shards) seen.set(s.index, [...(seen.get(s.index) ?? []), s.source]);
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  const twice = [...seen].filter(([, where]) => where.length > 1);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`shard ${missing.join(", ")} of 0..${n - 1} missing`);
  for (const [i, where] of twice) {
    problems.push(`shard ${i} given ${where.length} times (${where.join(", ")})`);
  }
  return problems.length === 0
    ? check(true, `shards 0..${n - 1} each once`)
    : check(false, problems.join("; "));
}

function same(
  shards: readonly ShardFacts[],
  what: string,
  key: (s: ShardFacts) => string,
): MergeCheck {
  const groups = new Map<string, number[]>();
  for (const s of shards) groups.set(key(s), [...(groups.get(key(s)) ?? []), s.index]);
  if (groups.size <= 1) return check(true, `one ${what} across ${shards.length} shards`);
  const parts = [...groups].sort((a, b) => b[1].length - a[1].length).map(([value, idx]) =>
    `shard ${idx.join(", ")}: ${value.length > 40 ? value.slice(0, 37) + "..." : value}`
  );
  return check(false, `the shards differ in ${what} (${parts.join("; ")})`);
}

function idsComplete(ids: IdTally, boundedByTime: boolean): MergeCheck {
  const range = `0..${ids.total - 1}`;
  const outside = ids.outOfRange === 0
    ? ""
    : `${ids.outOfRange} ids outside ${range} (${ids.examples.outOfRange.join(", ")})`;
  if (boundedByTime) {
    const detail =
      `not made: the run was bounded by time; ${ids.distinct} of at most ${ids.total} ids`;
    return outside === ""
      ? { ok: true, detail, made: false }
      : { ok: false, detail: `${outside}; ${detail}`, made: true };
  }
  const missing = ids.total - ids.distinct;
  if (missing === 0 && outside === "") return check(true, `ids ${range}, every one present`);
  const problems = [outside];
  if (missing > 0) {
    const ex = ids.missingExamples();
    problems.push(
      `${missing} of ${ids.total} ids missing (${ex.join(", ")}${
        missing > ex.length ? ", ..." : ""
      })`,
    );
  }
  return check(false, problems.filter((p) => p !== "").join("; "));
}

function noneInterrupted(shards: readonly ShardFacts[]): MergeCheck {
  const stopped = shards.filter((s) => s.interrupted).map((s) => s.index);
  return stopped.length === 0
    ? check(true, "every shard finished")
    : check(false, `shard ${stopped.join(", ")} was interrupted`);
}

/** The spread of the shards' actual starts, ms; null when no shard had a coordinated start. */
export function startSkewMs(shards: readonly ShardFacts[]): number | null {
  const starts = shards.flatMap((s) => (s.start ? [Date.parse(s.start.actual)] : []));
  if (starts.length === 0) return null;
  return Math.max(...starts) - Math.min(...starts);
}

function startSkew(shards: readonly ShardFacts[], maxSkewMs: number): MergeCheck {
  const skew = startSkewMs(shards);
  if (skew === null) {
    return {
      ok: true,
      detail: "not made: no shard had a coordinated start (--start-at)",
      made: false,
    };
  }
  const without = shards.filter((s) => s.start === null).map((s) => s.index);
  const late = Math.max(...shards.flatMap((s) => (s.start ? [s.start.offset_ms] : [])));
  const text =
    `the shards started within ${skew} ms of each other (latest ${late} ms after the target)`;
  const warnings: string[] = [];
  if (skew > maxSkewMs) warnings.push(`above ${maxSkewMs} ms`);
  if (without.length > 0) warnings.push(`shard ${without.join(", ")} had no coordinated start`);
  return warnings.length === 0
    ? { ok: true, detail: text, made: true }
    : { ok: true, detail: `${text}; warning: ${warnings.join("; ")}`, made: true, warning: true };
}

/** JSON with object keys sorted, so equal parameters give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
}
