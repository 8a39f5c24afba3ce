/**
 * This process's CPU time (user and system, all threads, µs), without loading
 * Deno's Node compatibility layer when it can: on Linux with read access to
 * `/proc/self/stat` (the tasks grant it) from there, in clock ticks (10 ms on
 * Linux); elsewhere from `node:process`'s `cpuUsage()`, loaded on first use,
 * which costs the process several MB of resident memory (docs/benchmarks.md).
 *
 * @module
 */

/** Process CPU time so far, µs (what `process.cpuUsage()` returns). */
export interface CpuTime {
  user: number;
  system: number;
}

const STAT = "/proc/self/stat";
/** USER_HZ, the unit of /proc's times: 100 on every Linux architecture loadgate runs on. */
const TICKS_PER_S = 100;

/** Reads user and system time from the text of `/proc/self/stat`. */
export function parseProcStat(text: string): CpuTime {
  // Field 2 (the command name) is in parentheses and may hold spaces: count from after it.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) {
    throw new TypeError(`Cannot read CPU times from ${STAT}: "${text.slice(0, 80)}"`);
  }
  const us = 1_000_000 / TICKS_PER_S;
  return { user: user * us, system: system * us };
}

/** Where CPU time comes from here: `/proc/self/stat` if readable, else `node:process`. */
export async function processCpuClock(): Promise<() => CpuTime> {
  const readable = Deno.build.os === "linux" &&
    Deno.permissions.querySync({ name: "read", path: STAT }).state === "granted";
  if (readable) {
    try {
      const read = () => parseProcStat(Deno.readTextFileSync(STAT));
      let last = read();
      return () => {
        try {
          last = read();
        } catch { /* no descriptor left to open it (EMFILE): the last reading, never a crash */ }
        return last;
      };
    } catch { /* no procfs here: fall through */ }
  }
  const { default: process } = await import("node:process");
  return () => process.cpuUsage();
}
