/**
 * A phase's files replace an earlier run's only once the new run has written
 * its own: each is written under a temporary name (`run.csv.partial`) and
 * renamed at the end. A run killed midway leaves the earlier files whole and
 * its own finished requests in the `.partial` log; an earlier run's files the
 * new run does not write (a `report.html` without `--html`) are removed when
 * it commits, so no stale file sits beside the new log, but only when they
 * are this phase's: a phase's files (log, summary, report) belong together,
 * and another phase's report in the same folder still describes that phase's
 * log and summary, which stay ({@linkcode reportOfPhase}).
 *
 * A rename needs read permission on the folder; a run allowed only to write
 * there clears the phase's earlier files first instead, and says so.
 *
 * @example
 * ```ts
 * const files = new PhaseFiles(["results/run/run.csv", "results/run/run.json"], []);
 * await files.begin(); // null, or a line naming the earlier files it cleared
 * files.temp("results/run/run.csv"); // "results/run/run.csv.partial"
 * await files.commit(); // null, or a line naming what was replaced
 * ```
 *
 * @module
 */

/**
 * True when `path` is a report.html that a run of `phase` wrote (its
 * `<meta name="loadgate-phase">` says so); false for another phase's, an
 * unmarked one, or none (or one this process may not read).
 */
export async function reportOfPhase(path: string, phase: string): Promise<boolean> {
  let head: string;
  try {
    using file = await Deno.open(path, { read: true });
    const buf = new Uint8Array(4096);
    const n = await file.read(buf);
    head = new TextDecoder().decode(buf.subarray(0, n ?? 0));
  } catch {
    return false;
  }
  const m = /<meta name="loadgate-phase" content="([^"]*)">/.exec(head);
  return m !== null && m[1] === phase;
}

/** The suffix of a file being written. */
export const PARTIAL_SUFFIX = ".partial";

/** The files of one phase, written under temporary names until {@linkcode PhaseFiles.commit}. */
export class PhaseFiles {
  readonly #paths: readonly string[];
  readonly #stale: readonly string[];
  readonly #rename: boolean;

  /**
   * `paths` are the final names of the files the run writes; `stale`, files of
   * an earlier run this run will not write.
   */
  constructor(paths: readonly string[], stale: readonly string[]) {
    this.#paths = paths;
    this.#stale = stale;
    this.#rename = paths.every((p) =>
      Deno.permissions.querySync({ name: "read", path: p }).state === "granted"
    );
  }

  /** Before the run: without read permission, clears the earlier files. */
  async begin(): Promise<string | null> {
    if (this.#rename) return null;
    const removed = await removeAll([...this.#paths, ...this.#stale]);
    return removed.length === 0
      ? null
      : `cleared the earlier ${removed.join(", ")} (no read permission to replace them at the end)`;
  }

  /** Where to write `path` until the commit. */
  temp(path: string): string {
    return this.#rename ? path + PARTIAL_SUFFIX : path;
  }

  /**
   * After the run: renames every written file to its final name and removes
   * the stale ones. Returns a line naming what was replaced or removed, or null.
   */
  async commit(): Promise<string | null> {
    if (!this.#rename) return null;
    const replaced: string[] = [];
    for (const path of this.#paths) {
      if (await exists(path)) replaced.push(path);
      await Deno.rename(this.temp(path), path);
    }
    const removed = await removeAll(this.#stale);
    const parts = [
      ...(replaced.length > 0 ? [`replaced the earlier ${replaced.join(", ")}`] : []),
      ...(removed.length > 0 ? [`removed the earlier ${removed.join(", ")}`] : []),
    ];
    return parts.length === 0 ? null : parts.join("; ");
  }
}

/** Removes each of `paths` that exists; returns those removed. */
async function removeAll(paths: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const path of paths) {
    try {
      await Deno.remove(path);
      removed.push(path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
