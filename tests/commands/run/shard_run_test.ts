/**
 * `run --shard` and `--start-at` in the one pipeline: the pacers send a
 * shard's share with global ids, the plan keeps the whole run's load, and the
 * flags are checked before anything runs.
 */
import assert from "node:assert/strict";
import { UsageError } from "../../../lib/base/errors.ts";
import { loadParamsOf } from "../../../lib/load/load_params.ts";
import {
  type ClosedPlan,
  type OpenPlan,
  ownRequests,
  pacerOf,
  plannedRequests,
  poolSizeOf,
  scheduleOf,
} from "../../../lib/load/load_plan.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import { buildWorkload } from "../../../lib/workload/workload.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { permittedEnv } from "../../../lib/commands/run/shard_flags.ts";
import { parseK8sArgs } from "../../../lib/commands/k8s/flags.ts";
import { shardFields, shardLine } from "../../../lib/commands/run/shard.ts";
import { makeSample } from "../../_helpers.ts";

const closed: ClosedPlan = {
  kind: "closed",
  requests: 10,
  concurrency: 5,
  durationMs: null,
  warmup: 0,
};
const open: OpenPlan = {
  kind: "open",
  requests: 11,
  durationMs: null,
  warmup: 0,
  rate: 50,
  arrival: "poisson",
  seed: 3,
  maxInFlight: null,
  warmupConcurrency: 2,
};

/** Runs a plan's pacer on a virtual clock; returns each request's id and send time. */
async function pace(plan: ClosedPlan | OpenPlan): Promise<{ id: number; at: number }[]> {
  let t = 0;
  const sent: { id: number; at: number }[] = [];
  const engine = {
    send: (id: number, start: number): Promise<Sample> => {
      sent.push({ id, at: t - start });
      return Promise.resolve(makeSample({ requestId: id }));
    },
  };
  const sleep = (ms: number) => Promise.resolve(void (t += ms));
  await pacerOf(plan)({ engine, now: () => t, onSample: () => {}, sleep });
  return sent;
}

Deno.test("a closed-loop shard sends its contiguous global ids with its share of the workers", async () => {
  const ids = [];
  for (let index = 0; index < 3; index++) {
    const plan = { ...closed, shard: { index, count: 3 } };
    const sent = await pace(plan);
    ids.push(sent.map((s) => s.id));
    assert.equal(ownRequests(plan), sent.length);
    assert.equal(plannedRequests(plan), 10, "the plan stays the whole run's");
  }
  assert.deepEqual(ids, [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assert.deepEqual(
    [0, 1, 2].map((index) => poolSizeOf({ ...closed, shard: { index, count: 3 } })),
    [2, 2, 1],
    "5 workers over 3 shards",
  );
});

Deno.test("an open-loop shard sends arrival k of the global schedule, at its global time, when k mod N is its index", async () => {
  const schedule = scheduleOf(open);
  const all: { id: number; at: number }[] = [];
  for (let index = 0; index < 3; index++) {
    const sent = await pace({ ...open, shard: { index, count: 3 } });
    for (const s of sent) assert.equal(s.id % 3, index);
    all.push(...sent);
  }
  all.sort((a, b) => a.id - b.id);
  assert.deepEqual(all.map((s) => s.id), Array.from({ length: 11 }, (_, k) => k));
  assert.deepEqual(all.map((s) => s.at), Array.from(schedule), "the global times");
  assert.deepEqual(
    await pace(open),
    all,
    "the single process sends the same ids at the same times",
  );
});

Deno.test("a shard records the whole run's load parameters, identical in every shard", async () => {
  const request = {
    url: "http://127.0.0.1:9/v1/infer",
    method: "POST",
    headers: {},
    workload: await buildWorkload({ seed: 1, requests: 10 }),
    timeoutMs: 500,
    stream: false,
  };
  const whole = await loadParamsOf(request, closed);
  for (let index = 0; index < 3; index++) {
    assert.deepEqual(await loadParamsOf(request, { ...closed, shard: { index, count: 3 } }), whole);
  }
});

const RUN = ["--url", "http://127.0.0.1:9/v1/infer", "-n", "30", "-c", "6"];
const NOW = Date.parse("2026-12-01T22:00:00Z");
const env = (vars: Record<string, string>) => ({ env: (k: string) => vars[k], nowMs: NOW });

Deno.test("run --shard takes I/N, or N with I from JOB_COMPLETION_INDEX, and --start-at a time", () => {
  const a = parseRunArgs([...RUN, "--shard", "1/3"], env({}));
  assert.ok(a !== "help");
  assert.deepEqual(a.shard, { index: 1, count: 3 });
  assert.equal(a.startAtMs, undefined);
  const b = parseRunArgs(
    [...RUN, "--shard", "3", "--start-at", "2026-12-01T22:00:05Z"],
    env({ JOB_COMPLETION_INDEX: "2" }),
  );
  assert.ok(b !== "help");
  assert.deepEqual([b.shard, b.startAtMs], [{ index: 2, count: 3 }, NOW + 5000]);
  const c = parseRunArgs([...RUN, "--start-at", String(NOW - 1000)], env({}));
  assert.ok(c !== "help");
  assert.deepEqual([c.shard, c.startAtMs], [undefined, NOW - 1000]);
});

Deno.test("run refuses a shard it cannot run: no index, too few workers or requests, a start far off", () => {
  const bad: [string[], RegExp][] = [
    [["--shard", "3"], /without an index/],
    [["--shard", "3/3"], /0\.\.2/],
    [["--shard", "0/7"], /Cannot split --concurrency 6 over 7 shards/],
    [["-c", "40", "--shard", "31/40"], /Cannot split --requests 30 over 40 shards/],
    [["--rate", "10", "--shard", "0/31"], /Cannot split --requests 30 over 31 shards/],
    [["--start-at", "2026-12-01T21:00:00Z"], /3600 s in the past/],
    [["--start-at", "tomorrow"], /not an RFC 3339 time/],
  ];
  for (const [args, message] of bad) {
    assert.throws(() => parseRunArgs([...RUN, ...args], env({})), (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.match(e.message, message);
      return true;
    });
  }
  const refused = () => {
    throw new Deno.errors.NotCapable("Requires env access");
  };
  assert.throws(
    () => parseRunArgs([...RUN, "--shard", "3"], { env: refused, nowMs: NOW }),
    /NotCapable|Requires env/,
    "the injected reader's error passes through; the default one turns it into usage",
  );
});

Deno.test("reading JOB_COMPLETION_INDEX without --allow-env is bad usage naming the permission", () => {
  const name = "JOB_COMPLETION_INDEX";
  if (Deno.permissions.querySync({ name: "env", variable: name }).state === "granted") {
    assert.equal(permittedEnv(name), Deno.env.get(name));
  } else {
    assert.throws(() => permittedEnv(name), /--allow-env=JOB_COMPLETION_INDEX/);
  }
});

Deno.test("a shard's manifest holds its index, the whole run's total and the start; a plain run's holds none", () => {
  const start = {
    target: "2026-12-01T22:00:00.000Z",
    actual: "2026-12-01T22:00:00.004Z",
    offset_ms: 4,
  };
  const fields = shardFields({
    options: { shard: { index: 1, count: 3 }, startAtMs: NOW },
    plan: { ...closed, shard: { index: 1, count: 3 } },
    workloadDigest: "d",
    start,
  });
  assert.deepEqual(fields.shard, {
    index: 1,
    count: 3,
    split: "contiguous",
    total_requests: 10,
    requests: 3,
    concurrency: 2,
    workload_digest: "d",
    start,
  });
  assert.deepEqual(
    shardFields({ options: {}, plan: closed, workloadDigest: "d", start: null }),
    {},
  );
  assert.deepEqual(
    shardFields({ options: { startAtMs: NOW }, plan: closed, workloadDigest: "d", start }),
    { start },
  );
  assert.equal(
    shardLine({ shard: { index: 1, count: 3 }, phase: "run" }, 3, 10, start),
    "run: shard 1 of 0..2, 3 of 10 requests, started at 2026-12-01T22:00:00.004Z (4 ms after the target)",
  );
});

Deno.test("k8s refuses --shard, --start-at and --out after --: it sets them for each pod", () => {
  const base = ["--shards", "3", "--main-url", "https://example.org/v1/main.ts", "--", "run"];
  for (const flag of [["--shard", "3"], ["--shard=0/3"], ["--start-at", "1"], ["--out", "x"]]) {
    assert.throws(
      () => parseK8sArgs([...base, ...RUN, ...flag]),
      /Cannot use --(shard|start-at|out) after --: k8s sets it for each pod/,
    );
  }
});
