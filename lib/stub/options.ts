/**
 * What the stub's handler is told: its mode, service times, limits, faults
 * for tests, streaming and the OpenAI API's options.
 *
 * @module
 */

import type { StubStreamFormat } from "./streamed_answer.ts";
import type { OpenAiRoutesOptions } from "./openai/routes.ts";

/**
 * How the stub schedules requests. `batched` batches the OpenAI API's sequences
 * (lib/stub/batcher.ts); `/v1/infer` serves it like `concurrent`.
 */
export type StubMode = "serialized" | "concurrent" | "batched";

/** Options of {@linkcode createStubHandler}. */
export interface StubOptions {
  /** `serialized`: one at a time, FIFO. `concurrent`: no queue. */
  mode: StubMode;
  /** Service time range in ms; each body maps to a fixed point in it. */
  serviceMs: [number, number];
  /** Largest accepted request body, in bytes (413 above). */
  maxBodyBytes?: number;
  /** Longest time a client may take to send its body, in ms (408 after). */
  bodyTimeoutMs?: number;
  /** Serve the N-th request (1-based) with an altered output: a fault for tests. */
  alterNth?: number;
  /** Waits `ms`; injected by tests. Defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Stream every answer in this format unless the body's `stream` field says otherwise. */
  stream?: StubStreamFormat;
  /** Streaming: gap between token chunks, ms; each body maps to a fixed point in it. */
  tokenMs?: [number, number];
  /** Serve the OpenAI API (lib/stub/openai/routes.ts) with these options. */
  openai?: OpenAiRoutesOptions;
}
