import assert from "node:assert/strict";
import {
  findHeadEnd,
  PARSE_DONE,
  PARSE_ERROR,
  PARSE_MORE,
  type ParseResult,
  requestHeadPrefix,
  ResponseParser,
} from "../../../lib/load/h1/parser.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Feeds `text` in pieces of `step` bytes (0: all at once); ends the stream when `close`. */
function parse(
  text: string,
  options: { step?: number; noBody?: boolean; max?: number; close?: boolean } = {},
): { parser: ResponseParser; result: ParseResult } {
  const parser = new ResponseParser({ maxBodyBytes: options.max ?? 1 << 20 });
  parser.reset(options.noBody ?? false);
  const bytes = enc.encode(text);
  const step = options.step || bytes.length || 1;
  let result: ParseResult = PARSE_MORE;
  for (let at = 0; at < bytes.length && result === PARSE_MORE; at += step) {
    result = parser.feed(bytes.subarray(at, at + step));
  }
  if (options.close && result === PARSE_MORE) result = parser.end();
  return { parser, result };
}

const SIZED = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
  "Server-Timing: queue;dur=1.5, infer;dur=20\r\nX-Loadgate-Conn: 4711\r\n" +
  'Content-Length: 14\r\n\r\n{"output":"x"}';

Deno.test("ResponseParser reads status, headers and a sized body, however the bytes are split", () => {
  for (const step of [0, 1, 2, 3, 7, 64]) {
    const { parser, result } = parse(SIZED, { step });
    assert.equal(result, PARSE_DONE, `step ${step}`);
    assert.equal(parser.status, 200);
    assert.equal(parser.header("server-timing"), "queue;dur=1.5, infer;dur=20");
    assert.equal(parser.header("x-loadgate-conn"), "4711");
    assert.equal(parser.header("absent"), null);
    assert.deepEqual(parser.headers()[0], ["content-type", "application/json"]);
    assert.equal(dec.decode(parser.body()), '{"output":"x"}');
    assert.equal(parser.keepAlive, true);
  }
});

Deno.test("ResponseParser decodes chunked bodies with extensions and trailers, split anywhere", () => {
  const text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n";
  for (const step of [0, 1, 2, 5, 11]) {
    const { parser, result } = parse(text, { step });
    assert.equal(result, PARSE_DONE, `step ${step}`);
    assert.equal(dec.decode(parser.body()), "hello 0123456789");
    assert.equal(parser.keepAlive, true);
  }
});

Deno.test("ResponseParser skips an interim 100 Continue and reads the final answer", () => {
  const { parser, result } = parse(
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok",
    { step: 3 },
  );
  assert.equal(result, PARSE_DONE);
  assert.equal(parser.status, 201);
  assert.equal(dec.decode(parser.body()), "ok");
});

Deno.test("ResponseParser expects no body for HEAD, 204 and 304", () => {
  const head = parse("HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n", { noBody: true });
  assert.equal(head.result, PARSE_DONE);
  assert.equal(head.parser.body().length, 0);
  for (const status of [204, 304]) {
    const r = parse(`HTTP/1.1 ${status} X\r\n\r\n`);
    assert.equal(r.result, PARSE_DONE, String(status));
    assert.equal(r.parser.keepAlive, true);
  }
});

Deno.test("ResponseParser reads a body without length to the close, and then drops the connection", () => {
  const open = parse("HTTP/1.1 200 OK\r\n\r\nstreamed text");
  assert.equal(open.result, PARSE_MORE);
  const { parser, result } = parse("HTTP/1.1 200 OK\r\n\r\nstreamed text", { close: true });
  assert.equal(result, PARSE_DONE);
  assert.equal(dec.decode(parser.body()), "streamed text");
  assert.equal(parser.keepAlive, false);
});

Deno.test("ResponseParser keeps a connection alive only when HTTP allows it", () => {
  const keep = (text: string) => parse(`${text}\r\ncontent-length: 0\r\n\r\n`).parser.keepAlive;
  assert.equal(keep("HTTP/1.1 200 OK"), true);
  assert.equal(keep("HTTP/1.1 200 OK\r\nConnection: close"), false);
  assert.equal(keep("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close"), false);
  assert.equal(keep("HTTP/1.0 200 OK"), false);
  assert.equal(keep("HTTP/1.0 200 OK\r\nConnection: Keep-Alive"), true);
});

Deno.test("ResponseParser fails a malformed head as head and a cut or oversized body as body", () => {
  const cases: Array<[string, Parameters<typeof parse>[1], "head" | "body"]> = [
    ["garbage\r\n\r\n", {}, "head"],
    ["HTTP/1.1 2x0 OK\r\n\r\n", {}, "head"],
    ["HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", {}, "head"],
    ["HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nab", {}, "head"],
    ["HTTP/1.1 200 OK\r\ncontent-length: abc\r\n\r\n", {}, "head"],
    ["HTTP/1.1 200 OK\r\ncontent-le", { close: true }, "head"],
    ["HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort", { close: true }, "body"],
    ["HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789", { max: 5 }, "body"],
    ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", {}, "body"],
    ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab", { close: true }, "body"],
  ];
  for (const [text, options, why] of cases) {
    const { parser, result } = parse(text, options);
    assert.equal(result, PARSE_ERROR, JSON.stringify(text));
    assert.equal(parser.failure, why, JSON.stringify(text));
    assert.equal(parser.keepAlive, false);
  }
});

Deno.test("ResponseParser flags bytes after the response, so the connection is not reused", () => {
  const { parser, result } = parse("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokEXTRA");
  assert.equal(result, PARSE_DONE);
  assert.equal(parser.extraBytes, 5);
  assert.equal(parser.keepAlive, false);
});

Deno.test("ResponseParser is reusable: reset() clears the last response", () => {
  const parser = new ResponseParser({ maxBodyBytes: 100 });
  parser.reset(false);
  parser.feed(enc.encode(SIZED));
  parser.reset(false);
  assert.equal(parser.feed(enc.encode("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")), 1);
  assert.equal(parser.status, 404);
  assert.equal(parser.header("server-timing"), null);
  assert.equal(parser.body().length, 0);
});

Deno.test("findHeadEnd() finds the blank line that ends a head", () => {
  assert.equal(findHeadEnd(enc.encode("HTTP/1.1 200 OK\r\n\r\nbody"), 0), 15);
  assert.equal(findHeadEnd(enc.encode("HTTP/1.1 200 OK\r\n\r"), 0), -1);
});

Deno.test("requestHeadPrefix() writes the request line, host and headers, and refuses CR or LF", () => {
  const prefix = requestHeadPrefix({
    method: "POST",
    target: "/v1/infer?x=1",
    host: "127.0.0.1:8000",
    headers: [["Content-Type", "application/json"], ["Content-Length", "999"]],
  });
  assert.match(prefix, /^POST \/v1\/infer\?x=1 HTTP\/1\.1\r\nhost: 127\.0\.0\.1:8000\r\n/);
  assert.match(prefix, /\r\ncontent-type: application\/json\r\n/);
  assert.doesNotMatch(prefix, /999/, "the engine writes content-length itself");
  assert.match(prefix, /\r\n$/);
  assert.throws(
    () => requestHeadPrefix({ method: "GET", target: "/", host: "h", headers: [["x", "a\r\nb"]] }),
    TypeError,
  );
  assert.throws(
    () => requestHeadPrefix({ method: "GET", target: "/", host: "h", headers: [["a b", "1"]] }),
    TypeError,
  );
});
