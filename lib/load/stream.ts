/**
 * Streamed responses: server-sent events (`data: ...` lines, as OpenAI-compatible
 * servers send with `"stream": true`) and chunked JSON lines (Ollama, plain
 * NDJSON). Each event that carries output is a **token chunk**; the metrics
 * follow vLLM's benchmark:
 *
 * - TTFT: from the request's send to the first token chunk;
 * - ITL: between successive token chunks (several events in one network read
 *   share its arrival time, so their gap is 0);
 * - tokens: the server's own count when it sends one (`usage.completion_tokens`,
 *   Ollama's `eval_count`, llama.cpp's `tokens_predicted`, TGI's
 *   `details.generated_tokens`), otherwise the number of token chunks.
 *
 * An event is not a token chunk when it is `[DONE]`, empty, an OpenAI usage-only
 * event (`"choices": []` or `usage` without `choices`), or a final event marked
 * `"done": true` (Ollama) or `"stop": true` with empty `content` (llama.cpp).
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

/** Incremental parser of a streamed body: feed text as it arrives, with its arrival time. */
export class StreamParser {
  #line = "";
  #data: string[] = [];
  #first: number | null = null;
  #last = 0;
  #chunks = 0;
  #itl: number[] = [];
  #serverTokens: number | null = null;

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

  #onLine(raw: string, atMs: number): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") return this.#dispatchData(atMs);
    if (line.startsWith("data:")) {
      this.#data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      return;
    }
    // Other SSE fields and comments carry no output.
    if (line.startsWith(":") || /^(event|id|retry):/.test(line)) return;
    this.#event(line, atMs); // a JSON line
  }

  #dispatchData(atMs: number): void {
    if (this.#data.length === 0) return;
    const payload = this.#data.join("\n");
    this.#data = [];
    this.#event(payload, atMs);
  }

  #event(payload: string, atMs: number): void {
    const text = payload.trim();
    if (text === "" || text === "[DONE]") return;
    if (text.startsWith("{") && !this.#carriesOutput(text)) return;
    if (this.#first === null) this.#first = atMs;
    else this.#itl.push(atMs - this.#last);
    this.#last = atMs;
    this.#chunks++;
  }

  /** Reads a JSON event's token count, if any; false when it carries no output. */
  #carriesOutput(text: string): boolean {
    let v: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return true;
      v = parsed as Record<string, unknown>;
    } catch {
      return true; // not JSON: count it, as a chunk of output
    }
    const count = serverTokenCount(v);
    if (count !== null) this.#serverTokens = count;
    if (Array.isArray(v.choices)) return v.choices.length > 0;
    if (v.usage !== undefined && v.usage !== null) return false;
    if (v.done === true) return false;
    if (v.stop === true && (v.content === "" || v.content === undefined)) return false;
    return true;
  }
}

function serverTokenCount(v: Record<string, unknown>): number | null {
  const usage = v.usage as { completion_tokens?: unknown } | null | undefined;
  const details = v.details as { generated_tokens?: unknown } | null | undefined;
  for (
    const n of [
      usage?.completion_tokens,
      v.eval_count,
      v.tokens_predicted,
      details?.generated_tokens,
    ]
  ) {
    if (typeof n === "number" && Number.isInteger(n) && n >= 0) return n;
  }
  return null;
}

/** A streamed body read to its end, with its metrics. */
export interface StreamedBody {
  /** The whole body, or null when it was cut or too large. */
  body: Uint8Array | null;
  bytes: number;
  stream: StreamStats;
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
  if (!res.body) return { body: new Uint8Array(), bytes: 0, stream: parser.result() };
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
        return { body: null, bytes, stream: parser.result() };
      }
      chunks.push(value);
      parser.feed(decoder.decode(value, { stream: true }), at);
    }
  } catch {
    return { body: null, bytes, stream: parser.result() };
  }
  const body = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { body, bytes, stream: parser.result() };
}
