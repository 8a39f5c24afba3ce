/**
 * `--hlog FILE`: an HdrHistogram interval log of a phase, written as it runs.
 * Each measured request is counted in the histogram of the 1-second interval
 * in which it completed (its `sent_ms + latency_ms` on the phase's clock); an
 * interval's line is written once a later request completes, and the last
 * one at close. Empty intervals are not written. The format is
 * `lib/log/hlog.ts`'s (see docs/histogram.md).
 *
 * @module
 */

import { HdrHistogram } from "../../stats/histogram/hdr_histogram.ts";
import type { Sample } from "../../stats/sample.ts";
import { hlogHeader, hlogLine } from "../../log/hlog.ts";
import { VERSION } from "../../base/version.ts";

/** Length of one interval, ms. */
export const HLOG_INTERVAL_MS = 1000;

/** An interval log being written. */
export class HlogFile {
  #file: Deno.FsFile;
  #encoder = new TextEncoder();
  #histogram = new HdrHistogram();
  #interval = 0;
  #tag: string;

  /** Creates `path` (replacing it); `startTimeMs` is the phase's wall-clock start. */
  constructor(path: string, startTimeMs: number, tag: string) {
    this.#file = Deno.openSync(path, { write: true, create: true, truncate: true });
    this.#tag = tag;
    this.#write(hlogHeader({ startTimeMs, comment: `[loadgate ${VERSION}]` }));
  }

  /** Counts one measured request. */
  record(s: Sample): void {
    // Completions arrive nearly in order; one a hair late joins the current interval.
    const done = Math.floor((s.sentMs + s.latencyMs) / HLOG_INTERVAL_MS);
    const interval = Math.max(this.#interval, done);
    if (interval !== this.#interval) {
      this.#flush();
      this.#interval = interval;
    }
    this.#histogram.record(Math.max(0, s.latencyMs));
  }

  /** Writes the last interval and closes the file. */
  close(): void {
    this.#flush();
    this.#file.close();
  }

  #flush(): void {
    if (this.#histogram.count === 0) return;
    const startSec = (this.#interval * HLOG_INTERVAL_MS) / 1000;
    this.#write(hlogLine({
      startSec,
      endSec: startSec + HLOG_INTERVAL_MS / 1000,
      histogram: this.#histogram,
      tag: this.#tag,
    }));
    this.#histogram.reset();
  }

  #write(text: string): void {
    const bytes = this.#encoder.encode(text);
    let at = 0;
    while (at < bytes.length) at += this.#file.writeSync(bytes.subarray(at));
  }
}
