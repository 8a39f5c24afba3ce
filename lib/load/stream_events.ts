/**
 * What one event of a streamed response says, read from its JSON payload:
 * whether it carries generated text (a token chunk), whether it reports an
 * error, whether it ends the stream, and the server's token count if it sent
 * one. {@linkcode StreamParser} in `stream.ts` calls it for every event.
 *
 * - Generated text is non-empty `choices[].delta.content`, `choices[].text`,
 *   `choices[].delta.reasoning_content` (or `reasoning`), Ollama's `response`
 *   or `message.content`, llama.cpp's `content`, TGI's `token.text`,
 *   Anthropic's `delta.text` (or `thinking`), OpenAI Responses' string `delta`. A chunk
 *   with only `{"role": "assistant", "content": ""}` or a bare `finish_reason`
 *   is not a token.
 * - An error is a top-level `error` (vLLM's and OpenAI's in-stream error
 *   event) or a `finish_reason` of `error` or `abort`.
 * - The end is `[DONE]`, Ollama's `"done": true`, llama.cpp's `"stop": true`,
 *   TGI's `generated_text`, a non-null `finish_reason`, or an event of type
 *   `message_stop` (Anthropic) or `response.completed` (OpenAI Responses).
 *
 * @example
 * ```ts
 * classifyEvent('{"choices":[{"delta":{"role":"assistant","content":""}}]}');
 * // { text: false, error: null, end: false, tokens: null }
 * ```
 *
 * @module
 */

/** What one streamed event holds. */
export interface StreamEvent {
  /** It carries non-empty generated text: a token chunk. */
  text: boolean;
  /** A short description of the error it reports, or null. */
  error: string | null;
  /** It marks the normal end of the stream. */
  end: boolean;
  /** The server's output token count, when the event carries one. */
  tokens: number | null;
}

/** Event types that end a stream (Anthropic's Messages API, OpenAI's Responses API). */
const END_TYPES = new Set(["message_stop", "response.completed"]);

/** Finish reasons that mean the generation failed. */
const FAILED_FINISH = new Set(["error", "abort"]);

/** Classifies one event's payload (the text of a `data:` event or of a JSON line). */
export function classifyEvent(payload: string): StreamEvent {
  const text = payload.trim();
  if (text === "[DONE]") return { text: false, error: null, end: true, tokens: null };
  if (text === "") return { text: false, error: null, end: false, tokens: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { text: true, error: null, end: false, tokens: null }; // plain text output
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { text: true, error: null, end: false, tokens: null };
  }
  return classifyObject(parsed as Record<string, unknown>);
}

function classifyObject(v: Record<string, unknown>): StreamEvent {
  const tokens = serverTokenCount(v);
  if (v.error !== undefined && v.error !== null && v.error !== false) {
    return { text: false, error: describeError(v.error), end: false, tokens };
  }
  let text = false;
  let end = v.done === true || v.stop === true || isText(v.generated_text) ||
    (typeof v.type === "string" && END_TYPES.has(v.type));
  let error: string | null = null;
  if (Array.isArray(v.choices)) {
    for (const c of v.choices) {
      if (typeof c !== "object" || c === null) continue;
      const choice = c as Record<string, unknown>;
      const delta = (choice.delta ?? choice.message ?? {}) as Record<string, unknown>;
      if (
        isText(delta.content) || isText(delta.reasoning_content) || isText(delta.reasoning) ||
        isText(choice.text)
      ) text = true;
      const finish = choice.finish_reason;
      if (typeof finish === "string") {
        end = true;
        if (FAILED_FINISH.has(finish)) error = `finish_reason ${finish}`;
      }
    }
  } else {
    const message = (v.message ?? {}) as Record<string, unknown>;
    const token = (v.token ?? {}) as Record<string, unknown>;
    const delta = v.delta;
    const deltaObj = (typeof delta === "object" && delta !== null ? delta : {}) as Record<
      string,
      unknown
    >;
    text = isText(v.response) || isText(v.content) || isText(message.content) ||
      isText(token.text) || isText(v.text) || isText(delta) || isText(deltaObj.text) ||
      isText(deltaObj.thinking);
  }
  return { text, error, end, tokens };
}

function isText(x: unknown): boolean {
  return typeof x === "string" && x !== "";
}

function describeError(e: unknown): string {
  if (typeof e === "string") return e;
  if (typeof e === "object" && e !== null) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === "string") return m;
  }
  return "error event";
}

/** The server's own output token count, if the event carries one. */
export function serverTokenCount(v: Record<string, unknown>): number | null {
  const usage = v.usage as
    | { completion_tokens?: unknown; output_tokens?: unknown }
    | null
    | undefined;
  const details = v.details as { generated_tokens?: unknown } | null | undefined;
  for (
    const n of [
      usage?.completion_tokens,
      usage?.output_tokens,
      v.eval_count,
      v.tokens_predicted,
      details?.generated_tokens,
    ]
  ) {
    if (typeof n === "number" && Number.isInteger(n) && n >= 0) return n;
  }
  return null;
}
