import assert from "node:assert/strict";
import { parseStartAt, START_AT_BOUNDS, startRecord, waitUntil } from "../../lib/load/start_at.ts";
import { UsageError } from "../../lib/base/errors.ts";

const NOW = Date.parse("2026-12-01T22:00:00Z");

Deno.test("parseStartAt() reads RFC 3339 with a zone and epoch milliseconds", () => {
  assert.equal(parseStartAt("2026-12-01T22:00:30Z", NOW), NOW + 30_000);
  assert.equal(parseStartAt("2026-12-01T23:00:30.250+01:00", NOW), NOW + 30_250);
  assert.equal(parseStartAt(String(NOW + 5000), NOW), NOW + 5000);
  assert.equal(parseStartAt("2026-12-01T21:59:00Z", NOW), NOW - 60_000, "a little late is fine");
});

Deno.test("parseStartAt() refuses garbage, a time without a zone, far past and far future", () => {
  for (const bad of ["", "soon", "2026-12-01T22:00:00", "2026-13-01T22:00:00Z", "1.5e12", "-5"]) {
    assert.throws(() => parseStartAt(bad, NOW), UsageError, bad);
  }
  assert.throws(() => parseStartAt("2026-12-01T21:00:00Z", NOW), /3600 s in the past/);
  assert.throws(() => parseStartAt("2026-12-03T22:00:00Z", NOW), /172800 s ahead/);
  assert.throws(() => parseStartAt(String(NOW / 1000), NOW), /in the past/, "seconds, not ms");
  assert.equal(
    parseStartAt("2026-12-01T21:00:00Z", NOW, { ...START_AT_BOUNDS, maxPastMs: 7_200_000 }),
    NOW - 3_600_000,
  );
});

/** A fake wall clock: sleep advances it by the time asked plus `lateMs`. */
function fakeClock(start: number, lateMs: number) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: (ms: number) => {
        sleeps.push(ms);
        now += ms + lateMs;
        return Promise.resolve();
      },
    },
  };
}

Deno.test("waitUntil() sleeps until the target and records the actual start and offset", async () => {
  const { clock, sleeps } = fakeClock(NOW, 3);
  const start = await waitUntil(NOW + 2000, clock);
  assert.deepEqual(sleeps, [2000]);
  assert.deepEqual(start, {
    target: "2026-12-01T22:00:02.000Z",
    actual: "2026-12-01T22:00:02.003Z",
    offset_ms: 3,
  });
});

Deno.test("waitUntil() sleeps again when a sleep ends early, and starts at once when late", async () => {
  let now = NOW;
  const early = { now: () => now, sleep: (ms: number) => ((now += ms / 2), Promise.resolve()) };
  const start = await waitUntil(NOW + 1000, early);
  assert.ok(start!.offset_ms >= 0 && start!.offset_ms < 1);
  const { clock, sleeps } = fakeClock(NOW + 1500, 0);
  assert.equal((await waitUntil(NOW, clock))!.offset_ms, 1500);
  assert.deepEqual(sleeps, [], "no sleep when the target has passed");
});

Deno.test("waitUntil() returns null when stopped while waiting", async () => {
  const stop = new AbortController();
  let now = NOW;
  const clock = {
    now: () => now,
    sleep: (ms: number) => ((now += ms / 4), stop.abort(), Promise.resolve()),
  };
  assert.equal(await waitUntil(NOW + 1000, clock, stop.signal), null);
});

Deno.test("startRecord() keeps the offset to the microsecond", () => {
  assert.equal(startRecord(NOW, NOW + 1.23456).offset_ms, 1.235);
});
