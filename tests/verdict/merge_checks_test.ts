import assert from "node:assert/strict";
import {
  canonicalJson,
  IdTally,
  mergeChecks,
  type ShardFacts,
  startSkewMs,
} from "../../lib/verdict/merge_checks.ts";

function facts(index: number, over: Partial<ShardFacts> = {}): ShardFacts {
  return {
    source: `shard-${index}`,
    index,
    count: 2,
    total_requests: 4,
    workload_digest: "d",
    load: { requests: 4, concurrency: 2 },
    tool_version: "0.1.0",
    url: "http://h/v1/infer",
    interrupted: false,
    start: null,
    ...over,
  };
}

function tally(ids: number[], total = 4): IdTally {
  const t = new IdTally(total);
  ids.forEach((id) => t.add(id));
  return t;
}

const OPTS = { maxSkewMs: 100, boundedByTime: false };

Deno.test("mergeChecks() holds for two complete, matching shards; skew not made without starts", () => {
  const checks = mergeChecks([facts(0), facts(1)], tally([0, 1, 2, 3]), OPTS);
  assert.ok(Object.values(checks).every((c) => c.ok));
  assert.equal(checks.start_skew!.made, false);
  assert.match(checks.start_skew!.detail, /^not made/);
  assert.ok(Object.entries(checks).filter(([k]) => k !== "start_skew").every(([, c]) => c.made));
});

Deno.test("mergeChecks() names another tool version and a shard count that disagrees", () => {
  const checks = mergeChecks(
    [facts(0), facts(1, { tool_version: "0.2.0", count: 3 })],
    tally([0, 1, 2, 3]),
    OPTS,
  );
  assert.match(checks.same_tool_version!.detail, /shard 0: 0\.1\.0; shard 1: 0\.2\.0/);
  assert.match(checks.shards_present!.detail, /disagree on the shard count \(2, 3\)/);
});

Deno.test("mergeChecks() counts ids outside the expected range and duplicates", () => {
  const checks = mergeChecks([facts(0), facts(1)], tally([0, 1, 1, 2, 3, 7, -1]), OPTS);
  assert.equal(checks.no_duplicate_ids!.ok, false);
  assert.match(checks.ids_complete!.detail, /2 ids outside 0\.\.3 \(7, -1\)/);
});

Deno.test("mergeChecks() does not claim completeness of a run bounded by time", () => {
  const checks = mergeChecks([facts(0), facts(1)], tally([0, 2]), { ...OPTS, boundedByTime: true });
  assert.deepEqual(
    [checks.ids_complete!.ok, checks.ids_complete!.made],
    [true, false],
  );
  assert.match(checks.ids_complete!.detail, /not made: .* 2 of at most 4 ids/);
});

Deno.test("startSkewMs() is the spread of the actual starts; a shard without a start warns", () => {
  const start = (actual: string) => ({ target: "2026-12-01T22:00:00.000Z", actual, offset_ms: 0 });
  const shards = [
    facts(0, { start: start("2026-12-01T22:00:00.010Z") }),
    facts(1, { start: start("2026-12-01T22:00:00.250Z") }),
  ];
  assert.equal(startSkewMs(shards), 240);
  const checks = mergeChecks(shards, tally([0, 1, 2, 3]), OPTS);
  assert.equal(checks.start_skew!.warning, true);
  const partial = mergeChecks([shards[0]!, facts(1)], tally([0, 1, 2, 3]), OPTS);
  assert.match(partial.start_skew!.detail, /shard 1 had no coordinated start/);
});

Deno.test("IdTally keeps ten million ids in a bitmap and lists the first missing", () => {
  const t = new IdTally(10_000_000);
  for (let id = 0; id < 10_000_000; id += 1) if (id !== 42 && id !== 9_999_999) t.add(id);
  assert.equal(t.distinct, 9_999_998);
  assert.deepEqual(t.missingExamples(), [42, 9_999_999]);
});

Deno.test("canonicalJson() ignores key order", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: 2, c: [3] } }),
    canonicalJson({ a: { c: [3], d: 2 }, b: 1 }),
  );
});
