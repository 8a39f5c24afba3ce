/**
 * A Worker of tests/bench/workers.ts: runs the client loop posted to it and
 * answers "done" (or the error).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { clientLoop, type LoopTask } from "./_client_loop.ts";

self.onmessage = async (e: MessageEvent<LoopTask>) => {
  try {
    await clientLoop(e.data);
    self.postMessage("done");
  } catch (err) {
    self.postMessage(`error: ${err instanceof Error ? err.message : err}`);
  }
};
