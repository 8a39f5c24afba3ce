/**
 * A sample's {@linkcode LOG_COLUMNS} fields written straight into a byte
 * buffer: the log writer's hot path. The same bytes as the UTF-8 of
 * `sampleToCsvLine()` without its line end (a test proves it), without the
 * row's text: building a row as a string (a template of fourteen pieces, the
 * times formatted as strings, then flattened and encoded) allocated about
 * 900 bytes a request.
 *
 * @module
 */

import type { Sample } from "../../stats/sample.ts";
import { formatMs } from "../../stats/time_ms.ts";
import { csvField } from "./line.ts";

const encoder = new TextEncoder();
const TRUE = encoder.encode("true");
const FALSE = encoder.encode("false");
const COMMA = 44;

/** The most bytes {@linkcode putLogFields} writes for `s`. */
export function logFieldsRoom(s: Sample): number {
  // Quoting can double a field, UTF-8 takes at most 3 bytes a UTF-16 unit; numbers fit in 32.
  const text = s.phase.length + s.inputSha256.length + s.outputSha256.length + s.connId.length +
    s.error.length;
  return 6 * text + 16 * 32;
}

/**
 * Writes `s`'s log fields at `buf[at..]` (room: {@linkcode logFieldsRoom});
 * returns where they end. `phase` is the phase's field, encoded once.
 */
export function putLogFields(s: Sample, buf: Uint8Array, at: number, phase: Uint8Array): number {
  buf.set(phase, at);
  at += phase.length;
  buf[at++] = COMMA;
  at = putNumber(s.requestId, buf, at);
  buf[at++] = COMMA;
  at = putRepeated(INPUT_DIGEST, s.inputSha256, buf, at);
  buf[at++] = COMMA;
  at = putMs(s.sentMs, buf, at);
  buf[at++] = COMMA;
  at = putMs(s.headersMs, buf, at);
  buf[at++] = COMMA;
  at = putMs(s.latencyMs, buf, at);
  buf[at++] = COMMA;
  if (s.status !== null) at = putNumber(s.status, buf, at);
  buf[at++] = COMMA;
  const ok = s.ok ? TRUE : FALSE;
  buf.set(ok, at);
  at += ok.length;
  buf[at++] = COMMA;
  at = putRaw(s.error, buf, at);
  buf[at++] = COMMA;
  at = putNumber(s.bytesIn, buf, at);
  buf[at++] = COMMA;
  at = putRepeated(OUTPUT_DIGEST, s.outputSha256, buf, at);
  buf[at++] = COMMA;
  at = putMs(s.serverQueueMs, buf, at);
  buf[at++] = COMMA;
  at = putMs(s.serverInferMs, buf, at);
  buf[at++] = COMMA;
  return putField(s.connId, buf, at);
}

/** A text field's bytes as {@linkcode putField} last wrote them. */
interface FieldMemo {
  text: string;
  bytes: Uint8Array;
}

/** The last input and output digests written: most rows repeat them (one body, one answer). */
const INPUT_DIGEST: FieldMemo = { text: "", bytes: new Uint8Array(0) };
const OUTPUT_DIGEST: FieldMemo = { text: "", bytes: new Uint8Array(0) };

/**
 * {@linkcode putField} for a text that often repeats from row to row: the same text's bytes
 * are copied at once (a 64-character digest: about 10 ns against 80 a character at a time).
 */
function putRepeated(memo: FieldMemo, text: string, buf: Uint8Array, at: number): number {
  if (text === memo.text) {
    buf.set(memo.bytes, at);
    return at + memo.bytes.length;
  }
  const end = putField(text, buf, at);
  const n = end - at;
  if (memo.bytes.length !== n) memo.bytes = new Uint8Array(n);
  const bytes = memo.bytes;
  for (let k = 0; k < n; k++) bytes[k] = buf[at + k]!;
  memo.text = text;
  return end;
}

/** A text field as {@linkcode csvField} writes it. */
function putField(text: string, buf: Uint8Array, at: number): number {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    // Not plain ASCII, or a character that needs quotes: the general path.
    if (c >= 0x80 || c === 34 || c === COMMA || c === 13 || c === 10) {
      return at + encoder.encodeInto(csvField(text), buf.subarray(at)).written;
    }
    buf[at + k] = c;
  }
  return at + text.length;
}

/** A text as it is (the error kind, which the row writes unquoted). */
function putRaw(text: string, buf: Uint8Array, at: number): number {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x80) return at + encoder.encodeInto(text, buf.subarray(at)).written;
    buf[at + k] = c;
  }
  return at + text.length;
}

/** A number as `String(n)` writes it: digits for a whole one, its text otherwise. */
function putNumber(n: number, buf: Uint8Array, at: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return putRaw(String(n), buf, at);
  return putDigits(n, buf, at);
}

/** The decimal digits of a whole number >= 0. */
function putDigits(n: number, buf: Uint8Array, at: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let i = digits - 1, x = n; i >= 0; i--, x = Math.floor(x / 10)) buf[at + i] = 48 + (x % 10);
  return at + digits;
}

/** Milliseconds as {@linkcode formatMs} writes them (nothing for null). */
function putMs(ms: number | null, buf: Uint8Array, at: number): number {
  if (ms === null) return at;
  const us = Math.round(ms * 1000);
  if (!Number.isSafeInteger(us)) return putRaw(formatMs(ms), buf, at);
  let abs = us;
  if (us < 0) {
    buf[at++] = 45; // "-"
    abs = -us;
  }
  const whole = Math.floor(abs / 1000);
  const frac = abs - whole * 1000;
  at = putDigits(whole, buf, at);
  buf[at++] = 46; // "."
  buf[at++] = 48 + Math.floor(frac / 100);
  buf[at++] = 48 + (Math.floor(frac / 10) % 10);
  buf[at++] = 48 + (frac % 10);
  return at;
}
