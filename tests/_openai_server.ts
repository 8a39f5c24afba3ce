/**
 * An OpenAI-compatible test server outside the stub, framed the way vLLM
 * frames its answers: every chunk carries a random `id` and `created`, a
 * role-only first chunk, a finish chunk, `data: [DONE]`. Its answers are a
 * pure function of the prompt (so two runs get the same text) unless told to
 * change one; it sends `usage` only when asked, and times its chunks on an
 * absolute schedule (TTFT, then one chunk every ITL), recording when it wrote
 * each one so a test knows the truth. Not a test file itself.
 */

/** What the server does. */
export interface OpenAiServerOptions {
  /** Milliseconds before the first content chunk. */
  ttftMs: number;
  /** Milliseconds between content chunks. */
  itlMs: number;
  /** Content chunks an answer has. */
  chunks: number;
  /** Words in each content chunk (a tokenizer counts them; chunks count 1). */
  wordsPerChunk?: number;
  /** Send `usage` (a stream's last chunk with `stream_options.include_usage`, a JSON answer's). */
  usage?: boolean;
  /** The answer to the request received n-th (from 0) differs from what its prompt makes. */
  changeNth?: number;
  /** Answer streaming requests with one whole JSON answer (no SSE). */
  wholeAnswers?: boolean;
}

/** The running server and what it recorded. */
export interface OpenAiServer extends AsyncDisposable {
  /** Base URL, `http://127.0.0.1:PORT`. */
  base: string;
  /** Per answer: when each content chunk was written (ms, the server's clock). */
  writes: number[][];
  /** The median over answers of each one's mean gap between its content chunks (its TPOT). */
  truthTpotMedianMs(): number;
}

const enc = new TextEncoder();
const sleepUntil = (t: number) =>
  new Promise<void>((r) => setTimeout(r, Math.max(0, t - performance.now())));
const random = () => Math.floor(Math.random() * 1e9);

function promptOf(body: Record<string, unknown>): string {
  const messages = body.messages as { content?: string }[] | undefined;
  return messages ? messages.map((m) => m.content ?? "").join("\n") : String(body.prompt ?? "");
}

/** A small hash of a string: the answer's words follow from it. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function pieces(prompt: string, o: OpenAiServerOptions, changed: boolean): string[] {
  const h = hash(prompt) % 1000;
  const words = o.wordsPerChunk ?? 1;
  return Array.from(
    { length: o.chunks },
    (_, k) =>
      Array.from({ length: words }, (_, w) => `w${(h + k * words + w) % 50}`).join(" ") +
      (changed && k === 0 ? "x" : "") + " ",
  );
}

/** Starts the server on 127.0.0.1, port 0. */
export function serveOpenAi(o: OpenAiServerOptions): OpenAiServer {
  const writes: number[][] = [];
  let received = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/v1/models") return Response.json({ data: [{ id: "test-model" }] });
    const body = await req.json() as Record<string, unknown>;
    const chat = url.pathname.endsWith("/chat/completions");
    const nth = received++;
    const parts = pieces(promptOf(body), o, nth === o.changeNth);
    const usage = { prompt_tokens: 7, completion_tokens: o.chunks, total_tokens: 7 + o.chunks };
    const frame = (choice: Record<string, unknown>) => ({
      id: `${chat ? "chatcmpl" : "cmpl"}-${random().toString(36)}`,
      object: chat ? "chat.completion.chunk" : "text_completion",
      created: random(),
      model: "test-model",
      choices: [{ index: 0, ...choice }],
    });
    const start = performance.now();
    const times: number[] = [];
    writes.push(times);
    if (!body.stream || o.wholeAnswers) {
      await sleepUntil(start + o.ttftMs + (o.chunks - 1) * o.itlMs);
      times.push(performance.now());
      const text = parts.join("");
      const choice = chat
        ? { message: { role: "assistant", content: text }, finish_reason: "length" }
        : { text, finish_reason: "length" };
      return Response.json({ ...frame(choice), ...(o.usage ? { usage } : {}) });
    }
    const stream = new ReadableStream<Uint8Array>({
      async start(c) {
        const send = (v: unknown) => c.enqueue(enc.encode(`data: ${JSON.stringify(v)}\n\n`));
        if (chat) send(frame({ delta: { role: "assistant", content: "" }, finish_reason: null }));
        for (let k = 0; k < parts.length; k++) {
          await sleepUntil(start + o.ttftMs + k * o.itlMs);
          times.push(performance.now());
          send(frame(chat ? { delta: { content: parts[k] } } : { text: parts[k] }));
        }
        send(
          frame(
            chat ? { delta: {}, finish_reason: "length" } : { text: "", finish_reason: "length" },
          ),
        );
        if (o.usage) send({ ...frame({}), choices: [], usage });
        c.enqueue(enc.encode("data: [DONE]\n\n"));
        c.close();
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    writes,
    truthTpotMedianMs() {
      const per = writes.filter((t) => t.length > 1)
        .map((t) => (t[t.length - 1]! - t[0]!) / (t.length - 1)).sort((a, b) => a - b);
      const mid = (per.length - 1) / 2;
      return (per[Math.floor(mid)]! + per[Math.ceil(mid)]!) / 2;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
