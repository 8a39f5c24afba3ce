/**
 * Reading a request's body within a size and a time limit, and the stub's
 * plain-text error answers.
 *
 * @module
 */

import { concatBytes } from "../base/bytes.ts";

/** A plain-text answer (the stub's errors). */
export function text(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain", ...headers },
  });
}

/** The body, or why it was not read: above `maxBytes`, slower than `timeoutMs`, cut off. */
export async function readLimited(
  req: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | "too_large" | "too_slow" | "incomplete"> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return "too_large";
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"too_slow">((
    r,
  ) => (timer = setTimeout(() => r("too_slow"), timeoutMs)));
  try {
    while (true) {
      // A client that goes away mid-body errors the read: an incomplete body, not a crash.
      const next = await Promise.race([reader.read(), deadline]).catch(() => "incomplete" as const);
      if (next === "incomplete") return next;
      if (next === "too_slow") {
        await reader.cancel().catch(() => {});
        return "too_slow";
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return "too_large";
      }
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return concatBytes(chunks, size);
}
