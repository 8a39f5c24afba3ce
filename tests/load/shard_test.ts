import assert from "node:assert/strict";
import {
  closedLoopShare,
  openLoopShare,
  parseShard,
  type Shard,
  shardIds,
  splitCount,
} from "../../lib/load/shard.ts";
import { arrivalSchedule } from "../../lib/load/open_loop.ts";
import { UsageError } from "../../lib/base/errors.ts";

const noEnv = (_: string): string | undefined => undefined;
const env = (index: string) => (k: string) => (k === "JOB_COMPLETION_INDEX" ? index : undefined);

Deno.test("parseShard() reads I/N, and N with the index from JOB_COMPLETION_INDEX", () => {
  assert.deepEqual(parseShard("2/4", noEnv), { index: 2, count: 4 });
  assert.deepEqual(parseShard("4", env("3")), { index: 3, count: 4 });
  assert.deepEqual(parseShard("0/1", noEnv), { index: 0, count: 1 });
  // The flag's explicit index wins over the environment.
  assert.deepEqual(parseShard("1/4", env("3")), { index: 1, count: 4 });
});

Deno.test("parseShard() refuses a bad count, an index out of range, a missing index", () => {
  for (const bad of ["", "0", "4/4", "-1/4", "a/4", "1/", "1/0", "1.5/4", "1/4/5", "99999999"]) {
    assert.throws(() => parseShard(bad, noEnv), UsageError, bad);
  }
  assert.throws(() => parseShard("4", noEnv), /JOB_COMPLETION_INDEX/);
  assert.throws(() => parseShard("4", env("4")), /JOB_COMPLETION_INDEX="4".*0\.\.3/);
  assert.throws(() => parseShard("4", env("x")), UsageError);
});

Deno.test("closedLoopShare() spreads remainders to the first shards", () => {
  const shares = [0, 1, 2, 3].map((index) =>
    closedLoopShare({ requests: 10, concurrency: 6 }, { index, count: 4 })
  );
  assert.deepEqual(shares, [
    { requests: 3, concurrency: 2, firstId: 0 },
    { requests: 3, concurrency: 2, firstId: 3 },
    { requests: 2, concurrency: 1, firstId: 6 },
    { requests: 2, concurrency: 1, firstId: 8 },
  ]);
});

Deno.test("closedLoopShare() refuses fewer workers or requests than shards", () => {
  assert.throws(
    () => closedLoopShare({ requests: 10, concurrency: 3 }, { index: 0, count: 4 }),
    /--concurrency 3 over 4 shards/,
  );
  assert.throws(
    () => closedLoopShare({ requests: 3, concurrency: 8 }, { index: 0, count: 4 }),
    /--requests 3 over 4 shards/,
  );
});

/** Every id a shard sends, from its share. */
function closedIds(requests: number, concurrency: number, shard: Shard): number[] {
  const s = closedLoopShare({ requests, concurrency }, shard);
  return Array.from({ length: s.requests }, (_, j) => s.firstId + j);
}

Deno.test("closed-loop shards together send exactly the single run's ids and workers", () => {
  for (const requests of [7, 10, 100, 1001]) {
    for (const concurrency of [7, 8, 64]) {
      for (let count = 1; count <= 7; count++) {
        const shards = Array.from({ length: count }, (_, index) => ({ index, count }));
        const ids = shards.flatMap((s) => closedIds(requests, concurrency, s));
        assert.deepEqual(
          ids,
          Array.from({ length: requests }, (_, i) => i),
          `${requests}/${count}`,
        );
        const workers = shards.reduce(
          (sum, s) => sum + closedLoopShare({ requests, concurrency }, s).concurrency,
          0,
        );
        assert.equal(workers, concurrency);
        const sizes = shards.map((s) => splitCount(requests, count, s.index));
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, "parts differ by one at most");
      }
    }
  }
});

Deno.test("open-loop shards together hold exactly the global schedule, arrival k on shard k mod N", () => {
  const schedule = arrivalSchedule({ rate: 200, arrival: "poisson", seed: 7, requests: 1003 });
  for (let count = 1; count <= 6; count++) {
    const union: [number, number][] = [];
    for (let index = 0; index < count; index++) {
      const share = openLoopShare(schedule, { index, count });
      share.ids.forEach((id, j) => {
        assert.equal(id % count, index);
        union.push([id, share.times[j]!]);
      });
      assert.ok(share.times.every((t, j) => j === 0 || t >= share.times[j - 1]!), "ascending");
    }
    union.sort((a, b) => a[0] - b[0]);
    assert.deepEqual(union.map(([id]) => id), Array.from({ length: 1003 }, (_, i) => i));
    assert.deepEqual(union.map(([, t]) => t), [...schedule], `times, ${count} shards`);
  }
});

Deno.test("shardIds() describes the ids of each model's share", () => {
  assert.deepEqual(shardIds("closed", 10, { index: 1, count: 4 }), { first: 3, step: 1, n: 3 });
  assert.deepEqual(shardIds("open", 10, { index: 1, count: 4 }), { first: 1, step: 4, n: 3 });
  assert.deepEqual(shardIds("open", 10, { index: 3, count: 4 }), { first: 3, step: 4, n: 2 });
});
