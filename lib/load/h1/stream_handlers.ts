/**
 * Streamed answers (SSE, JSON lines) on the h1 engine: the body's bytes go
 * to the one stream parser (`stream.ts`'s {@linkcode StreamParser}) read by
 * read, each timed with the clock reading the engine took at that socket
 * read, as `readStreamedBody` does for fetch. Only a 2xx answer is parsed,
 * as with fetch.
 *
 * @module
 */

import { sha256HexSync } from "../../base/hash.ts";
import type { Sample } from "../../stats/sample.ts";
import type { ExchangeHandlers } from "./exchange.ts";
import { readServerHeaders } from "../measure.ts";
import { StreamParser } from "../stream_parser.ts";

/** Handlers of one streamed exchange, and what to call once it has ended. */
export interface StreamExchange {
  handlers: ExchangeHandlers<string>;
  /**
   * Records the stream's metrics in the sample; `complete` when the whole
   * body arrived (its end closes a last event), read at clock `doneAt`.
   * Returns why the stream failed (an error inside it, a cut before its end), or null.
   */
  finish: (doneAt: number, complete: boolean) => string | null;
}

/** Handlers that parse request `sample`'s streamed answer; times count from clock reading `t0`. */
export function streamHandlers(sample: Sample, t0: number): StreamExchange {
  let parser: StreamParser | null = null;
  const decoder = new TextDecoder();
  return {
    handlers: {
      head: (p) => {
        readServerHeaders(sample, p);
        if (p.status >= 200 && p.status < 300) parser = new StreamParser();
      },
      data: (chunk, at) => parser?.feed(decoder.decode(chunk, { stream: true }), at - t0),
      body: sha256HexSync,
    },
    finish: (doneAt, complete) => {
      if (parser === null) return null;
      if (complete) {
        parser.feed(decoder.decode(), doneAt - t0);
        parser.end(doneAt - t0);
      }
      sample.stream = parser.result();
      return complete ? parser.failure() : null;
    },
  };
}
