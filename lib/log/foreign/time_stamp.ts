/**
 * Wall-clock timestamps as foreign tools write them, to epoch milliseconds.
 *
 * @module
 */

/**
 * Epoch milliseconds of an RFC 3339 time with any number of fractional digits
 * (Go writes nanoseconds, which `Date.parse` would drop), or NaN.
 */
export function rfc3339Ms(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(text.trim());
  if (!m) return NaN;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  const fraction = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return whole + fraction;
}

/**
 * Epoch milliseconds of a number in seconds, milliseconds, microseconds or
 * nanoseconds since the epoch, told apart by magnitude (any date between 1973
 * and 5138 is unambiguous), or of an RFC 3339 time. NaN when neither.
 */
export function epochMs(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (n < 1e11) return n * 1000;
    if (n < 1e14) return n;
    if (n < 1e17) return n / 1000;
    return n / 1e6;
  }
  return rfc3339Ms(t);
}
