/**
 * Streamed responses: server-sent events (`data: ...` lines, as OpenAI-compatible
 * servers send with `"stream": true`) and chunked JSON lines (Ollama, plain
 * NDJSON). Each event that carries non-empty generated text is a **token
 * chunk** (`stream_events.ts` says which); the metrics follow vLLM's benchmark:
 *
 * - TTFT: from the request's send to the first token chunk (a role-only first
 *   chunk, `{"role": "assistant", "content": ""}`, is not one);
 * - ITL: between successive token chunks (several events in one network read
 *   share its arrival time, so their gap is 0);
 * - tokens: the server's own count when it sends one (`usage.completion_tokens`,
 *   Ollama's `eval_count`, llama.cpp's `tokens_predicted`, TGI's
 *   `details.generated_tokens`), otherwise the number of token chunks.
 *
 * An event is not a token chunk when it is `[DONE]`, empty, role-only, a bare
 * `finish_reason`, an OpenAI usage-only event (`"choices": []`), or a final event
 * marked `"done": true` (Ollama) or `"stop": true` with empty `content` (llama.cpp).
 *
 * A stream **failed** ({@linkcode StreamParser.failure}) when an event reports an
 * error (`data: {"error": ...}`, `event: error`, `finish_reason` `error` or
 * `abort`), or when a stream that is SSE or Ollama lines ends without its end
 * marker (`[DONE]`, `"done": true`, a `finish_reason`): the runner logs it as a
 * `stream` error.
 *
 * @example
 * ```ts
 * const p = new StreamParser();
 * p.feed('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n', 120);
 * p.feed('data: {"choices":[{"delta":{"content":"!"}}]}\n\ndata: [DONE]\n\n', 150);
 * p.result(); // { ttftMs: 120, chunks: 2, tokens: 2, itlMs: [30] }
 * ```
 *
 * @module
 */

import type { StreamStats } from "../stats/sample.ts";
import { classifyEvent } from "./stream_events.ts";

/** Incremental parser of a streamed body: feed text as it arrives, with its arrival time. */
export class StreamParser {
  #line = "";
  #data: string[] = [];
  #first: number | null = null;
  #last = 0;
  #chunks = 0;
  #itl: number[] = [];
  #serverTokens: number | null = null;
  #error: string | null = null;
  /** An SSE `event:` field seen for the event being read. */
  #eventType = "";
  /** The body announced a stream (SSE data, or a JSON line with Ollama's `done`). */
  #framed = false;
  #ended = false;

  /** Parses `text`, which arrived `atMs` after the send. */
  feed(text: string, atMs: number): void {
    let from = 0;
    while (true) {
      const nl = text.indexOf("\n", from);
      if (nl < 0) break;
      this.#onLine(this.#line + text.slice(from, nl), atMs);
      this.#line = "";
      from = nl + 1;
    }
    this.#line += text.slice(from);
  }

  /** Ends the stream at `atMs`: a last line without newline, or an event without blank line. */
  end(atMs: number): void {
    if (this.#line !== "") this.#onLine(this.#line, atMs);
    this.#line = "";
    this.#dispatchData(atMs);
  }

  /** The metrics so far. */
  result(): StreamStats {
    return {
      ttftMs: this.#first,
      chunks: this.#chunks,
      tokens: this.#serverTokens ?? this.#chunks,
      itlMs: this.#itl,
    };
  }

  /**
   * Why the stream failed, after {@linkcode end}: the first error an event
   * reported, or a cut before the end marker; null when it completed.
   */
  failure(): string | null {
    if (this.#error !== null) return this.#error;
    if (this.#framed && !this.#ended) return "stream cut before its end";
    return null;
  }

  #onLine(raw: string, atMs: number): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") return this.#dispatchData(atMs);
    if (line.startsWith("data:")) {
      this.#framed = true;
      this.#data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      return;
    }
    if (line.startsWith("event:")) {
      this.#eventType = line.slice(6).trim();
      if (this.#eventType === "error") this.#error ??= "event: error";
      return;
    }
    // Other SSE fields and comments carry no output.
    if (line.startsWith(":") || /^(id|retry):/.test(line)) return;
    if (line.startsWith("{") && /"done"\s*:/.test(line)) this.#framed = true; // Ollama
    this.#event(line, atMs); // a JSON line
  }

  #dispatchData(atMs: number): void {
    this.#eventType = "";
    if (this.#data.length === 0) return;
    const payload = this.#data.join("\n");
    this.#data = [];
    this.#event(payload, atMs);
  }

  #event(payload: string, atMs: number): void {
    const e = classifyEvent(payload);
    if (e.tokens !== null) this.#serverTokens = e.tokens;
    if (e.error !== null) this.#error ??= e.error;
    if (e.end) this.#ended = true;
    if (!e.text) return;
    if (this.#first === null) this.#first = atMs;
    else this.#itl.push(atMs - this.#last);
    this.#last = atMs;
    this.#chunks++;
  }
}

/** A streamed body read to its end, with its metrics. */
export interface StreamedBody {
  /** The whole body, or null when it was cut or too large. */
  body: Uint8Array | null;
  bytes: number;
  stream: StreamStats;
  /** Why the stream failed (an error event, a cut before its end), or null. */
  failure: string | null;
}

/**
 * Reads `res`'s body as it arrives, timing each read with `now` (ms, the
 * clock `t0` came from), and parses it as a stream.
 */
export async function readStreamedBody(
  res: Response,
  limit: number,
  now: () => number,
  t0: number,
): Promise<StreamedBody> {
  const parser = new StreamParser();
  if (!res.body) {
    return { body: new Uint8Array(), bytes: 0, stream: parser.result(), failure: null };
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      const at = now() - t0;
      if (done) {
        parser.feed(decoder.decode(), at);
        parser.end(at);
        break;
      }
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel().catch(() => {});
        return { body: null, bytes, stream: parser.result(), failure: null };
      }
      chunks.push(value);
      parser.feed(decoder.decode(value, { stream: true }), at);
    }
  } catch {
    return { body: null, bytes, stream: parser.result(), failure: null };
  }
  const body = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { body, bytes, stream: parser.result(), failure: parser.failure() };
}
