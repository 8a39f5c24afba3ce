/**
 * Parsing of the `Server-Timing` response header.
 *
 * @module
 */

/**
 * The `dur` of each metric in a Server-Timing header, by name.
 *
 * @example
 * ```ts
 * parseServerTiming("queue;dur=1.5, infer;dur=30"); // Map { queue => 1.5, infer => 30 }
 * ```
 */
export function parseServerTiming(header: string | null): Map<string, number> {
  const out = new Map<string, number>();
  if (!header) return out;
  for (const entry of header.split(",")) {
    const [name, ...params] = entry.trim().split(";");
    if (!name) continue;
    for (const p of params) {
      const [key, value] = p.trim().split("=");
      if (key === "dur" && value !== undefined) {
        const n = Number(value.replace(/^"|"$/g, ""));
        if (Number.isFinite(n)) out.set(name.trim(), n);
      }
    }
  }
  return out;
}
