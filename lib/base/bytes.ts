/**
 * Byte chunks joined into one body (a response read by the client, a request
 * body read by the stub).
 *
 * @module
 */

/** The chunks as one array of `bytes` bytes; a single chunk is returned as it is. */
export function concatBytes(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}
