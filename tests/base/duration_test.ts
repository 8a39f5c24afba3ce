import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../../lib/base/duration.ts";
import { UsageError } from "../../lib/base/errors.ts";

const ms = { flag: "timeout-ms", plainUnit: "ms" } as const;
const s = { flag: "duration", plainUnit: "s" } as const;

Deno.test("parseDuration() reads ms, s, m, h and combinations, in milliseconds", () => {
  assert.equal(parseDuration("500ms", ms), 500);
  assert.equal(parseDuration("30s", ms), 30_000);
  assert.equal(parseDuration("1.5s", ms), 1500);
  assert.equal(parseDuration("2m", s), 120_000);
  assert.equal(parseDuration("1h", s), 3_600_000);
  assert.equal(parseDuration("1m30s", s), 90_000);
  assert.equal(parseDuration("1h2m3s4ms", s), 3_723_004);
  assert.equal(parseDuration(" 0s ", s), 0);
});

Deno.test("parseDuration() reads a plain number in the flag's old unit", () => {
  assert.equal(parseDuration("250", ms), 250);
  assert.equal(parseDuration("30", s), 30_000);
  assert.equal(parseDuration("0.5", s), 500);
});

Deno.test("parseDuration() refuses what is not a duration, quoting it", () => {
  for (const bad of ["", "abc", "-1s", "10 s", "5d", "30s2m", "1s1s", "1e3", "s"]) {
    assert.throws(() => parseDuration(bad, s), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.equal(
        e.message,
        `Cannot parse --duration: "${bad}" is not a duration (expected for example 500ms, 30s, 2m, 1h, or a number of seconds)`,
      );
      return true;
    });
  }
});

Deno.test("formatDuration() writes the largest whole unit", () => {
  assert.deepEqual([500, 1500, 60_000, 7_200_000, 90_000].map(formatDuration), [
    "500ms",
    "1.5s",
    "1m",
    "2h",
    "90s",
  ]);
});
