/**
 * A fault server for the fault matrix: one raw TCP server per kind of fault,
 * on 127.0.0.1 port 0, sending the same bytes to either engine. Not a test
 * file itself; `fault_matrix_test.ts` runs every kind. (The simpler servers
 * it builds on are in `_tcp_servers.ts`.)
 */
import {
  hold,
  type RawServer,
  rawServer,
  readRequest,
  resetMidBodyServer,
  responseHead,
  send,
} from "./_tcp_servers.ts";

/** The kinds of fault the server can play. */
export const FAULT_KINDS = [
  "reset_mid_body",
  "stalled_body",
  "silent",
  "http_5xx",
  "huge",
  "flaky",
  "slow_headers",
  "in_stream_error",
  "role_only_first_chunk",
  "stream_cut",
] as const;

/** One kind of fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How long the slow-headers server waits before its head, and the role-only server before its text. */
export const SLOW_HEADERS_MS = 3000;
export const FIRST_TEXT_MS = 60;
/** Content chunks the streaming servers send. */
export const STREAM_TEXT_CHUNKS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sse = (v: unknown) => `data: ${JSON.stringify(v)}\n\n`;
const delta = (d: Record<string, unknown>, finish: string | null = null) =>
  sse({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

/** Sends a chunked 200 event stream: each part is one HTTP chunk, after its delay. */
async function sendStream(conn: Deno.Conn, parts: [number, string][]): Promise<void> {
  await send(
    conn,
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
  );
  const enc = new TextEncoder();
  for (const [delay, text] of parts) {
    if (delay > 0) await sleep(delay);
    await send(conn, `${enc.encode(text).length.toString(16)}\r\n${text}\r\n`);
  }
  await send(conn, "0\r\n\r\n");
}

/** Answers each request on a connection with `answer` (keep-alive), until the client closes. */
function serveEach(
  answer: (conn: Deno.Conn, n: number) => Promise<void>,
): RawServer {
  let n = 0;
  return rawServer(async (conn) => {
    while (await readRequest(conn)) await answer(conn, n++);
  });
}

const text = (i: number) => delta({ content: `w${i}` });

/** Starts a server that plays `kind` on every request. */
export async function faultServer(kind: FaultKind): Promise<RawServer> {
  switch (kind) {
    case "reset_mid_body":
      return await resetMidBodyServer(100);
    case "stalled_body":
      return rawServer(async (conn) => {
        await readRequest(conn);
        await send(conn, responseHead(200, 1000) + "0123456789");
        await hold(conn);
      });
    case "silent":
      return rawServer(hold);
    case "http_5xx":
      return serveEach((conn) => send(conn, responseHead(503, 2) + "no"));
    case "huge":
      return rawServer(async (conn) => {
        await readRequest(conn);
        await send(conn, responseHead(200, 1 << 30));
        const chunk = new Uint8Array(16 * 1024).fill(120);
        while (true) await send(conn, chunk); // until the client hangs up
      });
    case "flaky":
      return serveEach((conn, n) =>
        send(conn, n % 2 === 0 ? responseHead(200, 2) + "{}" : responseHead(500, 2) + "no")
      );
    case "slow_headers":
      return rawServer(async (conn) => {
        await readRequest(conn);
        await sleep(SLOW_HEADERS_MS);
        await send(conn, responseHead(200, 2) + "{}");
        await hold(conn);
      });
    case "in_stream_error":
      return serveEach((conn) =>
        sendStream(conn, [
          [0, text(0)],
          [0, sse({ error: { message: "overloaded", type: "server_error", code: 503 } })],
          [0, "data: [DONE]\n\n"],
        ])
      );
    case "role_only_first_chunk":
      return serveEach((conn) =>
        sendStream(conn, [
          [0, delta({ role: "assistant", content: "" })],
          ...Array.from({ length: STREAM_TEXT_CHUNKS }, (_, i) =>
            [i === 0 ? FIRST_TEXT_MS : 5, text(i)] as [number, string]),
          [0, delta({}, "stop")],
          [0, "data: [DONE]\n\n"],
        ])
      );
    case "stream_cut":
      return serveEach((conn) => sendStream(conn, [[0, text(0)], [0, text(1)]]));
  }
}
