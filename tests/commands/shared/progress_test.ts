// Terminal output is under test here: its escape codes and its column spacing are the point.
// deno-lint-ignore-file no-control-regex no-regex-spaces
import assert from "node:assert/strict";
import {
  formatProgress,
  PhaseProgress,
  type ProgressDeps,
  type ProgressState,
  REDRAW_MS,
  visibleLength,
} from "../../../lib/commands/shared/progress.ts";
import { makeSample } from "../../_helpers.ts";

/** A fake terminal: a clock we move, a ticker we fire, and everything written. */
function fakeTerminal(columns = 120) {
  let now = 1000;
  const writes: string[] = [];
  const tickers = new Set<() => void>();
  let periods: number[] = [];
  const deps: ProgressDeps = {
    write: (t) => writes.push(t),
    now: () => now,
    every: (fn, ms) => {
      periods.push(ms);
      tickers.add(fn);
      return () => tickers.delete(fn);
    },
    columns: () => columns,
  };
  return {
    deps,
    writes,
    periods: () => periods,
    /** Moves the clock by `ms` and fires the ticker once. */
    tick(ms: number) {
      now += ms;
      for (const fn of tickers) fn();
    },
    advance(ms: number) {
      now += ms;
    },
    activeTickers: () => tickers.size,
    reset() {
      writes.length = 0;
      periods = [];
    },
  };
}

const lastLine = (writes: string[]) => writes.filter((w) => w.startsWith("\r")).at(-1) ?? "";

Deno.test("progress shows done/total, rate, failures and running p95, redrawn only by its timer", () => {
  const term = fakeTerminal();
  const p = new PhaseProgress("baseline", { total: 400 }, term.deps);
  p.start();
  assert.equal(term.writes.length, 1, "a first frame at once");
  assert.match(
    term.writes[0]!,
    /^\rbaseline  \[\.{20}\]  0\/400 0%  - req\/s  0 failed  p95~- ms  0\.0s\x1b\[K$/,
  );
  assert.deepEqual(term.periods(), [REDRAW_MS]);
  assert.ok(1000 / REDRAW_MS >= 4 && 1000 / REDRAW_MS <= 10, "4 to 10 redraws a second");

  // 100 requests in the first half second: recording them draws nothing.
  for (let i = 0; i < 100; i++) {
    term.advance(5);
    p.record(makeSample({ requestId: i, latencyMs: i + 1, ok: i % 25 !== 0 }));
  }
  assert.equal(term.writes.length, 1, "record() never writes");
  term.tick(0);
  const line = lastLine(term.writes);
  assert.match(line, /baseline  \[#####\.{15}\]  100\/400 25%/);
  assert.match(line, /  200 req\/s  /, "100 requests in 0.5 s");
  assert.match(line, /  4 failed  /);
  assert.match(line, /  p95~95\.\d ms  /, "within 1% of the exact 95");
  assert.match(line, /  0\.5s\x1b\[K$/);
});

Deno.test("progress rate covers about the last second, not the whole phase", () => {
  const term = fakeTerminal();
  const p = new PhaseProgress("optimized", { total: 10_000 }, term.deps);
  p.start();
  // 8 requests a second for 3 s, then 96 a second for 2 s (the phase average is 43).
  for (let tick = 0; tick < 24; tick++) {
    p.record(makeSample());
    term.tick(REDRAW_MS);
  }
  for (let tick = 0; tick < 16; tick++) {
    for (let k = 0; k < 12; k++) p.record(makeSample());
    term.tick(REDRAW_MS);
  }
  const rate = Number(/ ([\d.]+) req\/s/.exec(lastLine(term.writes))?.[1]);
  assert.ok(rate >= 85 && rate <= 105, `rate ${rate} reflects the last second (96/s)`);
});

Deno.test("finish() stops the timer, leaves the final line and a newline, and draws no more", () => {
  const term = fakeTerminal();
  const p = new PhaseProgress("run", { total: 3 }, term.deps);
  p.start();
  for (let i = 0; i < 3; i++) p.record(makeSample({ requestId: i }));
  term.advance(300);
  p.finish();
  assert.equal(term.activeTickers(), 0);
  assert.equal(term.writes.at(-1), "\n");
  assert.match(term.writes.at(-2)!, /3\/3 100%/);
  const count = term.writes.length;
  term.tick(REDRAW_MS);
  p.draw();
  p.finish();
  assert.equal(term.writes.length, count, "nothing after finish");
});

const STATE: ProgressState = {
  phase: "baseline",
  done: 230,
  failed: 2,
  elapsedMs: 5600,
  rate: 41.27,
  p95: 1020.4,
  plan: { total: 400 },
};

Deno.test("formatProgress() fits the terminal: drops the bar, then cuts, never wraps", () => {
  const wide = formatProgress(STATE, 120);
  assert.equal(
    wide,
    "baseline  [###########.........]  230/400 57%  41.3 req/s  2 failed  p95~1020 ms  5.6s",
  );
  const medium = formatProgress(STATE, 70);
  assert.equal(medium, "baseline  230/400 57%  41.3 req/s  2 failed  p95~1020 ms  5.6s");
  const narrow = formatProgress(STATE, 30);
  assert.equal(narrow.length, 29);
  assert.ok(medium.length < 70 && wide.length < 120);
});

Deno.test("formatProgress() colours failures only when asked, without upsetting the width", () => {
  const plain = formatProgress(STATE, 200);
  const coloured = formatProgress(STATE, 200, true);
  assert.ok(!plain.includes("\x1b["));
  assert.match(coloured, /\x1b\[31m2 failed\x1b\[0m/);
  assert.equal(visibleLength(coloured), plain.length);
  assert.ok(!formatProgress({ ...STATE, failed: 0 }, 200, true).includes("\x1b["), "no red for 0");
});

Deno.test("formatProgress() shows elapsed of duration for a timed phase, or a bare count", () => {
  const timed = formatProgress({ ...STATE, plan: { durationMs: 30_000 } }, 200);
  assert.match(
    timed,
    /^baseline  \[###\.{17}\]  230 done, 5\.6s\/30\.0s  41\.3 req\/s  2 failed  p95~1020 ms$/,
  );
  assert.match(formatProgress({ ...STATE, plan: {} }, 200), /^baseline  230 done  41\.3 req\/s/);
});
