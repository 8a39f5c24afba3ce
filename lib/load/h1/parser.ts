/**
 * HTTP/1.1 framing for the lean engine (`--engine h1`): the request head as
 * bytes, and an incremental response parser fed whatever each socket read
 * returns (a response split anywhere, chunked or sized bodies, interim 1xx
 * answers, bodies delimited by the connection closing). Pure: bytes in,
 * state out; the engine owns the sockets.
 *
 * @example
 * ```ts
 * const parser = new ResponseParser({ maxBodyBytes: 1 << 20 });
 * parser.reset(false);
 * parser.feed(new TextEncoder().encode("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi"));
 * // PARSE_DONE; parser.status === 200; parser.body() holds "hi"
 * ```
 *
 * @module
 */

import { VERSION } from "../../base/version.ts";

/** {@linkcode ResponseParser.feed} wants more bytes. */
export const PARSE_MORE = 0;
/** The response is complete. */
export const PARSE_DONE = 1;
/** The response is malformed or too large; see {@linkcode ResponseParser.failure}. */
export const PARSE_ERROR = 2;

/** What {@linkcode ResponseParser.feed} and {@linkcode ResponseParser.end} return. */
export type ParseResult = typeof PARSE_MORE | typeof PARSE_DONE | typeof PARSE_ERROR;

/** Why a response could not be read: in the head, or in the body (including too large). */
export type ParseFailure = "" | "head" | "body";

const MAX_HEAD_BYTES = 64 * 1024;
const CR = 13;
const LF = 10;

// Parser states.
const S_HEAD = 0;
const S_LENGTH = 1;
const S_CHUNK_SIZE = 2;
const S_CHUNK_EXT = 3;
const S_CHUNK_SIZE_LF = 4;
const S_CHUNK_DATA = 5;
const S_CHUNK_DATA_CR = 6;
const S_CHUNK_DATA_LF = 7;
const S_TRAILER_START = 8;
const S_TRAILER_LINE = 9;
const S_TRAILER_END_LF = 10;
const S_UNTIL_CLOSE = 11;
const S_DONE = 12;
const S_ERROR = 13;

const decoder = new TextDecoder();

/** Options of {@linkcode ResponseParser}. */
export interface ParserOptions {
  /** Largest body kept; a longer one fails with `body`. */
  maxBodyBytes: number;
}

/** Incremental parser of one HTTP/1.x response at a time (reusable with {@linkcode reset}). */
export class ResponseParser {
  /** Status code of the final response (0 until the head is read). */
  status = 0;
  /** True once the final head has been read. */
  headersDone = false;
  /** True when the connection may carry another request after this response. */
  keepAlive = false;
  /** Body bytes received so far. */
  bodyBytes = 0;
  /** Why parsing failed, when {@linkcode PARSE_ERROR} was returned. */
  failure: ParseFailure = "";
  /** Bytes after the end of the response (a misbehaving server): the connection is unusable. */
  extraBytes = 0;

  #max: number;
  #state = S_HEAD;
  #noBody = false;
  #head = new Uint8Array(1024);
  #headLen = 0;
  /** Per header: name start, name end, value start, value end (offsets into #head). */
  #offsets = new Int32Array(64);
  #count = 0;
  #body = new Uint8Array(1024);
  /** The last view {@linkcode body} gave. */
  #bodyView = new Uint8Array(0);
  #remaining = 0;
  #chunkSize = 0;
  #chunkDigits = 0;

  constructor(options: ParserOptions) {
    this.#max = options.maxBodyBytes;
  }

  /**
   * Prepares for the next response; `noBody` for the answer to a HEAD request.
   * `maxBodyBytes` replaces the limit given to the constructor.
   */
  reset(noBody: boolean, maxBodyBytes: number = this.#max): void {
    this.#max = maxBodyBytes;
    this.status = 0;
    this.#count = 0;
    this.headersDone = false;
    this.keepAlive = false;
    this.bodyBytes = 0;
    this.failure = "";
    this.extraBytes = 0;
    this.#state = S_HEAD;
    this.#noBody = noBody;
    this.#headLen = 0;
  }

  /** The body received so far: a view, valid until the next {@linkcode reset}. */
  body(): Uint8Array {
    // The same view while answers keep their length (most do): no new object a response.
    const view = this.#bodyView;
    if (view.length === this.bodyBytes && view.buffer === this.#body.buffer) return view;
    return (this.#bodyView = this.#body.subarray(0, this.bodyBytes));
  }

  /**
   * The first value of header `name` (lower case) in the final head, or null.
   * Valid until the next {@linkcode reset}.
   */
  header(name: string): string | null {
    for (let i = 0; i < this.#count; i++) if (this.#nameIs(i, name)) return this.#value(i);
    return null;
  }

  /** {@linkcode header}, as `Headers.get` reads (the parser is a `HeaderSource`). */
  get(name: string): string | null {
    return this.header(name);
  }

  /** Every header field of the final head, names in lower case, in order. */
  headers(): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 0; i < this.#count; i++) {
      const name = decoder.decode(
        this.#head.subarray(this.#offsets[i * 4]!, this.#offsets[i * 4 + 1]!),
      );
      out.push([name.toLowerCase(), this.#value(i)]);
    }
    return out;
  }

  /** Feeds the bytes of one read: `data`, or its first `length` bytes. */
  feed(data: Uint8Array, length: number = data.length): ParseResult {
    // A bound, not a view: a subarray a read was one more object a request.
    const end = Math.min(length, data.length);
    let at = 0;
    while (at < end) {
      switch (this.#state) {
        case S_HEAD:
          at = this.#feedHead(data, at, end);
          break;
        case S_LENGTH: {
          const n = Math.min(this.#remaining, end - at);
          if (!this.#append(data, at, n)) return this.#fail("body");
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = S_DONE;
          break;
        }
        case S_CHUNK_DATA: {
          const n = Math.min(this.#remaining, end - at);
          if (!this.#append(data, at, n)) return this.#fail("body");
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = S_CHUNK_DATA_CR;
          break;
        }
        case S_UNTIL_CLOSE: {
          if (!this.#append(data, at, end - at)) return this.#fail("body");
          at = end;
          break;
        }
        case S_DONE:
          this.extraBytes += end - at;
          this.keepAlive = false;
          return PARSE_DONE;
        case S_ERROR:
          return PARSE_ERROR;
        default:
          at = this.#feedChunkFraming(data, at, end);
      }
      if (this.#state === S_ERROR) return PARSE_ERROR;
    }
    return this.#state === S_DONE ? PARSE_DONE : this.#state === S_ERROR ? PARSE_ERROR : PARSE_MORE;
  }

  /** The connection closed (end of stream): completes a body read to the close. */
  end(): ParseResult {
    if (this.#state === S_DONE) return PARSE_DONE;
    if (this.#state === S_UNTIL_CLOSE) {
      this.#state = S_DONE;
      return PARSE_DONE;
    }
    if (this.#state === S_ERROR) return PARSE_ERROR;
    return this.#fail(this.headersDone ? "body" : "head");
  }

  #fail(why: ParseFailure): ParseResult {
    this.#state = S_ERROR;
    this.failure = why;
    this.keepAlive = false;
    return PARSE_ERROR;
  }

  #append(data: Uint8Array, at: number, n: number): boolean {
    const need = this.bodyBytes + n;
    if (need > this.#max) {
      this.bodyBytes = need;
      return false;
    }
    if (need > this.#body.length) {
      let cap = this.#body.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.#body.subarray(0, this.bodyBytes));
      this.#body = grown;
    }
    if (n <= 256) {
      // A small body: a loop, not a view object to copy from.
      const body = this.#body;
      for (let k = 0, to = this.bodyBytes; k < n; k++) body[to + k] = data[at + k]!;
    } else this.#body.set(data.subarray(at, at + n), this.bodyBytes);
    this.bodyBytes = need;
    return true;
  }

  /** Reads head bytes from `data[at..end)`; returns where the body starts (or `end`). */
  #feedHead(data: Uint8Array, at: number, end: number): number {
    // Fast path: the whole head sits in this read.
    if (this.#headLen === 0) {
      const headEnd = findHeadEnd(data, at, end);
      if (headEnd >= 0) {
        const len = headEnd - at;
        if (this.#head.length < len) {
          this.#head = new Uint8Array(Math.max(len, this.#head.length * 2));
        }
        const head = this.#head;
        for (let k = 0; k < len; k++) head[k] = data[at + k]!;
        this.#parseHead(len);
        return headEnd + 4;
      }
    }
    const start = Math.max(0, this.#headLen - 3);
    const n = end - at;
    if (this.#headLen + n > MAX_HEAD_BYTES) {
      this.#fail("head");
      return end;
    }
    if (this.#headLen + n > this.#head.length) {
      const grown = new Uint8Array(
        Math.min(MAX_HEAD_BYTES, Math.max(this.#headLen + n, this.#head.length * 2)),
      );
      grown.set(this.#head.subarray(0, this.#headLen));
      this.#head = grown;
    }
    this.#head.set(data.subarray(at, end), this.#headLen);
    const before = this.#headLen;
    this.#headLen += n;
    const headEnd = findHeadEnd(this.#head, start, this.#headLen);
    if (headEnd < 0) return end;
    this.#parseHead(headEnd);
    const consumed = headEnd + 4 - before;
    this.#headLen = 0;
    return at + consumed;
  }

  /** Parses the head in the first `len` bytes of `#head`. */
  #parseHead(len: number): void {
    // Byte-level: a response head becomes offsets, and only the values asked
    // for become strings (most responses are read for three headers).
    const line = statusLine(this.#head, len);
    if (line < 0) return void this.#fail("head");
    const count = this.#indexHeaders(len);
    if (count < 0) return void this.#fail("head");
    this.#count = count;
    const status = line >> 1;
    if (status >= 100 && status < 200 && status !== 101) {
      // Interim answer (100 Continue, 103 Early Hints): the final head follows.
      this.#count = 0;
      this.#state = S_HEAD;
      return;
    }
    this.status = status;
    this.headersDone = true;
    this.#frame(status, line & 1);
  }

  /** Records the offsets of each header line of the head's first `len` bytes; -1 when malformed. */
  #indexHeaders(len: number): number {
    const head = this.#head;
    let count = 0;
    let pos = lineEnd(head, 0, len) + 1;
    while (pos < len) {
      const eol = lineEnd(head, pos, len);
      const next = eol + 1;
      const end = eol > pos && head[eol - 1] === CR ? eol - 1 : eol;
      if (end > pos) {
        const first = head[pos]!;
        if ((first === 32 || first === 9) && count > 0) {
          this.#offsets[(count - 1) * 4 + 3] = end; // obsolete line folding
        } else {
          let colon = pos;
          while (colon < end && head[colon] !== 58) colon++;
          if (colon === end || colon === pos) return -1;
          let nameEnd = colon;
          while (nameEnd > pos && (head[nameEnd - 1] === 32 || head[nameEnd - 1] === 9)) nameEnd--;
          let v = colon + 1;
          while (v < end && (head[v] === 32 || head[v] === 9)) v++;
          let ve = end;
          while (ve > v && (head[ve - 1] === 32 || head[ve - 1] === 9)) ve--;
          if (this.#offsets.length < (count + 1) * 4) {
            const grown = new Int32Array(this.#offsets.length * 2);
            grown.set(this.#offsets);
            this.#offsets = grown;
          }
          const o = count * 4;
          this.#offsets[o] = pos;
          this.#offsets[o + 1] = nameEnd;
          this.#offsets[o + 2] = v;
          this.#offsets[o + 3] = ve;
          count++;
        }
      }
      pos = next;
    }
    return count;
  }

  /** Reads the final head's framing headers: how the body ends, and whether to keep the connection. */
  #frame(status: number, minor: number): void {
    let close = false;
    let keepAlive = false;
    let transfer = "";
    let length = -1;
    for (let i = 0; i < this.#count; i++) {
      if (this.#nameIs(i, "content-length")) {
        const n = this.#digits(i);
        if (n < 0 || (length >= 0 && n !== length)) return void this.#fail("head");
        length = n;
      } else if (this.#nameIs(i, "transfer-encoding")) {
        transfer += `${this.#value(i).toLowerCase()},`;
      } else if (this.#nameIs(i, "connection")) {
        // The usual single values without a string a response; a list goes through the patterns.
        if (this.#valueIs(i, "keep-alive")) {
          keepAlive = true;
          continue;
        }
        if (this.#valueIs(i, "close")) {
          close = true;
          continue;
        }
        const v = this.#value(i).toLowerCase();
        if (/(^|[\s,])close\s*($|,)/.test(v)) close = true;
        if (/(^|[\s,])keep-alive\s*($|,)/.test(v)) keepAlive = true;
      }
    }
    this.keepAlive = minor === 1 ? !close : keepAlive && !close;
    if (this.#noBody || status === 204 || status === 304 || status === 101) {
      this.#state = S_DONE;
    } else if (/chunked\s*,$/.test(transfer)) {
      this.#startChunkSize();
    } else if (transfer !== "") {
      // Another coding without chunked: the body runs to the close.
      this.#state = S_UNTIL_CLOSE;
      this.keepAlive = false;
    } else if (length >= 0) {
      this.#remaining = length;
      this.#state = length === 0 ? S_DONE : S_LENGTH;
      if (length > this.#max) this.#fail("body");
    } else {
      this.#state = S_UNTIL_CLOSE;
      this.keepAlive = false;
    }
  }

  /** Header `i`'s name equals `lower` (a lower-case token), ignoring case. */
  #nameIs(i: number, lower: string): boolean {
    return this.#bytesAre(this.#offsets[i * 4]!, this.#offsets[i * 4 + 1]!, lower);
  }

  /** Header `i`'s value equals `lower` (lower case), ignoring case. */
  #valueIs(i: number, lower: string): boolean {
    return this.#bytesAre(this.#offsets[i * 4 + 2]!, this.#offsets[i * 4 + 3]!, lower);
  }

  /** The head's bytes `[start, end)` spell `lower`, ignoring case. */
  #bytesAre(start: number, end: number, lower: string): boolean {
    if (end - start !== lower.length) return false;
    const head = this.#head;
    for (let k = 0; k < lower.length; k++) {
      if ((head[start + k]! | 0x20) !== lower.charCodeAt(k)) return false;
    }
    return true;
  }

  /** Header `i`'s value as a whole number, or -1 when it is not one. */
  #digits(i: number): number {
    const start = this.#offsets[i * 4 + 2]!;
    const end = this.#offsets[i * 4 + 3]!;
    if (end === start || end - start > 15) return -1;
    let n = 0;
    for (let k = start; k < end; k++) {
      const d = this.#head[k]! - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }

  #value(i: number): string {
    const text = decoder.decode(
      this.#head.subarray(this.#offsets[i * 4 + 2]!, this.#offsets[i * 4 + 3]!),
    );
    return text.includes("\n") ? text.replace(/\r?\n[ \t]*/g, " ") : text;
  }

  /** The framing bytes of a chunked body (sizes, CRLFs, trailers). */
  #feedChunkFraming(data: Uint8Array, at: number, end: number): number {
    while (at < end) {
      const b = data[at]!;
      switch (this.#state) {
        case S_CHUNK_SIZE: {
          const digit = hexValue(b);
          if (digit >= 0) {
            if (++this.#chunkDigits > 12) return (this.#fail("body"), end);
            this.#chunkSize = this.#chunkSize * 16 + digit;
          } else if (this.#chunkDigits > 0 && (b === 59 || b === 32 || b === 9)) {
            this.#state = S_CHUNK_EXT; // ";ext" or whitespace before CRLF
          } else if (this.#chunkDigits > 0 && b === CR) {
            this.#state = S_CHUNK_SIZE_LF;
          } else if (this.#chunkDigits > 0 && b === LF) {
            this.#endChunkSize();
          } else {
            return (this.#fail("body"), end);
          }
          break;
        }
        case S_CHUNK_EXT:
          if (b === LF) this.#endChunkSize();
          break;
        case S_CHUNK_SIZE_LF:
          if (b !== LF) return (this.#fail("body"), end);
          this.#endChunkSize();
          break;
        case S_CHUNK_DATA_CR:
          if (b === LF) this.#startChunkSize();
          else if (b === CR) this.#state = S_CHUNK_DATA_LF;
          else return (this.#fail("body"), end);
          break;
        case S_CHUNK_DATA_LF:
          if (b !== LF) return (this.#fail("body"), end);
          this.#startChunkSize();
          break;
        case S_TRAILER_START:
          if (b === CR) this.#state = S_TRAILER_END_LF;
          else if (b === LF) this.#state = S_DONE;
          else this.#state = S_TRAILER_LINE;
          break;
        case S_TRAILER_LINE:
          if (b === LF) this.#state = S_TRAILER_START;
          break;
        case S_TRAILER_END_LF:
          if (b !== LF) return (this.#fail("body"), end);
          this.#state = S_DONE;
          break;
        default:
          return at; // data, done or error: handled by feed()
      }
      at++;
      if (this.#state === S_CHUNK_DATA || this.#state === S_DONE) return at;
    }
    return at;
  }

  #startChunkSize(): void {
    this.#state = S_CHUNK_SIZE;
    this.#chunkSize = 0;
    this.#chunkDigits = 0;
  }

  #endChunkSize(): void {
    if (this.#chunkSize === 0) {
      this.#state = S_TRAILER_START;
      return;
    }
    this.#remaining = this.#chunkSize;
    this.#state = S_CHUNK_DATA;
  }
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 97 && b <= 102) return b - 87;
  if (b >= 65 && b <= 70) return b - 55;
  return -1;
}

/** Index of the first LF in `bytes[from..len)`, or `len` (a loop: see {@linkcode findHeadEnd}). */
function lineEnd(bytes: Uint8Array, from: number, len: number): number {
  let i = from;
  while (i < len && bytes[i] !== LF) i++;
  return i;
}

/** Index of the `\r\n\r\n` that ends a head in `data[from..end)`; -1 when absent. */
export function findHeadEnd(data: Uint8Array, from: number, end: number = data.length): number {
  // A loop, not `indexOf`: TypedArray's indexOf is a call into V8's C++ runtime (about 30 ns),
  // and a head has a CR a line.
  for (let i = from, last = Math.min(end, data.length) - 3; i < last; i++) {
    if (data[i] === CR && data[i + 1] === LF && data[i + 2] === CR && data[i + 3] === LF) return i;
  }
  return -1;
}

/** What a request head is made of. */
export interface RequestHeadInit {
  method: string;
  /** Path and query, for example `/v1/infer?x=1`. */
  target: string;
  /** `host[:port]` as in the URL. */
  host: string;
  /** Header fields; `content-length` and `host` here are replaced by the engine's. */
  headers: Iterable<[string, string]>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\r\n\0]/;

/**
 * The request head up to, not including, the `content-length` line and the
 * blank line that ends it. Throws a `TypeError` for a header that would break
 * the framing (a CR or LF in a value, a name that is not a token).
 */
export function requestHeadPrefix(init: RequestHeadInit): string {
  if (!TOKEN.test(init.method)) throw new TypeError(`Cannot send method "${init.method}"`);
  if (BAD_VALUE.test(init.target) || init.target.includes(" ")) {
    throw new TypeError(`Cannot send request target "${init.target}"`);
  }
  let host = init.host;
  const lines: string[] = [];
  let agent = false;
  let accept = false;
  for (const [rawName, value] of init.headers) {
    const name = rawName.toLowerCase();
    if (!TOKEN.test(name)) throw new TypeError(`Cannot send header name "${rawName}"`);
    if (BAD_VALUE.test(value)) {
      throw new TypeError(`Cannot send header "${rawName}": CR or LF in the value`);
    }
    if (name === "content-length" || name === "transfer-encoding") continue;
    if (name === "host") {
      host = value;
      continue;
    }
    if (name === "user-agent") agent = true;
    if (name === "accept") accept = true;
    lines.push(`${name}: ${value}\r\n`);
  }
  if (!accept) lines.push("accept: */*\r\n");
  if (!agent) lines.push(`user-agent: loadgate/${VERSION}\r\n`);
  return `${init.method} ${init.target} HTTP/1.1\r\nhost: ${host}\r\n${lines.join("")}`;
}

/**
 * The status line "HTTP/1.x NNN ..." of `bytes[0..len)`: status * 2 + its minor version (a
 * number, not an object a response), or -1 when malformed.
 */
function statusLine(bytes: Uint8Array, len: number): number {
  if (
    len < 12 || bytes[0] !== 72 || bytes[1] !== 84 || bytes[2] !== 84 || bytes[3] !== 80 ||
    bytes[4] !== 47 || bytes[5] !== 49 || bytes[6] !== 46 || bytes[8] !== 32
  ) return -1; // "HTTP/1.x "
  const minor = bytes[7]! - 48;
  const d0 = bytes[9]! - 48, d1 = bytes[10]! - 48, d2 = bytes[11]! - 48;
  if (
    (minor !== 0 && minor !== 1) || d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 ||
    (len > 12 && bytes[12] !== 32 && bytes[12] !== CR)
  ) return -1;
  return (d0 * 100 + d1 * 10 + d2) * 2 + minor;
}
