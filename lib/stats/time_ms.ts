/**
 * Milliseconds as the log keeps them: rounded to the microsecond (3
 * decimals). The CSV writer formats with {@linkcode formatMs} and the sample
 * store keeps {@linkcode roundMs}, so a summary computed in memory equals the
 * one computed from the log, to the last bit.
 *
 * @module
 */

/**
 * `ms` rounded to 3 decimals (half up on the microsecond count).
 *
 * @example
 * ```ts
 * roundMs(1.23456); // 1.235
 * ```
 */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

const PAD = ["00", "0", ""];

/**
 * `ms` with 3 decimals, the same value as {@linkcode roundMs}: `Number(formatMs(x))`
 * equals `roundMs(x)` for every finite `x`. Faster than `toFixed(3)`.
 *
 * @example
 * ```ts
 * formatMs(1.2); // "1.200"
 * ```
 */
export function formatMs(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!Number.isSafeInteger(us)) return (us / 1000).toFixed(3);
  const abs = us < 0 ? -us : us;
  const whole = Math.floor(abs / 1000);
  const frac = abs - whole * 1000;
  const pad = frac < 10 ? PAD[0] : frac < 100 ? PAD[1] : PAD[2];
  return `${us < 0 ? "-" : ""}${whole}.${pad}${frac}`;
}
