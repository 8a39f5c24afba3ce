/**
 * The stub's streamed answers, with known chunk timings: the first token
 * chunk goes out `firstMs` after the request was read (its service time), and
 * chunk k (from 0) at `firstMs + k * gapMs`, on an absolute schedule so timer
 * lateness does not add up. Both times, like the words, are pure functions of
 * the request body.
 *
 * Two formats: `sse`, server-sent events shaped like OpenAI's
 * `chat.completion.chunk` (a usage event, then `data: [DONE]`, close the
 * stream), and `jsonl`, JSON lines shaped like Ollama's (`{"response": ...,
 * "done": false}`, then `{"done": true, "eval_count": N}`).
 *
 * @module
 */

/** How the stub streams. */
export type StubStreamFormat = "sse" | "jsonl";

/** The formats, for validation and help text. */
export const STUB_STREAM_FORMATS: readonly StubStreamFormat[] = ["sse", "jsonl"];

/** The events of a streamed answer, as text, each with its send time (ms after the start). */
export function streamEvents(options: {
  words: readonly string[];
  format: StubStreamFormat;
  /** Identifies the answer (the same for the same body). */
  id: string;
  /** Prompt size reported in the usage event. */
  promptTokens: number;
  firstMs: number;
  gapMs: number;
}): Array<{ atMs: number; text: string }> {
  const { words, format, firstMs, gapMs } = options;
  const n = words.length;
  const events: Array<{ atMs: number; text: string }> = [];
  const last = n === 0 ? firstMs : firstMs + (n - 1) * gapMs;
  words.forEach((w, k) => {
    const content = k === n - 1 ? w : `${w} `;
    const text = format === "sse"
      ? sse({
        id: options.id,
        object: "chat.completion.chunk",
        model: "loadgate-stub",
        choices: [{
          index: 0,
          delta: k === 0 ? { role: "assistant", content } : { content },
          finish_reason: k === n - 1 ? "length" : null,
        }],
      })
      : JSON.stringify({ model: "loadgate-stub", response: content, done: false }) + "\n";
    events.push({ atMs: firstMs + k * gapMs, text });
  });
  if (format === "sse") {
    const usage = {
      prompt_tokens: options.promptTokens,
      completion_tokens: n,
      total_tokens: options.promptTokens + n,
    };
    events.push({
      atMs: last,
      text: sse({ id: options.id, object: "chat.completion.chunk", choices: [], usage }) +
        "data: [DONE]\n\n",
    });
  } else {
    events.push({
      atMs: last,
      text: JSON.stringify({ model: "loadgate-stub", response: "", done: true, eval_count: n }) +
        "\n",
    });
  }
  return events;
}

function sse(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/**
 * A response body sending `events` on their schedule from `start` (a
 * `performance.now()` reading; default now). `onEnd` runs once, when the last
 * event is sent or the client goes away.
 */
export function streamBody(
  events: ReadonlyArray<{ atMs: number; text: string }>,
  sleep: (ms: number) => Promise<void>,
  onEnd: () => void,
  start: number = performance.now(),
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  let ended = false;
  const end = () => {
    if (!ended) (ended = true), onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const event = events[next++];
      if (!event) {
        controller.close();
        return end();
      }
      const wait = event.atMs - (performance.now() - start);
      if (wait > 0) await sleep(wait);
      controller.enqueue(encoder.encode(event.text));
      if (next === events.length) {
        controller.close();
        end();
      }
    },
    cancel() {
      end();
    },
  }, { highWaterMark: 0 });
}
